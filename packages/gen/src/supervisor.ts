/**
 * Supervisor: starts children in order, restarts them by strategy within a restart intensity,
 * and stops them in reverse order, as OTP's `supervisor`.
 *
 * @module
 */
import {
  type ActorContext,
  type ActorSystem,
  ExitReason,
  InvalidArgumentError,
  InvalidConfigError,
  isOrderlyExit,
  type Pid,
  type RemoteName,
} from '@joerl/core';
import { type From, replyError } from './call-table.js';
import { startChildProcess, shutdownChild } from './child-process.js';
import { type ChildSpec, linkedChildSpec, type ChildType, type ResolvedChildSpec, resolveChildSpec, type RestartType, type Shutdown } from './child-spec.js';
import { asError, checkServerName, checkStarter, checkStartOptions, checkSystem, isInstance } from './arguments.js';
import { type CallOptions, DEFAULT_CALL_TIMEOUT_MS } from './client.js';
import { ChildNotFoundError, ChildRunningError, ChildStartError, DuplicateChildError } from './errors.js';
import { GenServer, type GenServerDefinition, type NoReplyResult } from './gen-server.js';
import { handleOf } from './handle.js';
import { isExitSignal } from './parent.js';
import type { Call } from './protocol.js';
import { checkIntensity, RestartIntensity } from './restart-intensity.js';
import { type AnyServerRef, NamedServerRef, ServerRef } from './server-ref.js';
import type { StartOptions, Starter } from './start.js';

/**
 * How a supervisor restarts after a child exits abnormally (or at all, if permanent):
 * - `one_for_one`: only that child;
 * - `one_for_all`: stop every other child (reverse start order), then restart all (start order);
 * - `rest_for_one`: stop the children started after it (reverse order), then restart it and them.
 * @example
 * ```ts
 * Supervisor.start(system, { strategy: 'rest_for_one', children: [db, cache, api] });
 * ```
 * @since 0.1.0
 */
export type SupervisorStrategy = 'one_for_one' | 'one_for_all' | 'rest_for_one';

/**
 * A supervisor: strategy, restart intensity, and children (started in this order).
 *
 * @example
 * ```ts
 * const tree: SupervisorSpec = {
 *   strategy: 'one_for_one',
 *   intensity: 3,
 *   periodMs: 5000,
 *   children: [GenServer.childSpec(cache, {}, { name: 'cache' }), GenServer.childSpec(api, 8080)],
 * };
 * ```
 * @since 0.1.0
 */
export interface SupervisorSpec {
  readonly strategy: SupervisorStrategy;
  /**
   * Restarts allowed within `periodMs` (default 1, OTP's default; Elixir's is 3); one more and
   * the supervisor gives up.
   */
  readonly intensity?: number;
  /** The restart window (default 5000 ms, OTP's default): any positive, finite number of milliseconds. */
  readonly periodMs?: number;
  /** The children, in start order. */
  readonly children: readonly ChildSpec[];
}

/**
 * One child, as `whichChildren` reports it.
 * @example
 * ```ts
 * const running = (await Supervisor.whichChildren(sup)).filter((c) => c.pid !== null);
 * ```
 * @since 0.1.0
 */
export interface ChildInfo {
  readonly id: string;
  /** Null when not running (terminated, a transient child that exited normally, or a start that was ignored). */
  readonly pid: Pid | null;
  readonly type: ChildType;
  readonly restart: RestartType;
  /** The running child's actor type label, e.g. `'inventory'` (null when not running). */
  readonly actorType: string | null;
}

/**
 * What `countChildren` reports.
 * @example
 * ```ts
 * const { active, specs } = await Supervisor.countChildren(sup);
 * ```
 * @since 0.1.0
 */
export interface ChildCounts {
  /** Child specs. */
  readonly specs: number;
  /** Running children. */
  readonly active: number;
  /** Specs of type supervisor. */
  readonly supervisors: number;
  /** Specs of type worker. */
  readonly workers: number;
}

/**
 * The requests a supervisor serves (what its API functions send).
 * @example
 * ```ts
 * const sup: ServerRef<SupervisorCall> = await Supervisor.start(system, spec);
 * ```
 * @since 0.1.0
 */
