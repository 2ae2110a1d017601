/**
 * Histogram deltas as DogStatsD values: one value per non-empty bucket, sent with sample rate
 * 1/count so the agent counts it `count` times.
 *
 * @module
 */
import type { HistogramDelta } from '@joerl/telemetry';

/** One value standing for `count` observations of a bucket. */
export interface HistogramPoint {
  /** The value sent (in the metric's unit: seconds for durations). */
  readonly value: number;
  /** Observations it stands for. */
  readonly count: number;
  /** The DogStatsD sample rate, formatted: the agent weighs the value by 1/rate = `count`. */
  readonly rate: string;
}

/**
 * @internal
 * The points of a histogram delta, one per non-empty bucket, in bucket order. A bucket's value is
 * its midpoint (0 to the first bound for the first bucket); the overflow bucket above the last
 * bound gets the mean its observations must have had for the delta's sum, and never less than
 * that bound. When every observation fell in one bucket, the value is their exact mean.
 */
export function histogramPoints(delta: HistogramDelta): HistogramPoint[] {
  const { bounds, counts, sum } = delta;
  const points: HistogramPoint[] = [];
  let nonEmpty = 0;
  for (const c of counts) if (c > 0) nonEmpty++;
  if (nonEmpty === 1) {
    const i = counts.findIndex((c) => c > 0);
    const low = i === 0 ? 0 : (bounds[i - 1] as number);
    const high = i < bounds.length ? (bounds[i] as number) : Number.POSITIVE_INFINITY;
    const c = counts[i] as number;
    points.push({ value: clamp(sum / c, low, high), count: c, rate: sampleRate(c) });
    return points;
  }
  let finiteSum = 0;
  for (let i = 0; i < bounds.length; i++) {
    const c = counts[i] as number;
    if (c <= 0) continue;
    const low = i === 0 ? 0 : (bounds[i - 1] as number);
    const value = (low + (bounds[i] as number)) / 2;
    finiteSum += value * c;
    points.push({ value, count: c, rate: sampleRate(c) });
  }
  const overflow = counts[bounds.length] ?? 0;
  if (overflow > 0) {
    const last = bounds[bounds.length - 1] ?? 0;
    points.push({ value: Math.max(last, (sum - finiteSum) / overflow), count: overflow, rate: sampleRate(overflow) });
  }
  return points;
}

/**
 * @internal
 * The sample rate, as DogStatsD text, for a value standing for `n` observations: the float64
 * nearest 1/n, stepped down if needed so the agent's weight 1/rate is never below n (it is n to
 * within a few parts in 10^16, and truncating it still gives n).
 */
export function sampleRate(n: number): string {
  if (n <= 1) return '1';
  let rate = 1 / n;
  for (let i = 0; i < 4 && 1 / rate < n; i++) rate = previousDouble(rate);
  return String(rate);
}

const bits = new Float64Array(1);
const word = new BigInt64Array(bits.buffer);

/** The largest float64 below a positive `x`. */
function previousDouble(x: number): number {
  bits[0] = x;
  word[0] = (word[0] as bigint) - 1n;
  return bits[0];
}

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}
