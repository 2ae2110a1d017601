/**
 * Child specifications: what a supervisor starts, how it restarts it, and how it stops it.
 *
 * @module
 */
import { type ActorContext, InvalidConfigError, type Pid } from '@joerl/core';
import { checkChildSpecOptions } from './arguments.js';
import type { Ignored } from './start.js';

/**
 * When a child is restarted:
 * - `permanent`: always.
 * - `transient`: only after an abnormal exit (not `normal` or `shutdown`).
 * - `temporary`: never; its spec is removed once it exits.
 * @example
 * ```ts
 * const spec: ChildSpec = { id: 'job', start, restart: 'transient' };
 * ```
 * @since 0.1.0
 */
export type RestartType = 'permanent' | 'transient' | 'temporary';

/**
 * How a child is stopped: `ms` to run its terminate after a `shutdown` exit signal before it is
 * killed (any non-negative number; `Infinity` is the same as `'infinity'`); `'brutal_kill'`
 * kills it at once; `'infinity'` waits as long as it takes (the default for supervisors, whose
 * subtrees stop in turn).
 * @example
 * ```ts
 * const spec: ChildSpec = { id: 'db', start, shutdown: 10_000 }; // 10 s to close connections
 * ```
 * @since 0.1.0
 */
export type Shutdown = number | 'brutal_kill' | 'infinity';

/**
 * Whether a child is a worker or a supervisor (the role in the tree; its actor type label is
 * its own, e.g. `'inventory'`).
 * @example
 * ```ts
 * const spec: ChildSpec = { id: 'pool', start, type: 'supervisor' };
 * ```
 * @since 0.1.0
 */
export type ChildType = 'worker' | 'supervisor';

/**
 * What a child's `start` resolves to: anything with the child's pid (a ServerRef, an ActorRef).
 *
 * @example
 * ```ts
 * const started: StartedChild = await GenServer.start(sup, cache, {}, { link: true });
 * ```
 * @since 0.1.0
 */
export interface StartedChild {
  readonly pid: Pid;
}

/**
 * Starts a child *from the supervisor*: spawn it from `supervisor` (so the supervisor is its
 * parent) and link it (`{ link: true }`). The supervisor links itself to the returned pid in
 * any case, so a child is never left unlinked. Resolving with `IGNORED` (what a start resolves
 * with when init returned ignore) starts nothing: the supervisor keeps the child, not running,
 * as OTP's `ignore` (a temporary child's spec is dropped).
 *
 * @example
 * ```ts
 * const start: ChildStart = (sup) => GenServer.start(sup, cacheServer, { size: 100 }, { link: true, name: 'cache' });
 * ```
 * @since 0.1.0
 */
export type ChildStart = (supervisor: ActorContext<never>) => StartedChild | Ignored | PromiseLike<StartedChild | Ignored>;

/**
 * One child of a {@link Supervisor}.
 *
 * @example
 * ```ts
 * const cache: ChildSpec = {
 *   id: 'cache',
 *   start: (sup) => GenServer.start(sup, cacheServer, {}, { link: true, name: 'cache' }),
 *   restart: 'permanent',
 *   shutdown: 2000,
 * };
 * ```
 * @since 0.1.0
 */
export interface ChildSpec {
  /** Unique among the supervisor's children. */
  readonly id: string;
  /** Starts the child; see {@link ChildStart}. */
  readonly start: ChildStart;
  /** Default `permanent`. */
  readonly restart?: RestartType;
  /** Default 5000 ms for a worker, `'infinity'` for a supervisor. */
  readonly shutdown?: Shutdown;
  /** Default `worker`. */
  readonly type?: ChildType;
}

/**
 * A child of a {@link DynamicSupervisor}: a {@link ChildSpec} whose `id` is optional (dynamic
 * children are known by pid).
 * @example
 * ```ts
 * await DynamicSupervisor.startChild(pool, { start: (sup) => GenServer.start(sup, session, user, { link: true }) });
 * ```
 * @since 0.1.0
 */
export type DynamicChildSpec = Omit<ChildSpec, 'id'> & { readonly id?: string };

/** @internal a spec with its defaults filled in. */
export interface ResolvedChildSpec {
  readonly id: string;
  readonly start: ChildStart;
  readonly restart: RestartType;
  readonly shutdown: Shutdown;
  readonly type: ChildType;
}

const RESTARTS: readonly RestartType[] = ['permanent', 'transient', 'temporary'];
const TYPES: readonly ChildType[] = ['worker', 'supervisor'];

/** @internal Validates a spec and fills in its defaults. */
export function resolveChildSpec(spec: DynamicChildSpec, defaultId: string): ResolvedChildSpec {
  if (typeof spec !== 'object' || spec === null) throw new InvalidConfigError('child spec', spec, 'an object { id, start, restart?, shutdown?, type? }');
  const id = spec.id ?? defaultId;
  if (typeof id !== 'string' || id.length === 0) throw new InvalidConfigError('child spec id', id, 'a non-empty string');
  if (typeof spec.start !== 'function') throw new InvalidConfigError(`child '${id}' start`, spec.start, 'a function (supervisor ctx) => { pid } | Promise<{ pid }>');
  // Only `undefined` means "the default": a `null` is a mistake to report, not a default to pick.
  const restart = spec.restart === undefined ? 'permanent' : spec.restart;
  if (!RESTARTS.includes(restart)) throw new InvalidConfigError(`child '${id}' restart`, restart, "'permanent', 'transient' or 'temporary'");
  const type = spec.type === undefined ? 'worker' : spec.type;
  if (!TYPES.includes(type)) throw new InvalidConfigError(`child '${id}' type`, type, "'worker' or 'supervisor'");
  const shutdown = spec.shutdown === undefined ? (type === 'supervisor' ? 'infinity' : 5000) : spec.shutdown;
  if (shutdown !== 'brutal_kill' && shutdown !== 'infinity' && !(typeof shutdown === 'number' && shutdown >= 0)) {
    throw new InvalidConfigError(`child '${id}' shutdown`, shutdown, "a non-negative number of milliseconds, Infinity, 'brutal_kill' or 'infinity'");
  }
  return { id, start: spec.start, restart, shutdown: shutdown === Number.POSITIVE_INFINITY ? 'infinity' : shutdown, type };
}

/** @internal What every `childSpec` helper takes: the child's id, registered name, type label and restart policy. */
export interface ChildSpecOptions {
  readonly id?: string;
  readonly name?: string;
  readonly type?: string;
  readonly restart?: RestartType;
  readonly shutdown?: Shutdown;
}

/**
 * @internal The one way the behaviours build a child spec: the child is started linked to its
 * supervisor, under the given name and type, so a behaviour's `childSpec` cannot forget the link.
 */
export function linkedChildSpec(
  defaultId: string,
  options: ChildSpecOptions,
  start: (supervisor: ActorContext<never>, startOptions: { readonly link: true; readonly name?: string; readonly type?: string }) => PromiseLike<StartedChild | Ignored>,
  childType?: ChildType,
): ChildSpec {
  checkChildSpecOptions('childSpec', options);
  const startOptions = {
    link: true as const,
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.type === undefined ? {} : { type: options.type }),
  };
  return {
    id: options.id ?? defaultId,
    start: (sup) => start(sup, startOptions),
    ...(childType === undefined ? {} : { type: childType }),
    ...(options.restart === undefined ? {} : { restart: options.restart }),
    ...(options.shutdown === undefined ? {} : { shutdown: options.shutdown }),
  };
}
