/**
 * The instrumentation port: every event the runtime (and `@joerl/gen`'s behaviours) can report.
 *
 * Core defines the interface and a do-nothing base, {@link NoopInstrumentation}; an
 * implementation such as `@joerl/telemetry` is passed as `new ActorSystem({ instrumentation })`.
 * With no instrumentation, each event costs one predictable `null` check.
 *
 * Hooks run synchronously on the actor hot path: keep them allocation-free, and never throw
 * (the runtime does not guard them, for speed).
 *
 * @module
 */
import type { ActorType } from './actor-type.js';
import type { DistributionEvents } from './distribution-events.js';
import type { ExitReason } from './exit-reason.js';
import type { Pid } from './pid.js';
import type { SignalKind, SignalOutcome } from './signal.js';
import type { ActorSystem } from './system.js';

/**
 * A read-only view of a live (or just-exited) actor, as hooks see it.
 * @since 0.1.0
 */
export interface ActorHandle {
  readonly pid: Pid;
  /** The shared per-type record; its `slot` is for the instrumentation's per-type data. */
  readonly actorType: ActorType;
  /** Shorthand for `actorType.name`. */
  readonly type: string;
  readonly name: string | undefined;
  /** The spawning actor, or null for actors spawned by the system. */
  readonly parent: Pid | null;
  /** Messages queued now. */
  readonly mailboxDepth: number;
  /** The mailbox capacity (may be `Infinity`). */
  readonly mailboxCapacity: number;
  /** Messages ever enqueued into its mailbox (core counts these for free: read them instead of counting sends). */
  readonly messagesReceived: number;
  /** Messages it has handled (one being handled counts). */
  readonly messagesProcessed: number;
  /** `clock.now()` at spawn. */
  readonly spawnedAt: number;
  /** False once the actor began exiting. */
  readonly alive: boolean;
  /** Per-actor data owned by the instrumentation; core never reads it. */
  slot: unknown;
}

/** Where a handler crashed. */
export type CrashPhase = 'init' | 'receive' | 'signal' | 'terminate';

/** Why a send did not enqueue (or, for `dropped`, which queued message was lost). */
export type SendFailureReason =
  /** the destination is dead, unknown, or belongs to another system */
  | 'noproc'
  /** the mailbox was full and its policy refused the message */
  | 'mailbox_full'
  /** a full `drop-oldest` mailbox dropped its oldest message to take a new one */
  | 'dropped'
  /** a `sendAsync` waited for room longer than its timeout */
  | 'timeout';

/** Every {@link SendFailureReason}: a closed set, safe as a metric label. */
export const SEND_FAILURE_REASONS: readonly SendFailureReason[] = Object.freeze([
  'noproc',
  'mailbox_full',
  'dropped',
  'timeout',
]);

/** How a GenServer/GenStatem call ended, as seen by the caller. */
export type CallOutcome = 'ok' | 'timeout' | 'noproc' | 'exit' | 'error';

/** Every {@link CallOutcome}. */
export const CALL_OUTCOMES: readonly CallOutcome[] = Object.freeze(['ok', 'timeout', 'noproc', 'exit', 'error']);

/** What a supervisor exposes to instrumentation about its restart budget. */
export interface SupervisorProbe {
  /** `'one_for_one'`, `'one_for_all'`, `'rest_for_one'`, or `'dynamic'`. */
  readonly strategy: string;
  /** Restarts allowed within `periodMs`. */
  readonly intensity: number;
  readonly periodMs: number;
  /** Restarts within the current window divided by `intensity` (0 when idle, 1 at the limit). */
  intensityUsage(): number;
}

/**
 * The instrumentation interface. Implement all of it, or extend {@link NoopInstrumentation}
 * and override what you need.
 *
 * Values returned by {@link Instrumentation.messageSent} travel with the message (its *meta*,
 * e.g. an enqueue timestamp or a trace context) and come back to `messageStart`/`messageEnd`;
 * the value returned by `messageStart` (its *token*) comes back to `messageEnd` and, when it
 * is not `undefined`, the handler is run through {@link Instrumentation.invoke} with it.
 * @since 0.1.0
 */
