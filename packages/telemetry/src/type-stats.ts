/**
 * Per-actor-type aggregates: the slot every hook updates with plain number increments.
 *
 * @module
 */
import { CALL_OUTCOMES, type CallOutcome, EXIT_REASON_KINDS, type ExitReasonKind, SEND_FAILURE_REASONS, type SendFailureReason } from '@joerl/core';
import { CALL_BUCKETS, LIFETIME_BUCKETS, MESSAGE_BUCKETS, STATE_BUCKETS } from './catalog.js';
import { Histogram } from './histogram.js';
import { LabelCap } from './label-cap.js';

/** @internal index of each exit reason kind in `stopped` */
export const REASON_INDEX: Readonly<Record<ExitReasonKind, number>> = Object.freeze(
  Object.fromEntries(EXIT_REASON_KINDS.map((k, i) => [k, i])) as Record<ExitReasonKind, number>,
);
/** @internal index of each send failure in `sendFailed` */
export const FAILURE_INDEX: Readonly<Record<SendFailureReason, number>> = Object.freeze(
  Object.fromEntries(SEND_FAILURE_REASONS.map((k, i) => [k, i])) as Record<SendFailureReason, number>,
);
/** @internal index of each call outcome in `calls` */
export const OUTCOME_INDEX: Readonly<Record<CallOutcome, number>> = Object.freeze(
  Object.fromEntries(CALL_OUTCOMES.map((k, i) => [k, i])) as Record<CallOutcome, number>,
);

/** Histogram bucket overrides, by metric name. */
export type BucketOverrides = Readonly<Record<string, readonly number[]>>;

/** The state-machine part of a type's stats: its declared states and what moved between them. */
export class StatemStats {
  readonly states: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  /** transitions[from * n + to] */
  readonly transitions: Float64Array;
  readonly durations: Histogram[];
  /** invalid transitions, by state then event name (event names capped) */
  readonly invalid: Map<number, LabelCap<{ event: string; count: number }>>;
  private readonly eventCap: number;

  constructor(states: readonly string[], buckets: readonly number[], eventCap: number) {
    this.states = states;
    this.index = new Map(states.map((s, i) => [s, i]));
    this.transitions = new Float64Array(states.length * states.length);
    this.durations = states.map(() => new Histogram(buckets));
    this.invalid = new Map();
    this.eventCap = eventCap;
  }

  invalidFor(state: number, event: string): { event: string; count: number } {
    let cap = this.invalid.get(state);
    if (cap === undefined) {
      cap = new LabelCap('event', this.eventCap, (e) => ({ event: e, count: 0 }));
      this.invalid.set(state, cap);
    }
    return cap.get(event);
  }
}

/**
 * Everything measured about one actor type (or the `(other)` fold, `(unknown)`, `(system)`). Stored in
 * `ActorType.slot`, so a hook reaches it in one load.
 */
export class TypeStats {
  readonly type: string;
  spawned = 0;
  active = 0;
  panicked = 0;
  shortLived = 0;
  readonly stopped = new Float64Array(EXIT_REASON_KINDS.length);
  readonly lifetime: Histogram;
  /** Messages enqueued into / handled by actors of this type that have exited (live actors' counts are read at collect time). */
  sentByExited = 0;
  processedByExited = 0;
  readonly sendFailed = new Float64Array(SEND_FAILURE_REASONS.length);
  /** Messages still queued when actors of this type exited (reported once per exit). */
  discarded = 0;
  readonly processing: Histogram;
  readonly queueWait: Histogram;
  mailboxFull = 0;
  signalsSent = 0;
  signalsReceived = 0;
  signalsIgnored = 0;
  // GenServer (allocated on first call or cast)
  callDuration: Histogram | null = null;
  readonly calls = new Float64Array(CALL_OUTCOMES.length);
  casts = 0;
  callsInFlight = 0;
  // GenStatem (allocated when a state machine of this type starts)
  statem: StatemStats | null = null;
  private readonly buckets: BucketOverrides;

  constructor(type: string, buckets: BucketOverrides) {
    this.type = type;
    this.buckets = buckets;
    this.lifetime = new Histogram(buckets.joerl_actor_lifetime_seconds ?? LIFETIME_BUCKETS);
    this.processing = new Histogram(buckets.joerl_message_processing_duration_seconds ?? MESSAGE_BUCKETS);
    this.queueWait = new Histogram(buckets.joerl_message_queue_wait_seconds ?? MESSAGE_BUCKETS);
  }

  callHistogram(): Histogram {
    return (this.callDuration ??= new Histogram(this.buckets.joerl_call_duration_seconds ?? CALL_BUCKETS));
  }

  statemFor(states: readonly string[], eventCap: number): StatemStats {
    // A type's declared states are fixed by its definition; the first declaration wins.
    return (this.statem ??= new StatemStats(states, this.buckets.joerl_gen_statem_state_duration_seconds ?? STATE_BUCKETS, eventCap));
  }
}
