/**
 * A sliding window over a monotonic counter: how much it grew over (at least) the last
 * `windowMs`, from timestamped samples taken whenever health is evaluated.
 *
 * @module
 */

/** How much a counter grew, and over how long. */
export interface Increase {
  /** Growth of the counter since the baseline sample. */
  readonly increase: number;
  /** Milliseconds the growth is averaged over: at least the window, more if samples are sparse. */
  readonly spanMs: number;
}

/** Samples kept per window at most: one per 1/60 of it is plenty for a rate. */
const RESOLUTION = 60;

/**
 * @internal A counter's history within a window.
 *
 * The baseline is the newest sample at least `windowMs` old (or, while the window is not yet
 * full, the oldest sample there is), so the increase covers at least the window; it is averaged
 * over `max(now - baseline, windowMs)` and so never overstates a rate.
 */
export class SlidingWindow {
  readonly windowMs: number;
  private readonly times: number[] = [];
  private readonly values: number[] = [];
  private readonly resolutionMs: number;

  constructor(windowMs: number, at: number, value: number) {
    this.windowMs = windowMs;
    this.resolutionMs = windowMs / RESOLUTION;
    this.times.push(at);
    this.values.push(value);
  }

  /** Records `value` read at `at` and returns the increase over the window ending then. */
  observe(at: number, value: number): Increase {
    const last = this.values[this.values.length - 1] as number;
    if (value < last) {
      // The counter went back (a new telemetry?): start over from here.
      this.times.length = 0;
      this.values.length = 0;
    }
    this.prune(at);
    const baseAt = this.times[0] ?? at;
    const baseValue = this.values[0] ?? value;
    // Stored samples stay at least a resolution apart; the newest one floats forward to now.
    const n = this.times.length;
    if (n >= 2 && at - (this.times[n - 2] as number) < this.resolutionMs) {
      this.times[n - 1] = at;
      this.values[n - 1] = value;
    } else {
      this.times.push(at);
      this.values.push(value);
    }
    return { increase: value - baseValue, spanMs: Math.max(at - baseAt, this.windowMs) };
  }

  /** Drops samples older than the baseline: the newest one at least a window old stays first. */
  private prune(at: number): void {
    const limit = at - this.windowMs;
    let drop = 0;
    while (drop + 1 < this.times.length && (this.times[drop + 1] as number) <= limit) drop++;
    if (drop > 0) {
      this.times.splice(0, drop);
      this.values.splice(0, drop);
    }
  }
}

/** Events per minute from an {@link Increase}. */
export function perMinute({ increase, spanMs }: Increase): number {
  return (increase * 60_000) / spanMs;
}
