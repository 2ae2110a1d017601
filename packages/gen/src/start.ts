/**
 * Synchronous start, as OTP's `start_link`: spawn the process, resolve once its `init` has
 * completed, reject if it exits first.
 *
 * @module
 */
import { type ActorContext, ActorSystem, type Behavior, type MailboxOptions, type Pid, type SpawnOptions } from '@joerl/core';
import { asError } from './arguments.js';
import { InitFailedError } from './errors.js';

/**
 * Where a process is started from: the system (a root process, `parent` null), or an actor's
 * `ctx` (the process is that actor's child: `parent` is the starter, as supervisors need).
 * @example
 * ```ts
 * await GenServer.start(system, def, arg); // a root server
 * await GenServer.start(ctx, def, arg, { link: true }); // a child of the actor owning ctx
 * ```
 * @since 0.1.0
 */
export type Starter = ActorSystem | ActorContext<never>;

/**
 * Options of `GenServer.start`, `GenStatem.start` and `Supervisor.start`.
 * @example
 * ```ts
 * await GenServer.start(ctx, cache, {}, { name: 'cache', link: true, type: 'cache' });
 * ```
 * @since 0.1.0
 */
export interface StartOptions {
  /** Register the process under this name (a taken name rejects with core's NameTakenError). */
  readonly name?: string;
  /**
   * Link it: `true` links it to the starting actor (start from a `ctx`), a {@link Pid} to that
   * actor. The link exists before `init` runs, as with `start_link`.
   */
  readonly link?: boolean | Pid;
  /** The actor type label (default: the definition's `type`). */
  readonly type?: string;
  /** Trap exits from the start (before `init`). */
  readonly trapExit?: boolean;
  /** Mailbox capacity and overflow policy. */
  readonly mailbox?: MailboxOptions;
}

/**
 * What a start resolves with when `init` returned `ignore` (OTP's `ignore`): no process runs,
 * and there is no pid. A supervisor keeps such a child in its list, not running.
 * @example
 * ```ts
 * const started = await GenServer.start(system, optionalCache, config);
 * if (started.pid === null) console.log('cache disabled'); // started is IGNORED
 * ```
 * @since 0.1.1
 */
export interface Ignored {
  readonly kind: 'ignored';
  readonly pid: null;
}

/**
 * The one {@link Ignored} value.
 * @example
 * ```ts
 * if ((await GenServer.start(system, def, arg)) === IGNORED) return;
 * ```
 * @since 0.1.1
 */
export const IGNORED: Ignored = Object.freeze({ kind: 'ignored', pid: null });

/**
 * What `init` returns to not start at all, as OTP's `ignore`: the process exits `normal`
 * (its terminate does not run), the start resolves with `IGNORED` (no pid), and a supervisor
 * keeps the child in its list, not running. Only a definition whose last type parameter is
 * `true` may return it, so that its `start` is typed `ServerRef | Ignored`.
 * @example
 * ```ts
 * const cache: GenServerDefinition<Cache, Config, CacheCall, never, never, true> = {
 *   type: 'cache',
 *   init: (config) => (config.enabled ? GenServer.ok(new Cache()) : GenServer.ignore()),
 * };
 * ```
 * @since 0.1.1
 */
export type IgnoreResult = { readonly kind: 'ignore' };

/** @internal the one ignore result. */
export const IGNORE: IgnoreResult = Object.freeze({ kind: 'ignore' });

/** @internal what a startable behaviour calls once its init succeeded (`true`) or returned ignore (`false`). */
export interface StartHook {
  onStarted: ((started: boolean) => void) | null;
}

/** @internal the system of a starter. */
export function systemOf(starter: Starter): ActorSystem {
  return starter instanceof ActorSystem ? starter : (starter as ActorContext<unknown>).system;
}


/**
 * @internal Spawns `behavior` from `starter` and resolves with `result(pid)` once its init
 * completed, or with {@link IGNORED} if init returned ignore.
 */
export function startProcess<R>(
  starter: Starter,
  behavior: Behavior<unknown> & StartHook,
  type: string,
  options: StartOptions | undefined,
  result: (system: ActorSystem, pid: Pid) => R,
): Promise<R | Ignored> {
  return new Promise<R | Ignored>((resolve, reject) => {
    const system = systemOf(starter);
    const spawnOptions: SpawnOptions = {
      type,
      ...(options?.name === undefined ? {} : { name: options.name }),
      ...(options?.link === undefined ? {} : { link: options.link }),
      ...(options?.trapExit === undefined ? {} : { trapExit: options.trapExit }),
      ...(options?.mailbox === undefined ? {} : { mailbox: options.mailbox }),
    };
    let pid: Pid;
    try {
      pid = starter instanceof ActorSystem ? starter.spawn(behavior, spawnOptions).pid : (starter as ActorContext<unknown>).spawn(behavior, spawnOptions).pid;
    } catch (error) {
      reject(asError(error));
      return;
    }
    // Monitored before init runs (it runs on the scheduler's next drain): any exit before init completed is a failed start.
    const monitor = system.monitor(pid, (down) => {
      behavior.onStarted = null;
      reject(new InitFailedError(type, down.reason));
    });
    behavior.onStarted = (started) => {
      behavior.onStarted = null;
      system.demonitor(monitor);
      resolve(started ? result(system, pid) : IGNORED);
    };
  });
}
