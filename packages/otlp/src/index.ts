/**
 * `@joerl/otlp`: joerl's metrics and traces to OpenTelemetry, over OTLP/HTTP (protobuf or JSON),
 * for a collector, Jaeger, Tempo, or any OTLP backend.
 *
 * Two layers: {@link startOtlp} sets everything up in one call; {@link otlpMetrics},
 * {@link otlpHistograms}, {@link countMetricExportFailures} and {@link countSpanExportFailures}
 * plug joerl into OpenTelemetry providers and exporters you own.
 *
 * @packageDocumentation
 */
export { DEFAULT_ENDPOINT, type OtlpProtocol, type OtlpSignal, type OtlpTarget } from './endpoint.js';
export { MissingExporterError } from './errors.js';
export { countMetricExportFailures, countSpanExportFailures, type FailureCounting, type FailureSink } from './export-failures.js';
export { otlpHistograms, type OtlpHistogramsOptions } from './histograms.js';
export { otlpMetrics, type OtlpMetrics, type OtlpMetricsOptions } from './metrics.js';
export { type Otlp, type OtlpOptions, startOtlp } from './start-otlp.js';