export type SupervisorCall =
  | Call<{ readonly kind: 'which_children' }, ChildInfo[]>
  | Call<{ readonly kind: 'count_children' }, ChildCounts>
  | Call<{ readonly kind: 'start_child'; readonly spec: ChildSpec }, Pid | null>
  | Call<{ readonly kind: 'terminate_child'; readonly id: string }, void>
  | Call<{ readonly kind: 'restart_child'; readonly id: string }, Pid | null>
  | Call<{ readonly kind: 'delete_child'; readonly id: string }, void>;

/**
 * A ref to a supervisor (by pid, or by registered name).
 * @example
 * ```ts
 * const sup: SupervisorRef = Supervisor.named(system, 'app');
 * ```
 * @since 0.1.0
 */
export type SupervisorRef = AnyServerRef<SupervisorCall, never>;

/**
 * Options of {@link Supervisor.start}: as any start, `type` defaulting to `'supervisor'`.
 * @example
 * ```ts
 * await Supervisor.start(ctx, spec, { name: 'db-sup', type: 'db-sup', link: true });
 * ```
 * @since 0.1.0
 */
export type SupervisorStartOptions = Omit<StartOptions, 'trapExit'>;

/**
 * The reason a supervisor exits with when its restart intensity is exceeded.
 *
 * @example
 * ```ts
 * if ((await system.join(sup.pid)).kind === 'shutdown') console.log('gave up'); // reason: MAX_RESTART_INTENSITY
 * ```
 * @since 0.1.0
 */
export const MAX_RESTART_INTENSITY = ExitReason.shutdown('reached_max_restart_intensity');

/** @internal one child and its current incarnation. */
class Child {
  readonly spec: ResolvedChildSpec;
  pid: Pid | null = null;
  actorType: string;
  constructor(spec: ResolvedChildSpec) {
    this.spec = spec;
    this.actorType = spec.type;
  }
}

/** @internal the supervisor's state: mutated in place, as the process is its only user. */
class SupervisorState {
  readonly strategy: SupervisorStrategy;
  readonly intensity: RestartIntensity;
  children: Child[];
  constructor(strategy: SupervisorStrategy, intensity: RestartIntensity, children: Child[]) {
    this.strategy = strategy;
    this.intensity = intensity;
    this.children = children;
  }
}

type Ctx = ActorContext<never>;
type Result = NoReplyResult<SupervisorState>;

const STRATEGIES: readonly SupervisorStrategy[] = ['one_for_one', 'one_for_all', 'rest_for_one'];

function checkSpec(spec: SupervisorSpec): Child[] {
  try {
    return checkSpecShape(spec);
  } catch (error) {
    if (error instanceof InvalidConfigError) throw error;
    // a revoked Proxy or a throwing getter somewhere in the spec
    throw new InvalidConfigError('supervisor spec', spec, 'an object { strategy, intensity?, periodMs?, children } that can be read');
  }
}

function checkSpecShape(spec: SupervisorSpec): Child[] {
  if (typeof spec !== 'object' || spec === null) throw new InvalidConfigError('supervisor spec', spec, 'an object { strategy, intensity?, periodMs?, children }');
  if (!STRATEGIES.includes(spec.strategy)) throw new InvalidConfigError('supervisor strategy', spec.strategy, "'one_for_one', 'one_for_all' or 'rest_for_one'");
  checkIntensity(spec.intensity, spec.periodMs);
  if (!Array.isArray(spec.children)) throw new InvalidConfigError('supervisor children', spec.children, 'an array of child specs');
  const ids = new Set<string>();
  return spec.children.map((c: ChildSpec, i) => {
    const resolved = resolveChildSpec(c, `child-${i}`);
    if (ids.has(resolved.id)) throw new InvalidConfigError('supervisor children', resolved.id, 'distinct child ids');
    ids.add(resolved.id);
    return new Child(resolved);
  });
}

/** Starts `child`; its pid, or null if its start was ignored (OTP: the child stays, with no pid). */
async function start(ctx: Ctx, child: Child): Promise<Pid | null> {
  const started = await startChildProcess(ctx, child.spec);
  if (started === null) {
    child.pid = null;
    return null;
  }
  child.pid = started.pid;
  child.actorType = started.actorType;
  return started.pid;
}

/** OTP drops the spec of a temporary child whose start was ignored: it would never run. */
function dropIgnoredTemporary(state: SupervisorState, child: Child): void {
  if (child.pid === null && child.spec.restart === 'temporary') state.children = state.children.filter((c) => c !== child);
}

async function stop(ctx: Ctx, child: Child): Promise<void> {
  const pid = child.pid;
  if (pid === null) return;
  child.pid = null;
  await shutdownChild(ctx, pid, child.spec.shutdown);
}

