/**
 * Backpressure waiters: `sendAsync` callers waiting for room in a full `backpressure` mailbox,
 * queued per actor, with their deadlines grouped in one clock timer per millisecond.
 *
 * Every operation is O(1): a waiter that times out is only marked (it leaves its actor's queue
 * when it reaches the head), and a deadline is one entry in a shared bucket, so 100k waiters
 * timing out together cost one timer and one pass over them.
 *
 * @module
 */
import type { Clock, TimerHandle } from './clock.js';
import type { ActorProcess } from './process.js';

/** @internal one `sendAsync` waiting for room. */
export class SendWaiter {
  /** Set once it is admitted, timed out, or refused: a settled waiter is skipped everywhere. */
  settled = false;
  /** The deadline bucket it sits in (null for a wait without a deadline). */
  bucket: DeadlineBucket | null = null;
  constructor(
    readonly message: unknown,
    readonly sender: ActorProcess | null,
    readonly resolve: (ok: boolean) => void,
    readonly proc: ActorProcess,
  ) {}
}

const COMPACT_ABOVE = 1024;

/** @internal the waiters of one actor, oldest first, with lazy removal. */
export class WaiterQueue {
  private items: (SendWaiter | undefined)[] = [];
  private head = 0;
  /** Waiters not yet settled. */
  live = 0;

  push(waiter: SendWaiter): void {
    this.items.push(waiter);
    this.live++;
  }

  /** A waiter settled while queued (it timed out): it is skipped when reached. */
  forget(): void {
    this.live--;
  }

  /** Removes and returns the oldest unsettled waiter, or undefined. */
  take(): SendWaiter | undefined {
    const items = this.items;
    while (this.head < items.length) {
      const w = items[this.head] as SendWaiter;
      items[this.head++] = undefined;
      if (!w.settled) {
        this.live--;
        if (this.head > COMPACT_ABOVE && this.head * 2 > items.length) {
          this.items = items.slice(this.head);
          this.head = 0;
        }
        return w;
      }
    }
    this.items = [];
    this.head = 0;
    return undefined;
  }

  /** Every unsettled waiter, oldest first; empties the queue. */
  drain(): SendWaiter[] {
    const out: SendWaiter[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const w = this.items[i] as SendWaiter;
      if (!w.settled) out.push(w);
    }
    this.items = [];
    this.head = 0;
    this.live = 0;
    return out;
  }
}

/** @internal the waiters whose deadline falls in one millisecond, and the timer for it. */
export class DeadlineBucket {
  readonly waiters: SendWaiter[] = [];
  /** Waiters in it not yet settled: at 0 its timer is cancelled. */
  pending = 0;
  handle: TimerHandle = undefined;
  constructor(readonly at: number) {}
}

/**
 * @internal Deadlines of waiters, one clock timer per distinct millisecond. A waiter times out
 * at most 1 ms after its own deadline.
 */
export class Deadlines {
  private readonly buckets = new Map<number, DeadlineBucket>();
  private last: DeadlineBucket | null = null;
  private readonly fireBound: (bucket: DeadlineBucket) => void;

  constructor(
    private readonly clock: Clock,
    private readonly expire: (waiter: SendWaiter) => void,
  ) {
    this.fireBound = (bucket) => this.fire(bucket);
  }

  /** Arms `waiter` to expire after `timeoutMs` (`Infinity`: never). */
  add(waiter: SendWaiter, timeoutMs: number): void {
    if (timeoutMs === Number.POSITIVE_INFINITY) return;
    const now = this.clock.now();
    const at = Math.ceil(now + timeoutMs);
    let bucket = this.last !== null && this.last.at === at ? this.last : this.buckets.get(at);
    if (bucket === undefined) {
      bucket = new DeadlineBucket(at);
      this.buckets.set(at, bucket);
      bucket.handle = this.clock.setTimeout(this.fireBound, at - now, bucket);
    }
    this.last = bucket;
    bucket.waiters.push(waiter);
    bucket.pending++;
    waiter.bucket = bucket;
  }

  /** Marks `waiter` settled (admitted or refused); the last one of a bucket cancels its timer. */
  settle(waiter: SendWaiter): void {
    waiter.settled = true;
    const bucket = waiter.bucket;
    if (bucket === null) return;
    waiter.bucket = null;
    if (--bucket.pending === 0) {
      this.clock.clearTimeout(bucket.handle);
      this.drop(bucket);
    }
  }

  private fire(bucket: DeadlineBucket): void {
    this.drop(bucket);
    const waiters = bucket.waiters;
    for (let i = 0; i < waiters.length; i++) {
      const w = waiters[i] as SendWaiter;
      if (w.settled) continue;
      w.settled = true;
      w.bucket = null;
      this.expire(w);
    }
  }

  private drop(bucket: DeadlineBucket): void {
    if (this.buckets.get(bucket.at) === bucket) this.buckets.delete(bucket.at);
    if (this.last === bucket) this.last = null;
  }
}
