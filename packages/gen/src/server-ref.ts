/**
 * Typed refs to servers (GenServer and GenStatem processes): `call`, `cast`, `stop`.
 *
 * @module
 */
import { type ActorSystem, ExitReason, type Pid } from '@joerl/core';
import { checkExitReason, checkName, checkPid, checkSystem } from './arguments.js';
import { type CallOptions, callServer, castServer, DEFAULT_CALL_TIMEOUT_MS, stopServer } from './client.js';
import type { ReplyOf } from './protocol.js';

/**
 * A typed ref to one server process, as returned by `GenServer.start` / `GenStatem.start`.
 *
 * @typeParam Req the call requests it accepts (see {@link Call} to type their replies).
 * @typeParam Cast the cast requests it accepts.
 * @example
 * ```ts
 * const counter = await GenServer.start(system, counterServer, 0);
 * counter.cast({ kind: 'inc' });
 * const n = await counter.call({ kind: 'get' }); // typed by the request's declared reply
 * await counter.stop();
 * ```
 * @since 0.1.0
 */
export class ServerRef<Req = unknown, Cast = never> {
  /** The system the server lives in. */
  readonly system: ActorSystem;
  /** The server's pid. */
  readonly pid: Pid;
  /** The timeout of a call without `timeoutMs`: 5000 ms for a GenServer, `Infinity` for a GenStatem. */
  readonly defaultTimeoutMs: number;

  /** @internal refs come from `start` and {@link ServerRef.of}. */
  constructor(system: ActorSystem, pid: Pid, defaultTimeoutMs: number) {
    this.system = system;
    this.pid = pid;
    this.defaultTimeoutMs = defaultTimeoutMs;
  }

  /**
   * A typed ref to an existing GenServer by pid (e.g. a supervised child's pid); its calls
   * default to 5000 ms (for a GenStatem's pid, use `GenStatem.ref`, whose calls wait forever).
   *
   * @throws InvalidArgumentError for a `system` that is not an ActorSystem or a `pid` that is not a Pid.
   * @example
   * ```ts
   * const cache = ServerRef.of<CacheCall, CacheCast>(system, pid);
   * ```
   */
  static of<Req = unknown, Cast = never>(system: ActorSystem, pid: Pid): ServerRef<Req, Cast> {
    checkSystem('ServerRef.of', system);
    checkPid('ServerRef.of', 'pid', pid);
    return new ServerRef<Req, Cast>(system, pid, DEFAULT_CALL_TIMEOUT_MS);
  }

  /**
   * Sends `request` and resolves with the reply.
   *
   * @throws InvalidArgumentError (synchronously) for options of the wrong type.
   * @throws (rejects) CallTimeoutError, NoProcError, CalleeExitedError (at once when the server
   *   exits, however it exits), ServerBusyError, CallingSelfError; a GenStatem call may also
   *   reject with InvalidTransitionError.
   */
  call<Q extends Req>(request: Q, options?: CallOptions): Promise<ReplyOf<Req, Q>> {
    return callServer(this.system, this.pid, request, options, this.defaultTimeoutMs) as Promise<ReplyOf<Req, Q>>;
  }

  /** Sends `request` without waiting; true if it was enqueued (false if the server is dead or its mailbox refused it). */
  cast(request: Cast): boolean {
    return castServer(this.system, this.pid, request);
  }

  /**
   * Stops the server in order (after what is already in its mailbox; its terminate runs) and
   * resolves once it exited. Rejects with NoProcError if it is not alive.
   * @throws InvalidArgumentError if `reason` is not an ExitReason.
   */
  stop(reason: ExitReason = ExitReason.normal): Promise<void> {
    checkExitReason('ServerRef.stop', reason);
    return stopServer(this.system, this.pid, reason);
  }

  /** Whether the server is alive. */
  isAlive(): boolean {
    return this.system.isAlive(this.pid);
  }

  /** The pid, printed. */
  toString(): string {
    return this.pid.toString();
  }
}

/**
 * A typed ref to whichever server holds a registered name at the time of each call: the way
 * to reach a supervised server across restarts (each restart has a new pid, the same name).
 *
 * @example
 * ```ts
 * const cache = NamedServerRef.of<CacheCall, CacheCast>(system, 'cache');
 * await cache.call({ kind: 'get', key: 'a' });
 * ```
 * @since 0.1.0
 */
export class NamedServerRef<Req = unknown, Cast = never> {
  /** The system the name is registered in. */
  readonly system: ActorSystem;
  /** The registered name. */
  readonly name: string;
  /** The timeout of a call without `timeoutMs`: 5000 ms for a GenServer, `Infinity` for a GenStatem. */
  readonly defaultTimeoutMs: number;

  /** @internal */
  constructor(system: ActorSystem, name: string, defaultTimeoutMs: number) {
    this.system = system;
    this.name = name;
    this.defaultTimeoutMs = defaultTimeoutMs;
  }

  /**
   * A typed ref to the GenServer registered as `name` (now or later); calls default to 5000 ms
   * (`GenStatem.named` gives a ref whose calls wait forever).
   * @throws InvalidArgumentError for a `system` that is not an ActorSystem or an empty or non-string `name`.
   */
  static of<Req = unknown, Cast = never>(system: ActorSystem, name: string): NamedServerRef<Req, Cast> {
    checkSystem('NamedServerRef.of', system);
    checkName('NamedServerRef.of', name);
    return new NamedServerRef<Req, Cast>(system, name, DEFAULT_CALL_TIMEOUT_MS);
  }

  /** The pid holding the name now, or undefined. */
  whereis(): Pid | undefined {
    return this.system.whereis(this.name);
  }

  /** As {@link ServerRef.call}; rejects with NoProcError if nobody holds the name. */
  call<Q extends Req>(request: Q, options?: CallOptions): Promise<ReplyOf<Req, Q>> {
    return callServer(this.system, this.name, request, options, this.defaultTimeoutMs) as Promise<ReplyOf<Req, Q>>;
  }

  /** As {@link ServerRef.cast}; false if nobody holds the name. */
  cast(request: Cast): boolean {
    return castServer(this.system, this.name, request);
  }

  /** As {@link ServerRef.stop}. */
  stop(reason: ExitReason = ExitReason.normal): Promise<void> {
    checkExitReason('NamedServerRef.stop', reason);
    return stopServer(this.system, this.name, reason);
  }

  /** The name. */
  toString(): string {
    return this.name;
  }
}

/**
 * Anything a call can go through: a {@link ServerRef} or a {@link NamedServerRef}.
 * @example
 * ```ts
 * async function stats(cache: AnyServerRef<CacheCall>) { return cache.call({ kind: 'stats' }); }
 * ```
 * @since 0.1.0
 */
export type AnyServerRef<Req = unknown, Cast = never> = ServerRef<Req, Cast> | NamedServerRef<Req, Cast>;
