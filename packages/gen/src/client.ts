/**
 * The client side of the behaviours: call, cast and stop, addressed by pid or registered name.
 *
 * @module
 */
import { type ActorContext, type ActorSystem, ExitReason, InvalidConfigError, type Pid, RemotePid } from '@joerl/core';
import { callTableOf, From } from './call-table.js';
import { handleOf } from './handle.js';
import { CallEnvelope, CastEnvelope, StopEnvelope } from './envelope.js';
import { NoProcError, ServerBusyError } from './errors.js';

/**
 * Erlang's default call timeout.
 *
 * @example
 * ```ts
 * ref.call(request); // same as ref.call(request, { timeoutMs: DEFAULT_CALL_TIMEOUT_MS })
 * ```
 * @since 0.1.0
 */
export const DEFAULT_CALL_TIMEOUT_MS = 5000;

/**
 * Options of a call.
 * @example
 * ```ts
 * await ref.call({ kind: 'get' }, { timeoutMs: 1000, caller: ctx });
 * ```
 * @since 0.1.0
 */
export interface CallOptions {
  /** How long to wait for the reply (default 5000 ms, as Erlang; `Infinity` waits forever). */
  readonly timeoutMs?: number;
  /**
   * The calling actor, when calling from inside one: instrumentation then attributes the call
   * to it, and the server sees it as `from.caller`.
   */
  readonly caller?: ActorContext<never>;
}

/** @internal Sends a call and resolves with its reply. */
export function callServer(system: ActorSystem, server: Pid | string, request: unknown, options: CallOptions | undefined): Promise<unknown> {
  const timeoutMs = options?.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) {
    throw new InvalidConfigError('call timeoutMs', timeoutMs, 'a non-negative number of milliseconds, or Infinity');
  }
  const caller = options?.caller ?? null;
  const pid = typeof server === 'string' ? system.whereis(server) : server;
  // A server on another node: the distribution carries the call (same errors, plus noconnection).
  if (pid instanceof RemotePid && system.distribution !== null) {
    return system.distribution.call(pid, request, timeoutMs, caller === null ? null : caller.self);
  }
  const handle = pid === undefined ? undefined : system.handle(pid);
  if (pid === undefined || handle === undefined) return Promise.reject(new NoProcError(server));
  const ins = system.instrumentation;
  const token = ins === null ? undefined : ins.callStarted(handle, caller === null ? null : handleOf(caller));
  return new Promise<unknown>((resolve, reject) => {
    const table = callTableOf(system);
    const call = table.open(server, pid, handle, token, timeoutMs, resolve, reject);
    const envelope = new CallEnvelope(request, new From(table, call.id, caller === null ? null : caller.self));
    let sent: boolean;
    if (caller === null) {
      // With a token, send inside the client span's context so it travels with the request.
      // eslint-disable-next-line @typescript-eslint/unbound-method -- invoke calls it with thisArg = system
      sent = ins === null || token === undefined ? system.send(pid, envelope) : ins.invoke(token, system.send, system, pid, envelope);
    } else {
      const ctx = caller as ActorContext<unknown>;
      // eslint-disable-next-line @typescript-eslint/unbound-method -- invoke calls it with thisArg = ctx
      sent = ins === null || token === undefined ? ctx.send(pid, envelope) : ins.invoke(token, ctx.send, ctx, pid, envelope);
    }
    if (!sent) {
      if (system.isAlive(pid)) table.fail(call.id, new ServerBusyError(server), 'error');
      else table.fail(call.id, new NoProcError(server), 'noproc');
    }
  });
}

/** @internal Sends a cast; true if it was enqueued. */
export function castServer(system: ActorSystem, server: Pid | string, request: unknown): boolean {
  const pid = typeof server === 'string' ? system.whereis(server) : server;
  if (pid === undefined) return false;
  if (pid instanceof RemotePid && system.distribution !== null) return system.distribution.cast(pid, request);
  const sent = system.send(pid, new CastEnvelope(request));
  const ins = system.instrumentation;
  if (sent && ins !== null) {
    const handle = system.handle(pid);
    if (handle !== undefined) ins.castSent(handle);
  }
  return sent;
}

/** @internal Asks a server to stop with `reason` once it has handled what is before in its mailbox; resolves once it exited. */
export async function stopServer(system: ActorSystem, server: Pid | string, reason: ExitReason): Promise<void> {
  const pid = typeof server === 'string' ? system.whereis(server) : server;
  if (pid === undefined || !system.isAlive(pid)) throw new NoProcError(server);
  const exited = system.join(pid);
  if (!system.send(pid, new StopEnvelope(reason))) {
    // A full mailbox cannot take the request: stop it by exit signal instead (terminate still runs;
    // a `normal` exit signal would be ignored, so it becomes `shutdown`).
    system.exit(pid, reason.kind === 'normal' ? ExitReason.shutdown() : reason);
  }
  await exited;
}
