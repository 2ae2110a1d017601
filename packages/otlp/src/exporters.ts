/**
 * Loading the OTLP exporter for a signal and protocol, on demand: the four exporter packages are
 * optional peer dependencies, and only the ones in use need to be installed.
 *
 * @module
 */
import { AggregationTemporality, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { OtlpProtocol } from './endpoint.js';
import { MissingExporterError } from './errors.js';

/** Exporter options `startOtlp` sets; everything else (headers, compression) comes from `OTEL_EXPORTER_OTLP_*`. */
export interface ExporterOptions {
  readonly url: string;
  readonly timeoutMillis?: number;
}

/** The package each signal and protocol needs. @internal */
export const EXPORTER_PACKAGES = {
  metrics: { 'http/protobuf': '@opentelemetry/exporter-metrics-otlp-proto', 'http/json': '@opentelemetry/exporter-metrics-otlp-http' },
  traces: { 'http/protobuf': '@opentelemetry/exporter-trace-otlp-proto', 'http/json': '@opentelemetry/exporter-trace-otlp-http' },
} as const;

/**
 * A metric exporter for the protocol, pinned to CUMULATIVE temporality (joerl's histograms are
 * cumulative; pinning keeps every joerl metric alike, whatever
 * `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE` says).
 * @throws MissingExporterError when the package is not installed.
 * @internal
 */
export async function loadMetricExporter(protocol: OtlpProtocol, options: ExporterOptions): Promise<PushMetricExporter> {
  const config = { ...options, temporalityPreference: AggregationTemporality.CUMULATIVE };
  try {
    const { OTLPMetricExporter } =
      protocol === 'http/protobuf' ? await import('@opentelemetry/exporter-metrics-otlp-proto') : await import('@opentelemetry/exporter-metrics-otlp-http');
    return new OTLPMetricExporter(config);
  } catch (error) {
    throw asMissing(error, EXPORTER_PACKAGES.metrics[protocol], protocol);
  }
}

/**
 * A span exporter for the protocol.
 * @throws MissingExporterError when the package is not installed.
 * @internal
 */
export async function loadSpanExporter(protocol: OtlpProtocol, options: ExporterOptions): Promise<SpanExporter> {
  try {
    const { OTLPTraceExporter } =
      protocol === 'http/protobuf' ? await import('@opentelemetry/exporter-trace-otlp-proto') : await import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter(options);
  } catch (error) {
    throw asMissing(error, EXPORTER_PACKAGES.traces[protocol], protocol);
  }
}

/** A module-not-found error for the package becomes a {@link MissingExporterError}; anything else is rethrown as is. @internal */
export function asMissing(error: unknown, packageName: string, protocol: string): unknown {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  const message = error instanceof Error ? error.message : '';
  const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
  return notFound && message.includes(packageName) ? new MissingExporterError(packageName, protocol, error) : error;
}