/** Stops `children` that run, last first. */
async function stopAll(ctx: Ctx, children: readonly Child[]): Promise<void> {
  for (let i = children.length - 1; i >= 0; i--) await stop(ctx, children[i] as Child);
}

/**
 * The child a management call names, or undefined after failing the call: with
 * ChildNotFoundError for an unknown id, and with ChildRunningError if it must be stopped and is not.
 */
function childFor(state: SupervisorState, id: string, from: From<unknown>, mustBeStopped: boolean): Child | undefined {
  const child = find(state, id);
  if (child === undefined) {
    replyError(from, new ChildNotFoundError(id));
    return undefined;
  }
  if (mustBeStopped && child.pid !== null) {
    replyError(from, new ChildRunningError(child.spec.id, child.pid));
    return undefined;
  }
  return child;
}

function find(state: SupervisorState, id: string): Child | undefined {
  return state.children.find((c) => c.spec.id === id);
}

function info(c: Child): ChildInfo {
  return { id: c.spec.id, pid: c.pid, type: c.spec.type, restart: c.spec.restart, actorType: c.pid === null ? null : c.actorType };
}

/** The supervisor, as a GenServer trapping exits. */
const supervisorServer: GenServerDefinition<SupervisorState, SupervisorSpec, SupervisorCall, never, never> = {
  type: 'supervisor',

  async init(spec, ctx) {
    const children = checkSpec(spec);
    const state = new SupervisorState(spec.strategy, new RestartIntensity(spec.strategy, spec.intensity, spec.periodMs, ctx.system.clock), children);
    for (let i = 0; i < children.length; i++) {
      try {
        // OTP: an ignored child stays in the list, not running, and the next one starts.
        await start(ctx, children[i] as Child);
      } catch (error) {
        // OTP: stop what was started, in reverse, and fail the start.
        await stopAll(ctx, children.slice(0, i));
        return { kind: 'stop', reason: ExitReason.shutdown(error) };
      }
    }
    for (const c of children) dropIgnoredTemporary(state, c);
    const ins = ctx.system.instrumentation;
    if (ins !== null) ins.supervisorStarted(handleOf(ctx), state.intensity);
    return GenServer.ok(state);
  },

  async handleCall(request, from, state, ctx) {
    const f = from as From<unknown>;
    switch (request.kind) {
      case 'which_children':
        return GenServer.reply(state.children.map(info), state);
      case 'count_children': {
        let active = 0;
        let supervisors = 0;
        for (const c of state.children) {
          if (c.pid !== null) active++;
          if (c.spec.type === 'supervisor') supervisors++;
        }
        const counts: ChildCounts = { specs: state.children.length, active, supervisors, workers: state.children.length - supervisors };
        return GenServer.reply(counts, state);
      }
      case 'start_child': {
        let spec: ResolvedChildSpec;
        try {
          spec = resolveChildSpec(request.spec, '');
        } catch (error) {
          replyError(f, error);
          return GenServer.noreply(state);
        }
        const existing = find(state, spec.id);
        if (existing !== undefined) {
          replyError(f, new DuplicateChildError(spec.id, existing.pid));
          return GenServer.noreply(state);
        }
        const child = new Child(spec);
        let pid: Pid | null;
        try {
          pid = await start(ctx, child);
        } catch (error) {
          replyError(f, error);
          return GenServer.noreply(state);
        }
        state.children.push(child);
        dropIgnoredTemporary(state, child);
        return GenServer.reply(pid, state);
      }
      case 'terminate_child': {
        const child = childFor(state, request.id, f, false);
        if (child === undefined) return GenServer.noreply(state);
        await stop(ctx, child);
        if (child.spec.restart === 'temporary') state.children = state.children.filter((c) => c !== child);
        return GenServer.reply(undefined, state);
      }
      case 'restart_child': {
        const child = childFor(state, request.id, f, true);
        if (child === undefined) return GenServer.noreply(state);
        let pid: Pid | null;
        try {
          pid = await start(ctx, child);
        } catch (error) {
          replyError(f, error);
          return GenServer.noreply(state);
        }
        return GenServer.reply(pid, state);
      }
      case 'delete_child': {
        const child = childFor(state, request.id, f, true);
        if (child === undefined) return GenServer.noreply(state);
        state.children = state.children.filter((c) => c !== child);
        return GenServer.reply(undefined, state);
      }
      default:
        replyError(f, new InvalidConfigError('supervisor request', request, 'a request made by its API functions'));
        return GenServer.noreply(state);
    }
  },

  handleInfo(message, state, ctx) {
    if (!isExitSignal(message)) return GenServer.noreply(state);
    const signal = message;
    const child = state.children.find((c) => c.pid === signal.from);
    // Not a current child: one stopped on purpose, or some other linked process. Ignore, as OTP.
    if (child === undefined) return GenServer.noreply(state);
    child.pid = null;
    switch (child.spec.restart) {
      case 'temporary':
        state.children = state.children.filter((c) => c !== child);
        return GenServer.noreply(state);
      case 'transient':
        if (isOrderlyExit(signal.reason)) return GenServer.noreply(state);
        return restart(ctx, state, child);
      case 'permanent':
        return restart(ctx, state, child);
      default:
        return GenServer.noreply(state);
    }
  },

  async terminate(_reason, state, ctx) {
    await stopAll(ctx, state.children);
  },
};

