/**
 * Many deadlines, few timers: deadlines are grouped per millisecond, one clock timer per group.
 * Call timeouts and backpressure waiters use it, so a million calls a second arm a thousand
 * timers, not a million.
 *
 * @module
 */
import type { Clock, TimerHandle } from './clock.js';

// Captured at load, so fake timers installed later cannot hold back the sweep.
const realSetImmediate = globalThis.setImmediate;

/** @internal the deadlines that fall in one millisecond, and the timer for them. */
export class DeadlineBucket {
  items: Deadline[] = [];
  handle: TimerHandle = undefined;
  /** Set while its items expire: a cancel then only detaches the item. */
  firing = false;
  constructor(readonly at: number) {}
}

/**
 * Something with a deadline in a {@link DeadlineQueue}: extend it to be armed without a
 * separate allocation per deadline.
 * @since 0.1.1
 */
export abstract class Deadline {
  /** @internal the bucket it is armed in, or null */
  deadlineBucket: DeadlineBucket | null = null;
  /** @internal its index in that bucket */
  deadlineIndex = -1;

  /** Whether it is armed (added and neither expired nor cancelled). */
  get armed(): boolean {
    return this.deadlineBucket !== null;
  }
}

/**
 * Deadlines grouped per millisecond: each distinct millisecond holds one clock timer, adding and
 * cancelling are O(1), and an item expires never before its deadline and at most 1 ms after it
 * (exactly at it for whole milliseconds on a whole-millisecond clock such as `TestClock`). The
 * bucket of the latest millisecond stays armed while it is empty until the current macrotask
 * ends, so a loop that arms and cancels one deadline at a time (a caller awaiting call after
 * call) sets one timer per millisecond, and no timer outlives its last item for longer than that.
 *
 * @typeParam T the items (extend {@link Deadline}).
 * @example
 * ```ts
 * class Pending extends Deadline { constructor(readonly id: number) { super(); } }
 * const deadlines = new DeadlineQueue<Pending>(system.clock, (p) => console.log(`${p.id} timed out`));
 * const p = new Pending(1);
 * deadlines.add(p, 5000);
 * deadlines.cancel(p); // true: it was armed
 * ```
 * @since 0.1.1
 */
export class DeadlineQueue<T extends Deadline> {
  private readonly buckets = new Map<number, DeadlineBucket>();
  private last: DeadlineBucket | null = null;
  private readonly fireBound: (bucket: DeadlineBucket) => void;
  private sweepQueued = false;
  private readonly sweepBound: () => void;

  /**
   * @param clock where time and timers come from (a system's `clock`, or a `TestClock`).
   * @param expire called once for each item whose deadline passed (it is no longer armed then).
   */
  constructor(
    private readonly clock: Clock,
    private readonly expire: (item: T) => void,
  ) {
    this.fireBound = (bucket) => this.fire(bucket);
    this.sweepBound = () => this.sweep();
  }

  /**
   * Arms `item` to expire after `timeoutMs` (`Infinity`: never, and it stays unarmed). The
   * caller validates the delay; an item already armed must be cancelled first.
   */
  add(item: T, timeoutMs: number): void {
    if (timeoutMs === Number.POSITIVE_INFINITY) return;
    const now = this.clock.now();
    const at = Math.ceil(now + timeoutMs);
    const last = this.last;
    let bucket = last !== null && last.at === at ? last : this.buckets.get(at);
    if (bucket === undefined) {
      bucket = new DeadlineBucket(at);
      this.buckets.set(at, bucket);
      bucket.handle = this.clock.setTimeout(this.fireBound, at - now, bucket);
    }
    if (bucket !== last) {
      // the previous millisecond's bucket was kept for reuse; empty, it is done
      if (last !== null && last.items.length === 0 && !last.firing) this.disarm(last);
      this.last = bucket;
    }
    item.deadlineBucket = bucket;
    item.deadlineIndex = bucket.items.length;
    bucket.items.push(item);
  }

  /** Disarms `item`; returns whether it was armed. */
  cancel(item: T): boolean {
    const bucket = item.deadlineBucket;
    if (bucket === null) return false;
    item.deadlineBucket = null;
    if (bucket.firing) return true;
    const items = bucket.items;
    const moved = items.pop() as Deadline;
    if (moved !== item) {
      items[item.deadlineIndex] = moved;
      moved.deadlineIndex = item.deadlineIndex;
    }
    if (items.length === 0) {
      if (bucket !== this.last) this.disarm(bucket);
      else if (!this.sweepQueued) {
        this.sweepQueued = true;
        realSetImmediate(this.sweepBound);
      }
    }
    return true;
  }

  /** After the macrotask that emptied it: the latest bucket, still empty, is disarmed. */
  private sweep(): void {
    this.sweepQueued = false;
    const last = this.last;
    if (last !== null && last.items.length === 0 && !last.firing) this.disarm(last);
  }

  private disarm(bucket: DeadlineBucket): void {
    this.clock.clearTimeout(bucket.handle);
    this.drop(bucket);
  }

  private fire(bucket: DeadlineBucket): void {
    this.drop(bucket);
    bucket.firing = true;
    const items = bucket.items;
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as T;
      // cancelled by an earlier item's expiry
      if (item.deadlineBucket !== bucket) continue;
      item.deadlineBucket = null;
      this.expire(item);
    }
    bucket.items = [];
  }

  private drop(bucket: DeadlineBucket): void {
    if (this.buckets.get(bucket.at) === bucket) this.buckets.delete(bucket.at);
    if (this.last === bucket) this.last = null;
  }
}
