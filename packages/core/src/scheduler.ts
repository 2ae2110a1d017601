/**
 * The run queue: actors with work are queued, and drained in batches that yield to the
 * event loop so timers and I/O are never starved.
 *
 * @module
 */
import { AsyncResource } from 'node:async_hooks';
import { InvalidConfigError } from './errors.js';
import type { ActorProcess } from './process.js';
import type { ActorSystem } from './system.js';
import { runTurn } from './turn.js';

// Captured at load so fake timers installed later (vi.useFakeTimers) cannot freeze the scheduler.
const realSetImmediate = globalThis.setImmediate;
const realQueueMicrotask = globalThis.queueMicrotask;
const realNow = globalThis.performance.now.bind(globalThis.performance);

/**
 * The flags of `process.ts` this hot path tests, declared again here: a constant of this module
 * is a plain context load, while an imported one is a module-cell load plus a hole check at
 * every use (measured: a fifth of the instructions of a ping-pong). `flags.test.ts` checks that
 * these copies match.
 */
const QUEUED = 4;

/** @internal the mirror, for `flags.test.ts` */
export const SCHEDULER_FLAGS: Readonly<Record<string, number>> = { QUEUED };

/**
 * Where drains are scheduled from. A microtask or immediate inherits the async context
 * (AsyncLocalStorage, and so OpenTelemetry's active span) of the code that queued it, so a drain
 * queued by a send inside some request's span would run every actor of the batch inside that span.
 * Queued from this scope, made at load (before any context exists), a drain belongs to no caller;
 * only scheduling runs in it, so nothing can set a store on it.
 */
const SCHEDULING = new AsyncResource('joerl.scheduler');

/**
 * The clock is read once per `stride` units of work (a message, or a turn): 1 right after a unit
 * that was heavy, doubling up to this while work stays light. Light work then pays one clock
 * read per 16 messages; a run of heavy handlers overruns the slice by at most one handler once
 * the stride has adapted (and by at most 16 when heavy work follows light work).
 */
const MAX_STRIDE = 16;

/**
 * Scheduler tuning.
 * @since 0.1.0
 */
export interface SchedulerOptions {
  /** Most messages one actor handles per turn before the next actor runs (default 64). */
  readonly budget?: number;
  /**
   * Longest a drain runs before yielding to the event loop, in ms (default 5). The clock is
   * checked between messages (every message while handlers are heavy, every 16 while they are
   * light), so timers and I/O run between heavy messages, even within one actor's turn.
   */
  readonly sliceMs?: number;
}

/** @internal */
export class Scheduler {
  private queue: (ActorProcess | undefined)[];
  private head = 0;
  private len = 0;
  private mask: number;
  private pending = false;
  private draining = false;
  /** The actor whose handler runs synchronously right now. */
  current: ActorProcess | null = null;
  readonly budget: number;
  readonly sliceMs: number;
  private readonly system: ActorSystem;
  private readonly drainBound: () => void;
  private readonly settleBound: () => void;
  private idleWaiters: (() => void)[] = [];
  /** Times the scheduler gave the event loop a turn mid-work. */
  yields = 0;
  /** Units of work (messages, turns) left before the next clock read; decremented by the runner too. */
  countdown = 1;
  private stride = 1;
  private sliceStart = 0;
  private lastRead = 0;
  /** The current drain has run past its slice: end the turn, then the drain. */
  private expired = false;

  constructor(system: ActorSystem, options: SchedulerOptions = {}) {
    const budget = options.budget ?? 64;
    const sliceMs = options.sliceMs ?? 5;
    if (!Number.isInteger(budget) || budget < 1) {
      throw new InvalidConfigError('scheduler.budget', budget, 'a positive integer (messages per actor turn)');
    }
    if (typeof sliceMs !== 'number' || !(sliceMs > 0) || !Number.isFinite(sliceMs)) {
      throw new InvalidConfigError('scheduler.sliceMs', sliceMs, 'a positive, finite number of milliseconds');
    }
    this.system = system;
    this.budget = budget;
    this.sliceMs = sliceMs;
    this.queue = new Array<ActorProcess | undefined>(16).fill(undefined);
    this.mask = 15;
    this.drainBound = () => this.drain();
    this.settleBound = () => this.settle();
  }

  get length(): number {
    return this.len;
  }

  // hot: every send to an idle actor
  enqueue(proc: ActorProcess): void {
    if ((proc.flags & QUEUED) !== 0) return;
    proc.flags |= QUEUED;
    if (this.len === this.queue.length) this.grow();
    this.queue[(this.head + this.len) & this.mask] = proc;
    this.len++;
    if (!this.pending && !this.draining) {
      this.pending = true;
      SCHEDULING.runInAsyncScope(realQueueMicrotask, null, this.drainBound);
    }
  }

  /** Resolves once no actor is queued to run (actors awaiting async handlers are not waited for). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      if (!this.pending && !this.draining) {
        this.pending = true;
        SCHEDULING.runInAsyncScope(realSetImmediate, null, this.drainBound);
      }
    });
  }

  private drain(): void {
    this.pending = false;
    this.draining = true;
    this.sliceStart = this.lastRead = realNow();
    this.expired = false;
    this.countdown = this.stride;
    const sys = this.system;
    const budget = this.budget;
    while (this.len > 0) {
      const i = this.head;
      const proc = this.queue[i] as ActorProcess;
      this.queue[i] = undefined;
      this.head = (i + 1) & this.mask;
      this.len--;
      proc.flags &= ~QUEUED;
      // a direct call (not through the system): the turn is the scheduler's innermost work
      if (runTurn(sys, proc, budget)) this.enqueue(proc);
      if (this.expired || (--this.countdown <= 0 && this.overSlice())) break;
    }
    this.draining = false;
    if (this.len > 0) {
      this.yields++;
      this.pending = true;
      SCHEDULING.runInAsyncScope(realSetImmediate, null, this.drainBound);
    } else if (this.idleWaiters.length > 0) {
      // Settle on a macrotask boundary: async handlers resolved in microtasks may have re-queued work.
      this.pending = true;
      SCHEDULING.runInAsyncScope(realSetImmediate, null, this.settleBound);
    }
  }

  /**
   * Called once `countdown` reaches 0: reads the clock, adapts the stride, and returns whether
   * the drain has run past its slice (then the runner ends its turn and the drain yields).
   */
  overSlice(): boolean {
    const now = realNow();
    const since = now - this.lastRead;
    this.lastRead = now;
    // light work (a stride well under the slice): read the clock half as often; heavy: every unit
    this.stride = since * 4 < this.sliceMs ? Math.min(this.stride * 2, MAX_STRIDE) : 1;
    this.countdown = this.stride;
    if (now - this.sliceStart < this.sliceMs) return false;
    this.expired = true;
    return true;
  }

  private settle(): void {
    this.pending = false;
    if (this.len > 0) {
      this.drain();
      return;
    }
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private grow(): void {
    const size = this.queue.length * 2;
    const next = new Array<ActorProcess | undefined>(size).fill(undefined);
    for (let k = 0; k < this.len; k++) next[k] = this.queue[(this.head + k) & this.mask];
    this.queue = next;
    this.head = 0;
    this.mask = size - 1;
  }
}
