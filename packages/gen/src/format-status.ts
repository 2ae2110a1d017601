/**
 * `formatStatus` and `formatMessage`: what an observer may see of a GenServer's or GenStatem's
 * state and of the messages it receives, when (and only when) its definition has the callback —
 * OTP's `format_status`, whose `state` and `message` keys they stand for. Read on demand, outside
 * any handler; nothing is registered for a server without the callback.
 *
 * @module
 */
import type { ActorSystem, Pid } from '@joerl/core';

/**
 * What {@link formatStatus} reports: the callback's value, or the error it threw.
 * @since 0.1.0
 */
export type StatusReport = { readonly kind: 'status'; readonly value: unknown } | { readonly kind: 'failed'; readonly error: unknown };

/** The servers whose definition has `formatStatus`, by pid; weak: a stopped server's entry goes with its pid. */
const sources = new WeakMap<Pid, { readonly system: ActorSystem; readonly format: () => unknown }>();

/** The servers whose definition has `formatMessage`, by pid (weak, like `sources`). */
const messageFormats = new WeakMap<Pid, { readonly system: ActorSystem; readonly format: (message: unknown) => unknown }>();

/** @internal called once, when a server with `formatMessage` has initialised */
export function registerMessageFormat(system: ActorSystem, pid: Pid, format: (message: unknown) => unknown): void {
  messageFormats.set(pid, { system, format });
}

/**
 * A message of a live GenServer or GenStatem (a call's or cast's request, or an info message)
 * as its definition's `formatMessage` callback presents it — what a message trace may show;
 * `undefined` when the definition has no `formatMessage` (then nothing of its messages should
 * be shown but their tag), or the server is gone.
 *
 * @example
 * ```ts
 * const bank = { type: 'bank', init: () => GenServer.ok(0), handleCast: (m: { kind: 'deposit'; amount: number; card: string }, n: number) => GenServer.noreply(n + m.amount), formatMessage: (m: { kind: string; amount: number }) => ({ kind: m.kind, amount: m.amount }) };
 * const ref = await GenServer.start(system, bank, null);
 * formatMessage(ref.pid, { kind: 'deposit', amount: 5, card: '4111' }); // { kind: 'status', value: { kind: 'deposit', amount: 5 } }
 * ```
 * @since 0.1.0
 */
export function formatMessage(pid: Pid, message: unknown): StatusReport | undefined {
  const source = messageFormats.get(pid);
  if (source === undefined || !source.system.isAlive(pid)) return undefined;
  try {
    return { kind: 'status', value: source.format(message) };
  } catch (error) {
    return { kind: 'failed', error };
  }
}

/** @internal called once, when a server with `formatStatus` has initialised */
export function registerStatus(system: ActorSystem, pid: Pid, format: () => unknown): void {
  sources.set(pid, { system, format });
}

/**
 * The state of a live GenServer or GenStatem as its definition's `formatStatus` callback
 * presents it, called now with the state of the last completed callback; `undefined` when the
 * definition has no `formatStatus` (then nothing of its state is shown), or the server is gone.
 *
 * @example
 * ```ts
 * const session = { type: 'session', init: () => GenServer.ok({ user: 'ada', secret: 'x' }), formatStatus: (s) => ({ user: s.user }) };
 * const ref = await GenServer.start(system, session, null);
 * formatStatus(ref.pid); // { kind: 'status', value: { user: 'ada' } }
 * ```
 * @since 0.1.0
 */
export function formatStatus(pid: Pid): StatusReport | undefined {
  const source = sources.get(pid);
  if (source === undefined || !source.system.isAlive(pid)) return undefined;
  try {
    return { kind: 'status', value: source.format() };
  } catch (error) {
    return { kind: 'failed', error };
  }
}
