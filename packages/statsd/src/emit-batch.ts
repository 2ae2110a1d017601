/**
 * One batch of deltas, written to a hot-shots client: counters as increments, gauges as values,
 * histograms as timings plus exact count and sum counters.
 *
 * @module
 */
import type { DeltaBatch, HistogramDelta, Labels, MetricDef } from '@joerl/telemetry';
import type { StatsD } from 'hot-shots';
import { bucketTimings } from './bucket-timings.js';
import { unitScale, wireValue } from './stat-name.js';
import { series, type TagStyle } from './tag-style.js';

/** @internal the suffixes of a histogram's exact counters (not `.count`/`.sum`, which Datadog derives from the timing itself) */
export const EXACT_COUNT = '.exact.count';
export const EXACT_SUM = '.exact.sum';

/** @internal writes delta batches to a client (called once per interval: not a hot path) */
export class BatchEmitter {
  constructor(
    private readonly style: TagStyle,
    private readonly prefix: string,
    private readonly sampleRate: number,
    private readonly maxTimings: number,
  ) {}

  /** This batch's `node` label while the system is a node of a cluster, else null. */
  private node: Labels | null = null;

  /**
   * Writes `batch` to `client` (buffered by hot-shots until the caller flushes it). `node`: the
   * cluster node's name, tagged on every line (or null for a single node).
   */
  emit(client: StatsD, batch: DeltaBatch, node: string | null = null): void {
    this.node = node === null ? null : { node };
    for (const c of batch.counters) {
      const s = this.series(c.def, '', c.labels);
      // An explicit rate of 1: a client-wide sampleRate must not drop a pre-aggregated delta.
      client.increment(s.name, wireValue(c.delta * unitScale(c.def.unit)), 1, s.tags);
    }
    for (const g of batch.gauges) {
      if (!Number.isFinite(g.value)) continue;
      const s = this.series(g.def, '', g.labels);
      const value = wireValue(g.value * unitScale(g.def.unit));
      // StatsD reads a signed gauge as a change (`-3|g` subtracts 3): set 0 first so it lands as the value.
      if (value < 0) client.gauge(s.name, 0, 1, s.tags);
      client.gauge(s.name, value, 1, s.tags);
    }
    for (const h of batch.histograms) this.histogram(client, h);
  }

  private histogram(client: StatsD, h: HistogramDelta): void {
    const scale = unitScale(h.def.unit);
    const s = this.series(h.def, '', h.labels);
    for (const value of bucketTimings(h, this.maxTimings, scale)) client.timing(s.name, wireValue(value), this.sampleRate, s.tags);
    const count = this.series(h.def, EXACT_COUNT, h.labels);
    client.increment(count.name, h.count, 1, count.tags);
    if (h.sum > 0) {
      const sum = this.series(h.def, EXACT_SUM, h.labels);
      client.increment(sum.name, wireValue(h.sum * scale), 1, sum.tags);
    }
  }

  private series(def: MetricDef, suffix: string, labels: Labels) {
    return series(this.style, `${this.prefix}${def.otelName}${suffix}`, def, this.node === null ? labels : { ...labels, ...this.node });
  }
}
