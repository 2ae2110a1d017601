/**
 * What `telemetry.collect()` returns: the catalog's current values, backend-neutral.
 *
 * @module
 */
import type { MetricDef } from './catalog.js';

/** Label values by label name. */
export type Labels = Readonly<Record<string, string>>;

/** A counter or gauge sample. */
export interface ValueSample {
  readonly labels: Labels;
  readonly value: number;
}

/** A histogram sample: cumulative counts per upper bound (`le`), then `+Inf` last. */
export interface HistogramSample {
  readonly labels: Labels;
  /** Upper bounds, ascending (seconds for time). */
  readonly bounds: readonly number[];
  /** Cumulative counts, one per bound plus `+Inf` (equal to `count`). */
  readonly cumulative: readonly number[];
  readonly sum: number;
  /** Observations (for sampled histograms: the sampled count). */
  readonly count: number;
}

/**
 * One metric's samples.
 * @since 0.1.0
 */
export interface MetricFamily {
  readonly def: MetricDef;
  readonly samples: readonly (ValueSample | HistogramSample)[];
}

/** True for a histogram sample. */
export function isHistogramSample(sample: ValueSample | HistogramSample): sample is HistogramSample {
  return 'cumulative' in sample;
}
