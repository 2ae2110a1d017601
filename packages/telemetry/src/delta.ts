/**
 * Deltas between successive snapshots, for push backends (StatsD, DogStatsD) whose counters are
 * increments: each `next()` returns what changed since the previous one.
 *
 * @module
 */
import type { MetricDef } from './catalog.js';
import { isHistogramSample, type Labels } from './snapshot.js';
import type { Telemetry } from './telemetry.js';

/** A counter's increase since the previous batch (only non-zero ones are reported). */
export interface CounterDelta {
  readonly def: MetricDef;
  readonly labels: Labels;
  readonly delta: number;
}

/** A gauge's current value (every gauge, every batch). */
export interface GaugeValue {
  readonly def: MetricDef;
  readonly labels: Labels;
  readonly value: number;
}

/** New observations of a histogram since the previous batch, per bucket (not cumulative; `+Inf` last). */
export interface HistogramDelta {
  readonly def: MetricDef;
  readonly labels: Labels;
  readonly bounds: readonly number[];
  readonly counts: readonly number[];
  readonly sum: number;
  readonly count: number;
}

/** One batch of changes. */
export interface DeltaBatch {
  readonly counters: readonly CounterDelta[];
  readonly gauges: readonly GaugeValue[];
  readonly histograms: readonly HistogramDelta[];
}

/**
 * Turns cumulative snapshots into increments. The first batch reports everything counted so far.
 *
 * @example
 * ```ts
 * const deltas = new DeltaCollector(telemetry);
 * setInterval(() => {
 *   const batch = deltas.next();
 *   for (const c of batch.counters) client.increment(c.def.name, c.delta);
 * }, 10_000);
 * ```
 * @since 0.1.0
 */
export class DeltaCollector {
  private readonly last = new Map<string, { value: number; sum: number; counts: readonly number[] }>();

  constructor(private readonly telemetry: Telemetry) {}

  next(): DeltaBatch {
    const counters: CounterDelta[] = [];
    const gauges: GaugeValue[] = [];
    const histograms: HistogramDelta[] = [];
    for (const family of this.telemetry.collect()) {
      const def = family.def;
      for (const sample of family.samples) {
        const key = `${def.name}${JSON.stringify(sample.labels)}`;
        if (isHistogramSample(sample)) {
          const prev = this.last.get(key);
          const counts = sample.cumulative.map((c, i) => c - (i === 0 ? 0 : (sample.cumulative[i - 1] as number)));
          const delta = counts.map((c, i) => c - (prev?.counts[i] ?? 0));
          const count = sample.count - (prev?.value ?? 0);
          if (count > 0) histograms.push({ def, labels: sample.labels, bounds: sample.bounds, counts: delta, sum: sample.sum - (prev?.sum ?? 0), count });
          this.last.set(key, { value: sample.count, sum: sample.sum, counts });
        } else if (def.kind === 'counter') {
          const prev = this.last.get(key)?.value ?? 0;
          // A counter that went down was reset (its actor type folded, the process restarted): report it whole.
          const delta = sample.value >= prev ? sample.value - prev : sample.value;
          if (delta > 0) counters.push({ def, labels: sample.labels, delta });
          this.last.set(key, { value: sample.value, sum: 0, counts: [] });
        } else {
          gauges.push({ def, labels: sample.labels, value: sample.value });
        }
      }
    }
    return { counters, gauges, histograms };
  }
}
