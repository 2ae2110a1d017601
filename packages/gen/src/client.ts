/**
 * The client side of the behaviours: call, cast and stop, addressed by pid or registered name.
 *
 * @module
 */
import { type ActorContext, type ActorSystem, ExitReason, InvalidArgumentError, Pid, type RemoteName, RemotePid } from '@joerl/core';
import { isInstance } from './arguments.js';
import { callTableOf, From } from './call-table.js';
import { handleOf } from './handle.js';
import { CallEnvelope, CastEnvelope, StopEnvelope } from './envelope.js';
import { CalleeExitedError, CallingSelfError, CallTimeoutError, NoProcError, ServerBusyError } from './errors.js';
import { requestStop } from './parent.js';

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
 * @internal The server whose callback runs synchronously right now (null between callbacks): a
 * call it makes to itself would wait for its own reply, so it fails at once (OTP: `calling_self`).
 */
export const running: { self: Pid | null } = { self: null };

/**
 * Options of a call.
 * @example
 * ```ts
 * await ref.call({ kind: 'get' }, { timeoutMs: 1000, caller: ctx });
 * ```
 * @since 0.1.0
 */
export interface CallOptions {
  /**
   * How long to wait for the reply: a non-negative number of milliseconds (any size: delays
   * past 2^31 ms are honoured), or `Infinity` to wait forever. Default: 5000 ms for a
   * GenServer (as `gen_server:call`), `Infinity` for a GenStatem (as `gen_statem:call`).
   */
  readonly timeoutMs?: number;
  /**
   * The calling actor, when calling from inside one: instrumentation then attributes the call
   * to it, and the server sees it as `from.caller`.
   */
  readonly caller?: ActorContext<never>;
}

/**
 * Options of a stop.
 * @example
 * ```ts
 * await ref.stop(ExitReason.shutdown(), { timeoutMs: 5000 });
 * ```
 * @since 0.1.0
 */
export interface StopOptions {
  /**
   * How long to wait for the server to exit: a non-negative number of milliseconds, or
   * `Infinity` (the default, as `gen_server:stop/1`). When it passes, the stop rejects with
   * CallTimeoutError (OTP exits `timeout`); the server goes on stopping.
   */
  readonly timeoutMs?: number;
}

/**
 * @internal A server as a call addresses it: a pid, a registered name, or a name on a node
 * (`{ name, node }`, Erlang's `{Name, Node}`).
 */
export type ServerAddress = Pid | string | RemoteName;

/** @internal The timeout in call or stop options, checked: options.timeoutMs or the default. */
function timeoutOf(fn: string, options: CallOptions | StopOptions | undefined, defaultTimeoutMs: number): number {
  if (options === undefined) return defaultTimeoutMs;
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(fn, 'options', options, fn === 'call' ? 'an object { timeoutMs?, caller? }' : 'an object { timeoutMs? }');
  let timeoutMs: unknown;
  try {
    timeoutMs = options.timeoutMs;
  } catch {
    throw new InvalidArgumentError(fn, 'options', options, 'an object whose timeoutMs can be read');
  }
  if (timeoutMs === undefined) return defaultTimeoutMs;
  if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) {
    throw new InvalidArgumentError(fn, 'options.timeoutMs', timeoutMs, 'a non-negative number of milliseconds, or Infinity');
  }
  return timeoutMs;
}

/** @internal True for a `{ name, node }` address. */
function isNodeName(address: ServerAddress): address is RemoteName {
  return typeof address === 'object' && !(address instanceof Pid);
}

/** @internal How errors name a server addressed as `{ name, node }`. */
export function remoteLabel(server: RemoteName): string {
  return `${server.name}@${server.node}`;
}

/**
 * @internal Where an address leads from `system`: a local pid or name, or another node (a
 * RemotePid, or `{ name, node }` of another node). `{ name, node }` of this very node is the
 * local name, as `{Name, node()}` is in Erlang.
 */
function resolve(system: ActorSystem, server: ServerAddress): Pid | RemoteName | undefined {
  if (typeof server === 'string') return system.whereis(server);
  if (isNodeName(server)) return server.node === system.nodeName ? system.whereis(server.name) : server;
  return server;
}

/** @internal The calling actor of options.caller, checked. */
function callerOf(options: CallOptions | undefined): ActorContext<unknown> | null {
  const caller = options?.caller;
  if (caller === undefined || caller === null) return null;
  let self: unknown;
  try {
    self = typeof caller === 'object' ? (caller as { self?: unknown }).self : undefined;
  } catch {
    self = undefined; // a revoked Proxy, a throwing getter
  }
  if (!isInstance(self, Pid)) throw new InvalidArgumentError('call', 'options.caller', caller, "the calling actor's ctx");
  return caller;
}

/**
 * @internal Sends a call and resolves with its reply.
 * @throws InvalidArgumentError for bad options (synchronously).
 */
