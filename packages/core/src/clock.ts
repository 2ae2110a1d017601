/**
 * Time, injected: the system reads time and sets timers only through a {@link Clock},
 * so tests can drive it exactly with {@link TestClock}.
 *
 * @module
 */

/** An opaque handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/**
 * Where an actor system gets time from.
 * @since 0.1.0
 */
export interface Clock {
  /** Milliseconds on a monotonic scale (only differences are meaningful). */
  now(): number;
  /**
   * Calls `callback(arg)` after `ms` milliseconds. Must honour any `ms` up to `Infinity`
   * (never): Node's own `setTimeout` fires at once for 2^31 ms or more, so
   * {@link systemClock} re-arms such timers in chunks.
   */
  setTimeout<T>(callback: (arg: T) => void, ms: number, arg: T): TimerHandle;
  /** Cancels a timer set by {@link Clock.setTimeout}; a no-op for one that fired. */
  clearTimeout(handle: TimerHandle): void;
}

/** The longest delay Node's `setTimeout` honours (2^31 - 1 ms, about 24.8 days). */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * A timer longer than {@link MAX_TIMER_DELAY_MS}: armed in chunks, each re-armed with what is
 * left, so that a delay of years fires on time instead of after 1 ms. `Infinity` never arms.
 */
class LongTimeout<T> {
  private handle: ReturnType<typeof setTimeout> | undefined;
  private readonly fire = (): void => {
    this.remaining -= this.chunk;
    if (this.remaining > 0) this.arm();
    else this.callback(this.arg);
  };
  private chunk = 0;

  constructor(
    private readonly callback: (arg: T) => void,
    private remaining: number,
    private readonly arg: T,
  ) {
    if (remaining !== Number.POSITIVE_INFINITY) this.arm();
  }

  private arm(): void {
    this.chunk = Math.min(this.remaining, MAX_TIMER_DELAY_MS);
    this.handle = globalThis.setTimeout(this.fire, this.chunk);
  }

  cancel(): void {
    if (this.handle !== undefined) globalThis.clearTimeout(this.handle);
    this.handle = undefined;
  }
}

/**
 * The default clock: `performance.now()` and the global `setTimeout`, both looked up at call
 * time so that `vi.useFakeTimers()` (or any fake-timer library) also drives actor timers.
 * Delays past {@link MAX_TIMER_DELAY_MS} are honoured (re-armed in chunks) and `Infinity`
 * never fires.
 * @since 0.1.0
 */
export const systemClock: Clock = Object.freeze({
  now: () => globalThis.performance.now(),
  setTimeout<T>(callback: (arg: T) => void, ms: number, arg: T): TimerHandle {
    // (NaN and negatives fall to Node, which fires them at once, as `setTimeout` does)
    if (ms > MAX_TIMER_DELAY_MS) return new LongTimeout(callback, ms, arg);
    return globalThis.setTimeout(callback, ms, arg);
  },
  clearTimeout(handle: TimerHandle): void {
    if (handle instanceof LongTimeout) handle.cancel();
    else globalThis.clearTimeout(handle as Parameters<typeof clearTimeout>[0]);
  },
});

interface ManualTimer {
  at: number;
  seq: number;
  callback: (arg: unknown) => void;
  arg: unknown;
  cancelled: boolean;
}

/**
 * A clock that moves only when told to. Timers fire in time order (ties in the order set)
 * during {@link TestClock.advance}; a timer set by a firing timer fires in the same advance
 * if it falls due.
 *
 * @example
 * ```ts
 * const clock = new TestClock();
 * const system = new ActorSystem({ clock });
 * system.sendAfter(pid, 'tick', 1000);
 * clock.advance(999); // nothing yet
 * clock.advance(1);   // 'tick' is enqueued
 * await system.idle(); // and handled
 * ```
 * @since 0.1.0
 */
export class TestClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: ManualTimer[] = [];

  /** @param start the initial reading of {@link TestClock.now} (default 0). */
  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout<T>(callback: (arg: T) => void, ms: number, arg: T): TimerHandle {
    const timer: ManualTimer = {
      at: this.time + (ms > 0 ? ms : 0),
      seq: this.seq++,
      callback: callback as (arg: unknown) => void,
      arg,
      cancelled: false,
    };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    const timer = handle as ManualTimer;
    timer.cancelled = true;
    const i = this.timers.indexOf(timer);
    if (i >= 0) this.timers.splice(i, 1);
  }

  /** How many timers are set and not yet fired or cancelled. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`TestClock.advance: ms must be >= 0, got ${ms}`);
    const target = this.time + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (next === undefined) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      this.time = next.at;
      next.callback(next.arg);
    }
    this.time = target;
  }

  /** Moves time to the next timer and fires it (and any due at the same instant); returns false if none is set. */
  runNext(): boolean {
    const first = this.nextDue(Number.POSITIVE_INFINITY);
    if (first === undefined) return false;
    this.advance(first.at - this.time);
    return true;
  }

  private nextDue(limit: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.timers) {
      if (t.at === Number.POSITIVE_INFINITY) continue; // never fires
      if (t.at <= limit && (best === undefined || t.at < best.at || (t.at === best.at && t.seq < best.seq))) best = t;
    }
    return best;
  }
}
