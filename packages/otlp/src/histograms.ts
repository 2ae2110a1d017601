/**
 * joerl's histograms for an OpenTelemetry SDK reader, as pre-aggregated data points.
 *
 * @module
 */
import { type HistogramSample, isHistogramSample, type MetricDef, type Telemetry } from '@joerl/telemetry';
import type { HrTime } from '@opentelemetry/api';
import { emptyResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type CollectionResult,
  DataPointType,
  type HistogramMetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import { collectOnce } from './collect-once.js';
import { otelUnit, valueType } from './instrument-kind.js';
import { SCOPE_NAME } from './metrics.js';

/**
 * Options of {@link otlpHistograms}.
 *
 * @example
 * ```ts
 * const producer = otlpHistograms({ telemetry });
 * ```
 * @since 0.1.0
 */
export interface OtlpHistogramsOptions {
  /** The telemetry whose histograms are reported. */
  readonly telemetry: Telemetry;
}

/**
 * A `MetricProducer` for the SDK reader's `metricProducers` option, reporting every histogram of
 * the telemetry (`joerl.message.processing.duration`, `joerl.call.duration`...) as a
 * CUMULATIVE explicit-bucket histogram: the catalog's bounds (or the telemetry's overrides), the
 * count per bucket, the sum and the count, attributes from the labels.
 *
 * Why a producer: telemetry aggregates on the hot path into its own fixed buckets, and the metrics
 * API has no observable histogram (a `Histogram` instrument records single values, which would mean
 * replaying every observation). A producer hands the reader the buckets as they are, with no
 * per-message cost and no drift between backends. Counters and gauges go through observable
 * instruments ({@link otlpMetrics}) instead, so views and per-reader temporality apply to them.
 * Within one reader collection both read the same `telemetry.collect()`, taken once.
 *
 * Points are always CUMULATIVE, whatever temporality the reader prefers, and start when the
 * producer was created. The resource is the reader's SDK's (the SDK ignores a producer's).
 * Collection never rejects: an error lands in the result's `errors`.
 *
 * @param options The telemetry.
 * @returns The producer.
 * @example
 * ```ts
 * import { otlpHistograms } from '@joerl/otlp';
 * import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
 *
 * const reader = new PeriodicExportingMetricReader({ exporter, metricProducers: [otlpHistograms({ telemetry })] });
 * ```
 * @since 0.1.0
 */
export function otlpHistograms(options: OtlpHistogramsOptions): MetricProducer {
  return new HistogramProducer(options.telemetry);
}

/** @internal */
class HistogramProducer implements MetricProducer {
  private readonly startTime: HrTime = hrTime(Date.now());

  constructor(private readonly telemetry: Telemetry) {}

  collect(): Promise<CollectionResult> {
    const metrics: HistogramMetricData[] = [];
    const errors: unknown[] = [];
    try {
      const endTime = hrTime(Date.now());
      for (const family of collectOnce(this.telemetry)) {
        if (family.def.kind !== 'histogram') continue;
        const samples = family.samples.filter(isHistogramSample);
        if (samples.length > 0) metrics.push(this.toMetric(family.def, samples, endTime));
      }
    } catch (error) {
      errors.push(error);
    }
    return Promise.resolve({
      resourceMetrics: { resource: emptyResource(), scopeMetrics: metrics.length === 0 ? [] : [{ scope: { name: SCOPE_NAME }, metrics }] },
      errors,
    });
  }

  private toMetric(def: MetricDef, samples: readonly HistogramSample[], endTime: HrTime): HistogramMetricData {
    return {
      descriptor: { name: def.otelName, description: def.help, unit: otelUnit(def), valueType: valueType(def) },
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints: samples.map((s) => ({
        startTime: this.startTime,
        endTime,
        attributes: s.labels,
        value: { buckets: { boundaries: [...s.bounds], counts: perBucket(s.cumulative) }, sum: s.sum, count: s.count },
      })),
    };
  }
}

/** Telemetry's cumulative (`le`) counts to OpenTelemetry's count per bucket, `+Inf` last. */
function perBucket(cumulative: readonly number[]): number[] {
  const out: number[] = [];
  let previous = 0;
  for (const c of cumulative) {
    out.push(c - previous);
    previous = c;
  }
  return out;
}

function hrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}
