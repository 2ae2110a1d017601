/**
 * Typed refs to servers (GenServer and GenStatem processes): `call`, `cast`, `stop`.
 *
 * @module
 */
import { type ActorSystem, ExitReason, type Pid, type RemoteName } from '@joerl/core';
import { checkExitReason, checkPid, checkServerName, checkSystem } from './arguments.js';
import { type CallOptions, callServer, castServer, DEFAULT_CALL_TIMEOUT_MS, remoteLabel, stopServer, type StopOptions } from './client.js';
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
   * resolves once it exited, as OTP's `gen_server:stop/3`, also for a server on another node.
   * Rejects with NoProcError if it is not alive, CallTimeoutError once `options.timeoutMs`
   * passed (default: wait forever; the server goes on stopping), and for a server on another
   * node with CalleeExitedError (reason `noconnection`) as soon as its node is down.
   * @throws InvalidArgumentError if `reason` is not an ExitReason or `options` are of the wrong type.
   * @example
   * ```ts
   * await ref.stop(ExitReason.shutdown(), { timeoutMs: 5000 });
   * ```
   */
  stop(reason: ExitReason = ExitReason.normal, options?: StopOptions): Promise<void> {
    checkExitReason('ServerRef.stop', reason);
    return stopServer(this.system, this.pid, reason, options);
  }

  /** Whether the server is alive (for a server on another node: false; ask with a call). */
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
 * The name may be on another node of a cluster: `{ name, node }` (Erlang's `{Name, Node}`);
 * calls, casts and stops then go through the system's distribution (such as `@joerl/cluster`),
 * with the same errors as for a local name, and reason `noconnection` when that node is down.
 *
 * @example
 * ```ts
 * const cache = NamedServerRef.of<CacheCall, CacheCast>(system, 'cache');
 * await cache.call({ kind: 'get', key: 'a' });
 * const remote = GenServer.named<CacheCall>(system, { name: 'cache', node: 'orders-2' });
 * await remote.call({ kind: 'get', key: 'a' });
 * ```
 * @since 0.1.0
 */
export class NamedServerRef<Req = unknown, Cast = never> {
  /** The system the calls go from (and the name is registered in, for a local name). */
  readonly system: ActorSystem;
  /** The registered name. */
  readonly name: string;
  /** The node the name is registered on, or null for the system's own node. */
  readonly node: string | null;
  /** The timeout of a call without `timeoutMs`: 5000 ms for a GenServer, `Infinity` for a GenStatem. */
  readonly defaultTimeoutMs: number;
  /** What calls address: the name, or `{ name, node }` (made once). */
  private readonly address: string | RemoteName;

  /** @internal */
  constructor(system: ActorSystem, name: string | RemoteName, defaultTimeoutMs: number) {
    this.system = system;
    this.address = name;
    this.name = typeof name === 'string' ? name : name.name;
    this.node = typeof name === 'string' ? null : name.node;
    this.defaultTimeoutMs = defaultTimeoutMs;
  }

  /**
   * A typed ref to the GenServer registered as `name` (now or later), on this node or, with
   * `{ name, node }`, on another node of the cluster; calls default to 5000 ms
   * (`GenStatem.named` gives a ref whose calls wait forever).
   * @throws InvalidArgumentError for a `system` that is not an ActorSystem, or a `name` that is
   *   neither a non-empty string nor `{ name, node }` of non-empty strings.
   */
  static of<Req = unknown, Cast = never>(system: ActorSystem, name: string | RemoteName): NamedServerRef<Req, Cast> {
    checkSystem('NamedServerRef.of', system);
    const checked = checkServerName('NamedServerRef.of', name);
    return new NamedServerRef<Req, Cast>(system, checked, DEFAULT_CALL_TIMEOUT_MS);
  }

  /** The local pid holding the name now, or undefined (always undefined for a name on another node). */
  whereis(): Pid | undefined {
    if (this.node !== null && this.node !== this.system.nodeName) return undefined;
    return this.system.whereis(this.name);
  }

  /** As {@link ServerRef.call}; rejects with NoProcError if nobody holds the name. */
  call<Q extends Req>(request: Q, options?: CallOptions): Promise<ReplyOf<Req, Q>> {
    return callServer(this.system, this.address, request, options, this.defaultTimeoutMs) as Promise<ReplyOf<Req, Q>>;
  }

  /** As {@link ServerRef.cast}; false if nobody holds the name (on another node: false if it is down). */
  cast(request: Cast): boolean {
    return castServer(this.system, this.address, request);
  }

  /** As {@link ServerRef.stop}. */
  stop(reason: ExitReason = ExitReason.normal, options?: StopOptions): Promise<void> {
    checkExitReason('NamedServerRef.stop', reason);
    return stopServer(this.system, this.address, reason, options);
  }

  /** The name, `name@node` for a name on another node. */
  toString(): string {
    return typeof this.address === 'string' ? this.address : remoteLabel(this.address);
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
