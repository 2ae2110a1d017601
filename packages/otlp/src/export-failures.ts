/**
 * Exporters that count their failures in joerl's telemetry instead of ever throwing.
 *
 * @module
 */
import { formatValue } from '@joerl/core';
import type { Telemetry } from '@joerl/telemetry';
import {
  AggregationTemporality,
  AggregationType,
  type AggregationOption,
  type InstrumentType,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** The backend label failures are counted under: `joerl_telemetry_export_errors_total{backend="otlp"}`. */
export const BACKEND = 'otlp';

/** An export result, as the SDK's exporters report it (`@opentelemetry/core`'s `ExportResult`). */
type ExportResult = Parameters<Parameters<PushMetricExporter['export']>[1]>[0];

/** `ExportResultCode.SUCCESS` and `FAILED` of `@opentelemetry/core` (a stable enum), which is not a dependency of ours. */
const SUCCESS = 0 as ExportResult['code'];
const FAILED = 1 as ExportResult['code'];

/**
 * Where failures are counted: a `Telemetry`, or anything with its `exportFailed`.
 *
 * @example
 * ```ts
 * const sink: FailureSink = telemetry;
 * ```
 * @since 0.1.0
 */
export type FailureSink = Pick<Telemetry, 'exportFailed'>;

/**
 * An exporter that counts its failed exports.
 *
 * @example
 * ```ts
 * const exporter = countMetricExportFailures(new OTLPMetricExporter(), telemetry);
 * // ... later
 * if (exporter.failures > 0) console.warn(`${exporter.failures} metric exports failed`);
 * ```
 * @since 0.1.0
 */
export interface FailureCounting {
  /** Failed exports so far (each also counted in the telemetry). */
  readonly failures: number;
}

/**
 * Wraps a metric exporter so that every failed export — connection refused, a 4xx/5xx answer after
 * the exporter's own bounded retries, a timeout, even a throw — is counted with
 * `telemetry.exportFailed('otlp')` (`joerl_telemetry_export_errors_total{backend="otlp"}`) and
 * reported to the reader as a failed result, never thrown. Temporality and aggregation choices are
 * the wrapped exporter's.
 *
 * @param exporter Your exporter, e.g. `new OTLPMetricExporter()`.
 * @param telemetry Where failures are counted (the telemetry of your actor system).
 * @example
 * ```ts
 * import { countMetricExportFailures } from '@joerl/otlp';
 * import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
 *
 * const exporter = countMetricExportFailures(new OTLPMetricExporter(), telemetry);
 * ```
 * @since 0.1.0
 */
export function countMetricExportFailures(exporter: PushMetricExporter, telemetry: FailureSink): PushMetricExporter & FailureCounting {
  return new CountingMetricExporter(exporter, telemetry);
}

/**
 * Wraps a span exporter so that every failed export is counted with `telemetry.exportFailed('otlp')`
 * and reported to the span processor as a failed result, never thrown.
 *
 * @param exporter Your exporter, e.g. `new OTLPTraceExporter()`.
 * @param telemetry Where failures are counted (the telemetry of your actor system).
 * @example
 * ```ts
 * import { countSpanExportFailures } from '@joerl/otlp';
 * import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
 * import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
 *
 * const processor = new BatchSpanProcessor(countSpanExportFailures(new OTLPTraceExporter(), telemetry));
 * ```
 * @since 0.1.0
 */
export function countSpanExportFailures(exporter: SpanExporter, telemetry: FailureSink): SpanExporter & FailureCounting {
  return new CountingSpanExporter(exporter, telemetry);
}

/** Calls `send` and hands its result on, counting failures; a throw becomes a failed result. */
function exportCounted(counter: { failed(): void }, send: (done: (result: ExportResult) => void) => void, done: (result: ExportResult) => void): void {
  let answered = false;
  const once = (result: ExportResult) => {
    if (answered) return;
    answered = true;
    if (result.code !== SUCCESS) counter.failed();
    done(result);
  };
  try {
    send(once);
  } catch (error) {
    once({ code: FAILED, error: error instanceof Error ? error : new Error(formatValue(error)) });
  }
}

/** @internal */
class CountingMetricExporter implements PushMetricExporter, FailureCounting {
  failures = 0;

  constructor(
    private readonly inner: PushMetricExporter,
    private readonly telemetry: FailureSink,
  ) {}

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    exportCounted(this, (done) => this.inner.export(metrics, done), resultCallback);
  }

  failed(): void {
    this.failures++;
    this.telemetry.exportFailed(BACKEND);
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return this.inner.selectAggregationTemporality?.(instrumentType) ?? AggregationTemporality.CUMULATIVE;
  }

  selectAggregation(instrumentType: InstrumentType): AggregationOption {
    return this.inner.selectAggregation?.(instrumentType) ?? { type: AggregationType.DEFAULT };
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

/** @internal */
class CountingSpanExporter implements SpanExporter, FailureCounting {
  failures = 0;

  constructor(
    private readonly inner: SpanExporter,
    private readonly telemetry: FailureSink,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    exportCounted(this, (done) => this.inner.export(spans, done), resultCallback);
  }

  failed(): void {
    this.failures++;
    this.telemetry.exportFailed(BACKEND);
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
