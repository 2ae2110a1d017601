/**
 * Snapshots of actors and of the system, for observers, health checks and tests.
 *
 * @module
 */
import type { OverflowPolicy } from './mailbox.js';
import type { Pid } from './pid.js';

/**
 * What an actor is doing now.
 * - `starting`: its `init` has not finished.
 * - `waiting`: idle, its mailbox empty.
 * - `runnable`: queued to run.
 * - `running`: a handler is executing right now.
 * - `suspended`: awaiting an async handler.
 * - `exiting`: its `terminate` is running.
 */
export type ActorStatus = 'starting' | 'waiting' | 'runnable' | 'running' | 'suspended' | 'exiting';

/**
 * A snapshot of one actor.
 * @since 0.1.0
 */
export interface ActorInfo {
  readonly pid: Pid;
  readonly type: string;
  readonly name: string | undefined;
  readonly parent: Pid | null;
  readonly status: ActorStatus;
  readonly trapExit: boolean;
  readonly mailbox: {
    readonly depth: number;
    readonly capacity: number;
    readonly overflow: OverflowPolicy;
  };
  /** Signals waiting to be handled. */
  readonly pendingSignals: number;
  /** Linked actors: local ones, then those on other nodes (as `RemotePid`s) when the system is a node of a cluster. */
  readonly links: readonly Pid[];
  /** Actors this one monitors: local ones, then those on other nodes. */
  readonly monitors: readonly Pid[];
  /** Actors (and external watchers, as `null`) monitoring this one. */
  readonly monitoredBy: readonly (Pid | null)[];
  readonly messages: {
    /** Enqueued into its mailbox. */
    readonly received: number;
    /** Whose handler finished. */
    readonly processed: number;
    /** Dropped from its mailbox by `drop-oldest`. */
    readonly dropped: number;
  };
  /** `clock.now()` at spawn. */
  readonly spawnedAt: number;
  readonly uptimeMs: number;
}

/**
 * Counters of the whole system, cheap to read.
 * @since 0.1.0
 */
export interface SystemStats {
  /** Live actors (including exiting ones). */
  readonly actors: number;
  /** Actors queued to run. */
  readonly runQueueLength: number;
  /** Registered names. */
  readonly registered: number;
  /** `sendAfter` timers not yet fired or cancelled. */
  readonly timers: number;
  /** Actors spawned since the system started. */
  readonly spawned: number;
  /**
   * Messages sent to actors of this system since it started: every `send`, `sendAsync` and
   * fired `sendAfter`, whether enqueued or refused.
   */
  readonly sent: number;
  /** Messages handled since the system started (one whose handler is running counts). */
  readonly processed: number;
  /**
   * Sends that were not enqueued: the destination was dead or unknown, its mailbox was full
   * (`reject`, `backpressure`), a `sendAsync` timed out, or its actor exited while it waited.
   */
  readonly refused: number;
  /** Queued messages evicted by the `drop-oldest` policy. */
  readonly dropped: number;
  /** Messages still queued when their actor exited (crash, kill, exit signal, stop, shutdown). */
  readonly discarded: number;
  /**
   * Messages queued in live mailboxes right now. At every moment
   * `sent === processed + refused + dropped + discarded + queued + waiting`, where `waiting`
   * counts `sendAsync` calls still waiting for room (not yet in `sent`: they are counted when
   * enqueued or refused).
   */
  readonly queued: number;
  /** Times the scheduler yielded to the event loop with work still queued. */
  readonly yields: number;
}