export interface Instrumentation {
  /**
   * Whether `messageStart` / `messageEnd` must run for every message. When false, they run only
   * for messages that carry meta (those `messageSent` returned something for), and every other
   * message takes the same path as with no instrumentation at all. Read per message: a getter
   * may change it over time.
   */
  readonly perMessage: boolean;
  /**
   * The distribution's events (traffic with other nodes, node events, remote calls, trace
   * context across nodes), when this instrumentation wants them. Read once, when a distribution
   * attaches (and by core once per remote send): leave it out and nodes report nothing.
   */
  readonly distribution?: DistributionEvents | null;
  /** The system this instrumentation serves was created with it (called once, from its constructor). */
  attached(system: ActorSystem): void;
  /** The system finished shutting down: release timers and resources. */
  detached(system: ActorSystem): void;
  /** An actor was spawned (before its `init`). */
  actorSpawned(actor: ActorHandle): void;
  /**
   * An actor is exiting with `count` (> 0) messages still queued that it will never handle.
   * Called once per exit, just before {@link Instrumentation.actorStopped}. With it, every
   * message sent is accounted for: sent = processed + refused + dropped + discarded.
   */
  messagesDiscarded(actor: ActorHandle, count: number): void;
  /** An actor finished exiting; its mailbox still holds the messages it never handled. */
  actorStopped(actor: ActorHandle, reason: ExitReason, lifetimeMs: number): void;
  /** A handler threw or rejected. The actor then exits with `{ kind: 'error' }` (unless `phase` is `terminate`). */
  actorCrashed(actor: ActorHandle, error: unknown, phase: CrashPhase): void;

  /**
   * A message was enqueued. `sender` is null outside actors. Returns the message's meta.
   * `message` is the payload itself, for a trace of one actor: never keep it, and never format
   * or inspect it for other actors (that would cost every send).
   */
  messageSent(target: ActorHandle, sender: ActorHandle | null, message: unknown): unknown;
  /** A send failed, or a queued message was dropped. `targetType` is null when unknown (a name nobody holds). */
  sendFailed(reason: SendFailureReason, targetType: ActorType | null, sender: ActorHandle | null): void;
  /** A send found the mailbox full (whatever the policy then did). */
  mailboxFull(actor: ActorHandle): void;
  /** A message leaves the mailbox and its handler is about to run. Returns a token (or undefined). */
  messageStart(actor: ActorHandle, meta: unknown): unknown;
  /**
   * A message's handler finished (for async handlers: settled). `error` is what it threw or
   * rejected with, `undefined` if it succeeded (it is also `undefined`, with `failed` true, when
   * the actor was killed while awaiting it). Called before `actorCrashed`.
   */
  messageEnd(actor: ActorHandle, meta: unknown, token: unknown, failed: boolean, error: unknown): void;
  /**
   * Runs `fn.call(thisArg, a, b)` in the context `token` stands for (e.g. an active span).
   * Called instead of the handler only when `token` is not undefined.
   */
  invoke<A, B, R>(token: unknown, fn: (a: A, b: B) => R, thisArg: unknown, a: A, b: B): R;

  /** A link was created between two live actors. */
  linkCreated(a: ActorHandle, b: ActorHandle): void;
  /** A monitor on a live actor was created; `watcher` is null for `system.monitor`. */
  monitorCreated(watcher: ActorHandle | null, target: ActorHandle): void;
  /** An exit/down/kill signal is sent to `to`; `from` is null when the system sent it. */
  signalSent(from: ActorHandle | null, to: ActorHandle, kind: SignalKind, reason: ExitReason): void;
  /** What became of a signal at its receiver. */
  signalReceived(to: ActorHandle, kind: SignalKind, reason: ExitReason, outcome: SignalOutcome): void;

