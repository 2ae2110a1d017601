/**
 * DynamicSupervisor: children started on demand and known by pid, as Elixir's
 * `DynamicSupervisor` (one_for_one, same restart intensity rules, optional `maxChildren`).
 *
 * @module
 */
import { type ActorContext, type ActorSystem, InvalidConfigError, isOrderlyExit, type Pid, type RemoteName } from '@joerl/core';
import { type From, replyError } from './call-table.js';
import { shutdownChild, startChildProcess } from './child-process.js';
import { type ChildSpec, linkedChildSpec, type ChildType, type DynamicChildSpec, type ResolvedChildSpec, resolveChildSpec, type RestartType, type Shutdown } from './child-spec.js';
import { asError, checkServerName, checkPid, checkStarter, checkStartOptions, checkSystem } from './arguments.js';
import { type CallOptions, DEFAULT_CALL_TIMEOUT_MS } from './client.js';
import { ChildNotFoundError, ChildStartError, MaxChildrenError } from './errors.js';
import { GenServer, type GenServerDefinition, type NoReplyResult } from './gen-server.js';
import { handleOf } from './handle.js';
import { isExitSignal } from './parent.js';
import type { Call } from './protocol.js';
import { checkIntensity, RestartIntensity } from './restart-intensity.js';
import { type AnyServerRef, NamedServerRef, type ServerRef } from './server-ref.js';
import type { StartOptions, Starter } from './start.js';
import { type ChildCounts, checkSupervisorRef, MAX_RESTART_INTENSITY } from './supervisor.js';

/**
 * A dynamic supervisor's settings.
 *
 * @example
 * ```ts
 * const pool: DynamicSupervisorSpec = { maxChildren: 100, intensity: 5, periodMs: 10_000 };
 * ```
 * @since 0.1.0
 */
export interface DynamicSupervisorSpec {
  /** At most this many children at once (default unlimited). */
  readonly maxChildren?: number;
  /** Restarts allowed within `periodMs` (default 1, OTP's default). */
  readonly intensity?: number;
  /** The restart window (default 5000 ms): any positive, finite number of milliseconds. */
  readonly periodMs?: number;
}

/**
 * One dynamic child, as `whichChildren` reports it.
 * @example
 * ```ts
 * for (const c of await DynamicSupervisor.whichChildren(pool)) console.log(c.pid, c.actorType);
 * ```
 * @since 0.1.0
 */
export interface DynamicChildInfo {
  readonly pid: Pid;
  readonly type: ChildType;
  readonly restart: RestartType;
  /** The child's actor type label. */
  readonly actorType: string;
}

/**
 * The requests a dynamic supervisor serves.
 * @example
 * ```ts
 * const pool: ServerRef<DynamicSupervisorCall> = await DynamicSupervisor.start(system);
 * ```
 * @since 0.1.0
 */
export type DynamicSupervisorCall =
  | Call<{ readonly kind: 'start_child'; readonly spec: DynamicChildSpec }, Pid | null>
  | Call<{ readonly kind: 'terminate_child'; readonly pid: Pid }, void>
  | Call<{ readonly kind: 'which_children' }, DynamicChildInfo[]>
  | Call<{ readonly kind: 'count_children' }, ChildCounts>;

/**
 * A ref to a dynamic supervisor (by pid, or by registered name).
 * @example
 * ```ts
 * const pool: DynamicSupervisorRef = DynamicSupervisor.named(system, 'sessions');
 * ```
 * @since 0.1.0
 */
export type DynamicSupervisorRef = AnyServerRef<DynamicSupervisorCall, never>;

const DYNAMIC = 'dynamic';

/** @internal one running child. */
class DynamicChild {
  readonly spec: ResolvedChildSpec;
  pid: Pid;
  actorType: string;
  constructor(spec: ResolvedChildSpec, pid: Pid, actorType: string) {
    this.spec = spec;
    this.pid = pid;
    this.actorType = actorType;
  }
}

/** @internal */
class DynamicState {
  readonly maxChildren: number;
  readonly intensity: RestartIntensity;
  /** By pid, in start order. */
  readonly children = new Map<Pid, DynamicChild>();
  constructor(maxChildren: number, intensity: RestartIntensity) {
    this.maxChildren = maxChildren;
    this.intensity = intensity;
  }
}

type Ctx = ActorContext<never>;