/** Restarts after `failed` exited, by the strategy; gives up when the intensity is exceeded. */
async function restart(ctx: Ctx, state: SupervisorState, failed: Child): Promise<Result> {
  const ins = ctx.system.instrumentation;
  const clock = ctx.system.clock;
  const began = clock.now();
  for (;;) {
    if (!state.intensity.add()) {
      if (ins !== null) ins.supervisorIntensityExceeded(handleOf(ctx));
      return GenServer.stop(MAX_RESTART_INTENSITY, state);
    }
    try {
      await restartGroup(ctx, state, failed);
      break;
    } catch (error) {
      // A failed restart counts as another restart, as OTP's try_again.
      if (!(error instanceof ChildStartError)) throw error;
    }
  }
  if (ins !== null) ins.supervisorRestarted(handleOf(ctx), state.strategy, failed.actorType, clock.now() - began);
  return GenServer.noreply(state);
}

async function restartGroup(ctx: Ctx, state: SupervisorState, failed: Child): Promise<void> {
  switch (state.strategy) {
    case 'one_for_one':
      await start(ctx, failed);
      return;
    case 'one_for_all':
    case 'rest_for_one': {
      const at = state.children.indexOf(failed);
      const group = state.strategy === 'one_for_all' ? state.children.slice() : state.children.slice(at);
      await stopAll(ctx, group);
      // Temporary siblings are stopped, never restarted: their specs go.
      const dropped = group.filter((c) => c !== failed && c.spec.restart === 'temporary');
      if (dropped.length > 0) state.children = state.children.filter((c) => !dropped.includes(c));
      for (const c of group) if (!dropped.includes(c)) await start(ctx, c);
      return;
    }
    default:
      return;
  }
}

/** Calls to a supervisor wait as long as they take, as OTP's (stopping a child can take its shutdown time). */
const SUPERVISOR_CALL: CallOptions = { timeoutMs: Number.POSITIVE_INFINITY };

/**
 * @internal Checks the `sup` argument of a supervisor function: a ref from `start` or `named`.
 * @throws InvalidArgumentError
 */
export function checkSupervisorRef(fn: string, sup: unknown): void {
  if (!isInstance(sup, ServerRef) && !isInstance(sup, NamedServerRef)) {
    throw new InvalidArgumentError(fn, 'sup', sup, 'a supervisor ref, from Supervisor.start or Supervisor.named');
  }
}

function checkChildId(fn: string, id: unknown): void {
  if (typeof id !== 'string') throw new InvalidArgumentError(fn, 'id', id, 'a child id (a string)');
}

/**
 * Starting supervisors and managing their children.
 *
 * @example
 * ```ts
 * import { ActorSystem } from '@joerl/core';
 * import { GenServer, Supervisor } from '@joerl/gen';
 *
 * const system = new ActorSystem();
 * const sup = await Supervisor.start(system, {
 *   strategy: 'one_for_one',
 *   children: [GenServer.childSpec(counter, 0, { id: 'counter', name: 'counter' })],
 * });
 * console.log(await Supervisor.whichChildren(sup)); // [{ id: 'counter', pid: <0.2.0>, ... }]
 * await system.shutdown(); // stops the tree, children in reverse start order
 * ```
 * @since 0.1.0
 */