  /**
   * A call or cast found no live server: a dead pid, or a name nobody holds (`serverType` is
   * then null). A call counts with outcome `noproc`; `caller` is null outside actors.
   */
  callRefused(kind: 'call' | 'cast', serverType: ActorType | null, caller: ActorHandle | null): void;
  /** A call to `server` began. Returns a token handed back to {@link Instrumentation.callEnded}. */
  callStarted(server: ActorHandle, caller: ActorHandle | null): unknown;
  /** A call ended, as the caller saw it. */
  callEnded(server: ActorHandle, token: unknown, outcome: CallOutcome): void;
  /** A cast was sent to `server`. */
  castSent(server: ActorHandle): void;
  /** A state machine started in `initial`; `states` is the full, declared set. */
  stateMachineStarted(actor: ActorHandle, states: readonly string[], initial: string): void;
  /** A state machine moved from one state to another (not called for keep-state or repeat-state). */
  stateChanged(actor: ActorHandle, from: string, to: string): void;
  /** An event had no transition from the current state; `event` is its declared name. */
  invalidTransition(actor: ActorHandle, state: string, event: string): void;
  /** A supervisor started. */
  supervisorStarted(actor: ActorHandle, probe: SupervisorProbe): void;
  /** A supervisor restarted a child; `durationMs` spans stopping affected siblings to the last restart. */
  supervisorRestarted(actor: ActorHandle, strategy: string, childType: string, durationMs: number): void;
  /** A supervisor exceeded its restart intensity and is giving up. */
  supervisorIntensityExceeded(actor: ActorHandle): void;
}

/**
 * An {@link Instrumentation} that does nothing: extend it to implement only some hooks.
 *
 * @example
 * ```ts
 * class CrashLog extends NoopInstrumentation {
 *   override actorCrashed(actor: ActorHandle, error: unknown) { console.log(actor.type, error); }
 * }
 * const system = new ActorSystem({ instrumentation: new CrashLog() });
 * ```
 * @since 0.1.0
 */
export class NoopInstrumentation implements Instrumentation {
  /** Every message is seen (override with false to see only messages that carry meta). */
  readonly perMessage: boolean = true;
  attached(_system: ActorSystem): void {}
  detached(_system: ActorSystem): void {}
  actorSpawned(_actor: ActorHandle): void {}
  messagesDiscarded(_actor: ActorHandle, _count: number): void {}
  actorStopped(_actor: ActorHandle, _reason: ExitReason, _lifetimeMs: number): void {}
  actorCrashed(_actor: ActorHandle, _error: unknown, _phase: CrashPhase): void {}
  messageSent(_target: ActorHandle, _sender: ActorHandle | null, _message: unknown): unknown {
    return undefined;
  }
  sendFailed(_reason: SendFailureReason, _targetType: ActorType | null, _sender: ActorHandle | null): void {}
  mailboxFull(_actor: ActorHandle): void {}
  messageStart(_actor: ActorHandle, _meta: unknown): unknown {
    return undefined;
  }
  messageEnd(_actor: ActorHandle, _meta: unknown, _token: unknown, _failed: boolean, _error: unknown): void {}
  invoke<A, B, R>(_token: unknown, fn: (a: A, b: B) => R, thisArg: unknown, a: A, b: B): R {
    return fn.call(thisArg, a, b);
  }
  linkCreated(_a: ActorHandle, _b: ActorHandle): void {}
  monitorCreated(_watcher: ActorHandle | null, _target: ActorHandle): void {}
  signalSent(_from: ActorHandle | null, _to: ActorHandle, _kind: SignalKind, _reason: ExitReason): void {}
  signalReceived(_to: ActorHandle, _kind: SignalKind, _reason: ExitReason, _outcome: SignalOutcome): void {}
  callRefused(_kind: 'call' | 'cast', _serverType: ActorType | null, _caller: ActorHandle | null): void {}
  callStarted(_server: ActorHandle, _caller: ActorHandle | null): unknown {
    return undefined;
  }
  callEnded(_server: ActorHandle, _token: unknown, _outcome: CallOutcome): void {}
  castSent(_server: ActorHandle): void {}
  stateMachineStarted(_actor: ActorHandle, _states: readonly string[], _initial: string): void {}
  stateChanged(_actor: ActorHandle, _from: string, _to: string): void {}
  invalidTransition(_actor: ActorHandle, _state: string, _event: string): void {}
  supervisorStarted(_actor: ActorHandle, _probe: SupervisorProbe): void {}
  supervisorRestarted(_actor: ActorHandle, _strategy: string, _childType: string, _durationMs: number): void {}
  supervisorIntensityExceeded(_actor: ActorHandle): void {}
}