function checkSpec(spec: DynamicSupervisorSpec): number {
  if (typeof spec !== 'object' || spec === null) throw new InvalidConfigError('dynamic supervisor spec', spec, 'an object { maxChildren?, intensity?, periodMs? }');
  let max: unknown;
  try {
    max = spec.maxChildren ?? Number.POSITIVE_INFINITY;
    checkIntensity(spec.intensity, spec.periodMs);
  } catch (error) {
    if (error instanceof InvalidConfigError) throw error;
    throw new InvalidConfigError('dynamic supervisor spec', spec, 'an object { maxChildren?, intensity?, periodMs? } that can be read');
  }
  if (max !== Number.POSITIVE_INFINITY && (!Number.isInteger(max) || (max as number) < 0)) {
    throw new InvalidConfigError('dynamic supervisor maxChildren', max, 'a non-negative integer, or Infinity');
  }
  return max as number;
}

const dynamicServer: GenServerDefinition<DynamicState, DynamicSupervisorSpec, DynamicSupervisorCall, never, never> = {
  type: 'dynamic_supervisor',

  init(spec, ctx) {
    const state = new DynamicState(checkSpec(spec), new RestartIntensity(DYNAMIC, spec.intensity, spec.periodMs, ctx.system.clock));
    const ins = ctx.system.instrumentation;
    if (ins !== null) ins.supervisorStarted(handleOf(ctx), state.intensity);
    return GenServer.ok(state);
  },

  async handleCall(request, from, state, ctx) {
    const f = from as From<unknown>;
    switch (request.kind) {
      case 'start_child': {
        if (state.children.size >= state.maxChildren) {
          replyError(f, new MaxChildrenError(state.maxChildren));
          return GenServer.noreply(state);
        }
        try {
          const spec = resolveChildSpec(request.spec, DYNAMIC);
          const started = await startChildProcess(ctx, spec);
          // An ignored start adds no child (OTP's simple_one_for_one: {ok, undefined}).
          if (started === null) return GenServer.reply(null, state);
          state.children.set(started.pid, new DynamicChild(spec, started.pid, started.actorType));
          return GenServer.reply(started.pid, state);
        } catch (error) {
          replyError(f, error);
          return GenServer.noreply(state);
        }
      }
      case 'terminate_child': {
        const child = state.children.get(request.pid);
        if (child === undefined) {
          replyError(f, new ChildNotFoundError(request.pid));
          return GenServer.noreply(state);
        }
        state.children.delete(child.pid);
        await shutdownChild(ctx, child.pid, child.spec.shutdown);
        return GenServer.reply(undefined, state);
      }
      case 'which_children':
        return GenServer.reply(
          [...state.children.values()].map((c) => ({ pid: c.pid, type: c.spec.type, restart: c.spec.restart, actorType: c.actorType })),
          state,
        );
      case 'count_children': {
        let supervisors = 0;
        for (const c of state.children.values()) if (c.spec.type === 'supervisor') supervisors++;
        const n = state.children.size;
        return GenServer.reply({ specs: n, active: n, supervisors, workers: n - supervisors }, state);
      }
      default:
        replyError(f, new InvalidConfigError('dynamic supervisor request', request, 'a request made by its API functions'));
        return GenServer.noreply(state);
    }
  },

  handleInfo(message, state, ctx) {
    if (!isExitSignal(message)) return GenServer.noreply(state);
    const signal = message;
    const child = state.children.get(signal.from);
    if (child === undefined) return GenServer.noreply(state);
    state.children.delete(child.pid);
    if (child.spec.restart === 'temporary') return GenServer.noreply(state);
    if (child.spec.restart === 'transient' && isOrderlyExit(signal.reason)) return GenServer.noreply(state);
    return restart(ctx, state, child);
  },

  async terminate(_reason, state, ctx) {
    // As Elixir's DynamicSupervisor: every child is asked to stop at once, then awaited.
    const children = [...state.children.values()];
    state.children.clear();
    await Promise.all(children.map((c) => shutdownChild(ctx, c.pid, c.spec.shutdown)));
  },
};

async function restart(ctx: Ctx, state: DynamicState, child: DynamicChild): Promise<NoReplyResult<DynamicState>> {
  const ins = ctx.system.instrumentation;
  const began = ctx.system.clock.now();
  for (;;) {
    if (!state.intensity.add()) {
      if (ins !== null) ins.supervisorIntensityExceeded(handleOf(ctx));
      return GenServer.stop(MAX_RESTART_INTENSITY, state);
    }
    try {
      const started = await startChildProcess(ctx, child.spec);
      if (started === null) break; // ignored on restart: the child is gone
      child.pid = started.pid;
      child.actorType = started.actorType;
      state.children.set(started.pid, child);
      break;
    } catch (error) {
      if (!(error instanceof ChildStartError)) throw error;
    }
  }
  if (ins !== null) ins.supervisorRestarted(handleOf(ctx), DYNAMIC, child.actorType, ctx.system.clock.now() - began);
  return GenServer.noreply(state);
}

