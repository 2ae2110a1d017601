/**
 * `formatStatus`: what an observer may see of a GenServer's or GenStatem's state, when (and only
 * when) its definition has a `formatStatus` callback, OTP's `format_status`. Read on demand,
 * outside any handler; nothing is registered for a server without the callback.
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