export const Supervisor = Object.freeze({
  /**
   * Starts a supervisor; resolves once every child started (in order). If one fails, those
   * started are stopped in reverse and the start rejects with InitFailedError (its `reason`
   * is `shutdown` with the ChildStartError as detail).
   */
  start(starter: Starter, spec: SupervisorSpec, options?: SupervisorStartOptions): Promise<ServerRef<SupervisorCall, never>> {
    checkStarter('Supervisor.start', starter);
    checkStartOptions('Supervisor.start', options);
    try {
      checkSpec(spec);
    } catch (error) {
      return Promise.reject(asError(error));
    }
    return GenServer.start(starter, supervisorServer, spec, { type: 'supervisor', ...options, trapExit: true });
  },

  /** A ref to the supervisor registered as `name`. */
  named(system: ActorSystem, name: string | RemoteName): NamedServerRef<SupervisorCall, never> {
    checkSystem('Supervisor.named', system);
    const checked = checkServerName('Supervisor.named', name);
    return new NamedServerRef<SupervisorCall, never>(system, checked, DEFAULT_CALL_TIMEOUT_MS);
  },

  /**
   * A child spec for a nested supervisor (type `supervisor`, shutdown `infinity` by default).
   *
   * @example
   * ```ts
   * Supervisor.childSpec({ strategy: 'one_for_all', children: [...] }, { id: 'db', type: 'db-sup' })
   * ```
   */
  childSpec(
    spec: SupervisorSpec,
    options: { readonly id?: string; readonly name?: string; readonly type?: string; readonly restart?: RestartType; readonly shutdown?: Shutdown } = {},
  ): ChildSpec {
    return linkedChildSpec(options.type ?? 'supervisor', options, (sup, startOptions) => Supervisor.start(sup, spec, startOptions), 'supervisor');
  },

  /**
   * Every child, in start order (an ignored child has `pid` null).
   * @throws InvalidArgumentError if `sup` is not a supervisor ref.
   */
  whichChildren(sup: SupervisorRef): Promise<ChildInfo[]> {
    checkSupervisorRef('Supervisor.whichChildren', sup);
    return sup.call({ kind: 'which_children' }, SUPERVISOR_CALL);
  },

  /**
   * How many specs, running children, supervisors and workers (an ignored child is a spec,
   * not active).
   * @throws InvalidArgumentError if `sup` is not a supervisor ref.
   */
  countChildren(sup: SupervisorRef): Promise<ChildCounts> {
    checkSupervisorRef('Supervisor.countChildren', sup);
    return sup.call({ kind: 'count_children' }, SUPERVISOR_CALL);
  },

  /**
   * Adds a child (last) and starts it; resolves with its pid, or null if its start was ignored
   * (the spec is then kept, not running, unless the child is temporary; OTP's `{ok, undefined}`).
   * @throws InvalidArgumentError if `sup` is not a supervisor ref.
   * @throws (rejects) DuplicateChildError, ChildStartError (the spec is then not kept), InvalidConfigError.
   */
  startChild(sup: SupervisorRef, spec: ChildSpec): Promise<Pid | null> {
    checkSupervisorRef('Supervisor.startChild', sup);
    return sup.call({ kind: 'start_child', spec }, SUPERVISOR_CALL);
  },

  /**
   * Stops a child by its shutdown spec; it is not restarted, and its spec stays (a temporary
   * child's goes).
   * @throws (rejects) ChildNotFoundError.
   */
  terminateChild(sup: SupervisorRef, id: string): Promise<void> {
    checkSupervisorRef('Supervisor.terminateChild', sup);
    checkChildId('Supervisor.terminateChild', id);
    return sup.call({ kind: 'terminate_child', id }, SUPERVISOR_CALL);
  },

  /**
   * Starts a stopped (or ignored) child again; resolves with its pid, or null if its start was
   * ignored again.
   * @throws (rejects) ChildNotFoundError, ChildRunningError, ChildStartError.
   */
  restartChild(sup: SupervisorRef, id: string): Promise<Pid | null> {
    checkSupervisorRef('Supervisor.restartChild', sup);
    checkChildId('Supervisor.restartChild', id);
    return sup.call({ kind: 'restart_child', id }, SUPERVISOR_CALL);
  },

  /**
   * Removes a stopped child's spec.
   * @throws (rejects) ChildNotFoundError, ChildRunningError.
   */
  deleteChild(sup: SupervisorRef, id: string): Promise<void> {
    checkSupervisorRef('Supervisor.deleteChild', sup);
    checkChildId('Supervisor.deleteChild', id);
    return sup.call({ kind: 'delete_child', id }, SUPERVISOR_CALL);
  },
});