export function callServer(system: ActorSystem, address: ServerAddress, request: unknown, options: CallOptions | undefined, defaultTimeoutMs: number): Promise<unknown> {
  const timeoutMs = timeoutOf('call', options, defaultTimeoutMs);
  const caller = callerOf(options);
  const pid = resolve(system, address);
  if (pid !== undefined && !(pid instanceof Pid)) {
    // A name on another node: the distribution carries the call; without one, that node is unreachable.
    const dist = system.distribution;
    if (dist === null) return Promise.reject(new CalleeExitedError(remoteLabel(pid), ExitReason.noconnection));
    return dist.call(pid, request, timeoutMs, caller === null ? null : caller.self);
  }
  // A server on another node: the distribution carries the call (same errors, plus noconnection).
  if (pid instanceof RemotePid && system.distribution !== null) {
    return system.distribution.call(pid, request, timeoutMs, caller === null ? null : caller.self);
  }
  const server = isNodeName(address) ? address.name : address;
  const handle = pid === undefined ? undefined : system.handle(pid);
  const ins = system.instrumentation;
  if (pid === undefined || handle === undefined) {
    if (ins !== null) ins.callRefused('call', pid === undefined ? null : pid.actorType, caller === null ? null : handleOf(caller));
    return Promise.reject(new NoProcError(server));
  }
  if (pid === running.self || (caller !== null && pid === caller.self)) return Promise.reject(new CallingSelfError(server));
  const token = ins === null ? undefined : ins.callStarted(handle, caller === null ? null : handleOf(caller));
  return new Promise<unknown>((resolve, reject) => {
    const table = callTableOf(system);
    const call = table.open(server, pid, handle, token, timeoutMs, resolve, reject);
    const envelope = new CallEnvelope(request, new From(table, call, caller === null ? null : caller.self));
    let sent: boolean;
    if (caller === null) {
      // With a token, send inside the client span's context so it travels with the request.
      // eslint-disable-next-line @typescript-eslint/unbound-method -- invoke calls it with thisArg = system
      sent = ins === null || token === undefined ? system.send(pid, envelope) : ins.invoke(token, system.send, system, pid, envelope);
    } else {
      const ctx = caller;
      // eslint-disable-next-line @typescript-eslint/unbound-method -- invoke calls it with thisArg = ctx
      sent = ins === null || token === undefined ? ctx.send(pid, envelope) : ins.invoke(token, ctx.send, ctx, pid, envelope);
    }
    if (!sent) {
      if (system.isAlive(pid)) table.fail(call, new ServerBusyError(server), 'error');
      else table.fail(call, new NoProcError(server), 'noproc');
    }
  });
}

/** @internal Sends a cast; true if it was enqueued. */
export function castServer(system: ActorSystem, server: ServerAddress, request: unknown): boolean {
  const pid = resolve(system, server);
  if (pid !== undefined && !(pid instanceof Pid)) return system.distribution !== null && system.distribution.cast(pid, request);
  const ins = system.instrumentation;
  if (pid === undefined) {
    if (ins !== null) ins.callRefused('cast', null, null);
    return false;
  }
  // A server on another node: the distribution carries the cast.
  if (pid instanceof RemotePid && system.distribution !== null) return system.distribution.cast(pid, request);
  const handle = system.handle(pid);
  if (handle === undefined) {
    // Not sent at all (so core counts no send failure): the refusal is counted once, here.
    if (ins !== null) ins.callRefused('cast', pid.actorType, null);
    return false;
  }
  const sent = system.send(pid, new CastEnvelope(request));
  if (sent && ins !== null) ins.castSent(handle);
  return sent;
}

/**
 * @internal Asks a server to stop with `reason` once it has handled what is before in its
 * mailbox; resolves once it exited (its terminate ran), as OTP's `gen_server:stop/3`.
 * @throws InvalidArgumentError (synchronously) for bad options.
 */
export function stopServer(system: ActorSystem, address: ServerAddress, reason: ExitReason, options: StopOptions | undefined): Promise<void> {
  const timeoutMs = timeoutOf('stop', options, Number.POSITIVE_INFINITY);
  const pid = resolve(system, address);
  if (pid instanceof RemotePid || (pid !== undefined && !(pid instanceof Pid))) {
    // On another node: that node stops it and answers (noproc, timeout, or noconnection when it goes down).
    const dist = system.distribution;
    if (dist === null) return Promise.reject(pid instanceof Pid ? new NoProcError(pid) : new CalleeExitedError(remoteLabel(pid), ExitReason.noconnection));
    return dist.stop(pid, reason, timeoutMs);
  }
  const server = isNodeName(address) ? address.name : address;
  const stopped = stopLocal(system, server, pid, reason);
  if (timeoutMs === Number.POSITIVE_INFINITY) return stopped;
  return new Promise<void>((resolvePromise, reject) => {
    const timer = system.clock.setTimeout(() => reject(new CallTimeoutError(server, timeoutMs)), timeoutMs, undefined);
    stopped.then(
      () => {
        system.clock.clearTimeout(timer);
        resolvePromise();
      },
      (error: unknown) => {
        system.clock.clearTimeout(timer);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- stopLocal rejects with NoProcError only
        reject(error);
      },
    );
  });
}

async function stopLocal(system: ActorSystem, server: Pid | string, pid: Pid | undefined, reason: ExitReason): Promise<void> {
  if (pid === undefined || !system.isAlive(pid)) throw new NoProcError(server);
  const exited = system.join(pid);
  if (!system.send(pid, new StopEnvelope(reason))) {
    // A full mailbox cannot take the request: stop it by exit signal instead (terminate still runs;
    // a `normal` exit signal would be ignored, so it becomes `shutdown`). A trapping server
    // treats this one signal as its parent's.
    requestStop(pid);
    system.exit(pid, reason.kind === 'normal' ? ExitReason.shutdown() : reason);
  }
  await exited;
}