const DYNAMIC_CALL: CallOptions = { timeoutMs: Number.POSITIVE_INFINITY };

/**
 * Starting dynamic supervisors and children under them.
 *
 * @example
 * ```ts
 * import { ActorSystem } from '@joerl/core';
 * import { DynamicSupervisor, GenServer } from '@joerl/gen';
 *
 * const system = new ActorSystem();
 * const pool = await DynamicSupervisor.start(system, { maxChildren: 10 }, { name: 'sessions' });
 * const pid = await DynamicSupervisor.startChild(pool, {
 *   start: (sup) => GenServer.start(sup, session, 'alice', { link: true }),
 *   restart: 'transient',
 * });
 * await DynamicSupervisor.terminateChild(pool, pid);
 * await system.shutdown();
 * ```
 * @since 0.1.0
 */
export const DynamicSupervisor = Object.freeze({
  /** Starts a dynamic supervisor with no children. */
  start(starter: Starter, spec: DynamicSupervisorSpec = {}, options?: Omit<StartOptions, 'trapExit'>): Promise<ServerRef<DynamicSupervisorCall, never>> {
    checkStarter('DynamicSupervisor.start', starter);
    checkStartOptions('DynamicSupervisor.start', options);
    try {
      checkSpec(spec);
    } catch (error) {
      return Promise.reject(asError(error));
    }
    return GenServer.start(starter, dynamicServer, spec, { type: 'dynamic_supervisor', ...options, trapExit: true });
  },

  /** A ref to the dynamic supervisor registered as `name`. */
  named(system: ActorSystem, name: string | RemoteName): NamedServerRef<DynamicSupervisorCall, never> {
    checkSystem('DynamicSupervisor.named', system);
    const checked = checkServerName('DynamicSupervisor.named', name);
    return new NamedServerRef<DynamicSupervisorCall, never>(system, checked, DEFAULT_CALL_TIMEOUT_MS);
  },

  /** A child spec for a dynamic supervisor nested in a supervision tree. */
  childSpec(
    spec: DynamicSupervisorSpec = {},
    options: { readonly id?: string; readonly name?: string; readonly type?: string; readonly restart?: RestartType; readonly shutdown?: Shutdown } = {},
  ): ChildSpec {
    return linkedChildSpec(options.type ?? 'dynamic_supervisor', options, (sup, startOptions) => DynamicSupervisor.start(sup, spec, startOptions), 'supervisor');
  },

  /**
   * Starts a child; resolves with its pid, or null if its start was ignored (no child is added).
   * @throws InvalidArgumentError if `sup` is not a supervisor ref.
   * @throws (rejects) MaxChildrenError, ChildStartError, InvalidConfigError.
   */
  startChild(sup: DynamicSupervisorRef, spec: DynamicChildSpec): Promise<Pid | null> {
    checkSupervisorRef('DynamicSupervisor.startChild', sup);
    return sup.call({ kind: 'start_child', spec }, DYNAMIC_CALL);
  },

  /**
   * Stops a child by its shutdown spec and forgets it.
   * @throws (rejects) ChildNotFoundError.
   */
  terminateChild(sup: DynamicSupervisorRef, pid: Pid): Promise<void> {
    checkSupervisorRef('DynamicSupervisor.terminateChild', sup);
    checkPid('DynamicSupervisor.terminateChild', 'pid', pid);
    return sup.call({ kind: 'terminate_child', pid }, DYNAMIC_CALL);
  },

  /** Every running child, in start order (a restarted child moves last). */
  whichChildren(sup: DynamicSupervisorRef): Promise<DynamicChildInfo[]> {
    checkSupervisorRef('DynamicSupervisor.whichChildren', sup);
    return sup.call({ kind: 'which_children' }, DYNAMIC_CALL);
  },

  /** Children counts (all specs are active: a dynamic child is forgotten when it stops). */
  countChildren(sup: DynamicSupervisorRef): Promise<ChildCounts> {
    checkSupervisorRef('DynamicSupervisor.countChildren', sup);
    return sup.call({ kind: 'count_children' }, DYNAMIC_CALL);
  },
});
