/**
 * Fixed-bucket histograms: an observation is a bucket search and three number updates.
 *
 * @module
 */

/** @internal `a[i] += 1` for typed arrays (whose index type admits undefined under noUncheckedIndexedAccess). */
export function inc(a: Float64Array, i: number): void {
  a[i] = (a[i] as number) + 1;
}

/**
 * A histogram with fixed upper bounds. Counts are per bucket (not cumulative); `+Inf` is the
 * last slot.
 * @since 0.1.0
 */
export class Histogram {
  /** Upper bounds, ascending. */
  readonly bounds: readonly number[];
  /** One count per bound, plus the `+Inf` overflow at the end. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(bounds: readonly number[]) {
    this.bounds = bounds;
    this.counts = new Float64Array(bounds.length + 1);
  }

  // hot: every sampled timing
  observe(value: number): void {
    const b = this.bounds;
    let i = 0;
    const n = b.length;
    while (i < n && value > (b[i] as number)) i++;
    inc(this.counts, i);
    this.sum += value;
    this.count++;
  }

  /** Cumulative counts per bound (Prometheus `le` semantics), the last being the total. */
  cumulative(): number[] {
    const out: number[] = [];
    let acc = 0;
    for (const c of this.counts) {
      acc += c;
      out.push(acc);
    }
    return out;
  }
}
