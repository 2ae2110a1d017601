/**
 * The histogram mapping. StatsD has no pre-aggregated histogram: a server builds its own
 * distribution (count, mean, upper, percentiles) from the timing values it receives. So each
 * observation in a histogram delta becomes one timing value inside its bucket, spread evenly
 * across the bucket the way Prometheus' `histogram_quantile` interpolates: the server then counts
 * every observation and its percentiles agree, to bucket resolution, with a Prometheus backend's.
 *
 * @module
 */
import type { HistogramDelta } from '@joerl/telemetry';

/**
 * @internal The timing values standing for a histogram delta, in the histogram's unit times
 * `scale` (1000 for seconds → ms).
 *
 * - Up to `max` observations: one value per observation, so the server's count is exact.
 * - More than `max`: `max` values, at least one in every non-empty bucket (the slowest bucket
 *   always shows in `upper`), the rest shared in proportion to the buckets' counts (largest
 *   remainders). The server then sees a sample of the distribution; the exact count and sum
 *   travel separately as counters.
 * - In bucket `(lower, upper]` the `n` values sit at `lower + (i + ½)·(upper − lower)/n`; the
 *   first bucket starts at 0; the `+Inf` bucket, whose values are unknown, sits at the last finite
 *   bound (a lower bound for them), or at the mean if the histogram has no bounds at all.
 */
export function bucketTimings(delta: HistogramDelta, max: number, scale: number): number[] {
  const counts = delta.counts.map((c) => (c > 0 ? c : 0));
  const perBucket = allocate(counts, max);
  const bounds = delta.bounds;
  const last = bounds.length > 0 ? (bounds[bounds.length - 1] as number) : delta.count > 0 ? delta.sum / delta.count : 0;
  const values: number[] = [];
  for (let b = 0; b < perBucket.length; b++) {
    const n = perBucket[b] as number;
    if (n === 0) continue;
    const finite = b < bounds.length;
    const lower = finite ? (b === 0 ? 0 : (bounds[b - 1] as number)) : last;
    const upper = finite ? (bounds[b] as number) : last;
    const step = (upper - lower) / n;
    for (let i = 0; i < n; i++) values.push((lower + (i + 0.5) * step) * scale);
  }
  return values;
}

/** How many values each bucket gets: all its observations, or a proportional share of `max`. */
function allocate(counts: readonly number[], max: number): number[] {
  let total = 0;
  let nonEmpty = 0;
  for (const c of counts) {
    total += c;
    if (c > 0) nonEmpty++;
  }
  if (total <= max) return counts.slice();
  // One value for each non-empty bucket first (if `max` allows), then the rest by share.
  const floor = nonEmpty <= max ? 1 : 0;
  const shared = max - floor * nonEmpty;
  const rest = total - floor * nonEmpty;
  const out: number[] = counts.map((c) => (c > 0 ? floor : 0));
  const remainders: { b: number; r: number }[] = [];
  let given = 0;
  counts.forEach((c, b) => {
    if (c === 0) return;
    const quota = rest > 0 ? ((c - floor) * shared) / rest : 0;
    const whole = Math.floor(quota);
    out[b] = (out[b] as number) + whole;
    given += whole;
    remainders.push({ b, r: quota - whole });
  });
  remainders.sort((x, y) => y.r - x.r || x.b - y.b);
  for (let i = 0; i < shared - given && i < remainders.length; i++) {
    const b = (remainders[i] as { b: number }).b;
    out[b] = (out[b] as number) + 1;
  }
  return out;
}
