/**
 * The one-call setup: OpenTelemetry SDK providers, OTLP/HTTP exporters and joerl's telemetry,
 * wired together and registered.
 *
 * @module
 */
import { InvalidConfigError } from '@joerl/core';
import { createTelemetry, Telemetry, type TelemetryOptions } from '@joerl/telemetry';
import type { Attributes } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type BufferConfig } from '@opentelemetry/sdk-trace-base';
import { type OtlpProtocol, type OtlpTarget, resolveTarget } from './endpoint.js';
import { BACKEND, countMetricExportFailures, countSpanExportFailures, type FailureCounting } from './export-failures.js';
import { type ExporterOptions, loadMetricExporter, loadSpanExporter } from './exporters.js';
import { otlpHistograms } from './histograms.js';
import { otlpMetrics, type OtlpMetrics, SCOPE_NAME } from './metrics.js';
import { GlobalRegistration } from './registration.js';
import { buildResource } from './resource.js';

/**
 * Options of {@link startOtlp}. Explicit options win over `OTEL_*` variables, which win over the defaults.
 *
 * @example
 * ```ts
 * const options: OtlpOptions = { serviceName: 'shop', endpoint: 'http://collector:4318', protocol: 'http/json' };
 * ```
 * @since 0.1.0
 */
export interface OtlpOptions {
  /**
   * The telemetry to export. Options (the default, `{}`) create it here, with tracing already
   * pointed at this setup's tracer provider, so spans cannot be forgotten. A `Telemetry` you
   * created yourself is used as is: give it `tracing: true` (it then uses the global tracer provider
   * registered here) or no span is recorded.
   */
  readonly telemetry?: Telemetry | TelemetryOptions;
  /** `service.name` (default `OTEL_SERVICE_NAME`, then `service.name` in `OTEL_RESOURCE_ATTRIBUTES`, then `unknown_service:node`). */
  readonly serviceName?: string;
  /** `service.instance.id` (default from `OTEL_RESOURCE_ATTRIBUTES`, else a random UUID per call). */
  readonly serviceInstanceId?: string;
  /** More resource attributes (`deployment.environment.name`...); they override `OTEL_RESOURCE_ATTRIBUTES`. */
  readonly resourceAttributes?: Attributes;
  /**
   * This node's name in a cluster (`@joerl/cluster`'s `node`): the resource attribute
   * `joerl.node`, and `service.instance.id` unless `serviceInstanceId` is given. A resource is
   * fixed once the providers start, so give it here: the same name the system joins with.
   */
  readonly node?: string;
  /**
   * The collector's base URL; `/v1/metrics` and `/v1/traces` are appended. Default:
   * `OTEL_EXPORTER_OTLP_{METRICS,TRACES}_ENDPOINT` (full URLs), then `OTEL_EXPORTER_OTLP_ENDPOINT`,
   * then `http://127.0.0.1:4318`.
   */
  readonly endpoint?: string;
  /** Default `OTEL_EXPORTER_OTLP_{METRICS,TRACES}_PROTOCOL`, then `OTEL_EXPORTER_OTLP_PROTOCOL`, then `http/protobuf`. */
  readonly protocol?: OtlpProtocol;
  /** How often metrics are exported, ms (default `OTEL_METRIC_EXPORT_INTERVAL`, then 60000). */
  readonly exportIntervalMs?: number;
  /** How long one export may take, retries included, ms (default `OTEL_EXPORTER_OTLP_TIMEOUT`, then 10000). */
  readonly timeoutMs?: number;
  /** Export metrics (default true). */
  readonly metrics?: boolean;
  /** Export traces (default true). */
  readonly traces?: boolean;
}

/**
 * A running OTLP setup, from {@link startOtlp}.
 *
 * @example
 * ```ts
 * const otlp = await startOtlp({ serviceName: 'shop' });
 * console.log(otlp.targets.metrics?.url); // http://127.0.0.1:4318/v1/metrics
 * process.on('SIGTERM', () => void otlp.shutdown());
 * ```
 * @since 0.1.0
 */
export interface Otlp {
  /** The telemetry to pass as the actor system's `instrumentation`. */
  readonly telemetry: Telemetry;
  /** The SDK meter provider (registered globally unless one already was), or null with `metrics: false`. */
  readonly meterProvider: MeterProvider | null;
  /** The SDK tracer provider (registered globally unless one already was), or null with `traces: false`. */
  readonly tracerProvider: BasicTracerProvider | null;
  /** The resource metrics and spans are reported under. */
  readonly resource: Resource;
  /** Where each signal goes, or null when it is off. */
  readonly targets: { readonly metrics: OtlpTarget | null; readonly traces: OtlpTarget | null };
  /**
   * Exports now: current metrics, and the spans ended so far. Never rejects; resolves to false if an
   * export failed meanwhile (each failure is counted in `joerl_telemetry_export_errors_total{backend="otlp"}`).
   */
  forceFlush(): Promise<boolean>;
  /** Exports one last time, stops the exports and unregisters the globals registered here. Never rejects; idempotent. */
  shutdown(): Promise<void>;
}

/**
 * Sends joerl's metrics and traces over OTLP/HTTP, in one call: builds a `MeterProvider` with a
 * `PeriodicExportingMetricReader` and an OTLP metric exporter (counters and gauges as observable
 * instruments, histograms through a metric producer — see {@link otlpMetrics} and
 * {@link otlpHistograms}; temporality CUMULATIVE), a tracer provider with a `BatchSpanProcessor`
 * and an OTLP span exporter, and registers them globally with an AsyncLocalStorage context
 * manager (joerl's spans follow messages through it).
 *
 * Exports never throw into the actor system: failures (connection refused, 4xx/5xx, timeouts) are
 * retried by the exporter with bounded backoff within `timeoutMs`, then counted with
 * `telemetry.exportFailed('otlp')`. A slow collector delays only its own export: the periodic
 * reader skips a round while one is in flight, and the span queue is bounded (2048, `OTEL_BSP_*`).
 *
 * @param options See {@link OtlpOptions}; all optional.
 * @returns The running setup; pass `otlp.telemetry` to the actor system.
 * @throws InvalidConfigError (rejection) for a bad option or `OTEL_*` value, naming it.
 * @throws MissingExporterError (rejection) when the exporter package for the protocol is not installed.
 * @example
 * ```ts
 * import { ActorSystem } from '@joerl/core';
 * import { startOtlp } from '@joerl/otlp';
 *
 * const otlp = await startOtlp({ serviceName: 'shop' });
 * const system = new ActorSystem({ instrumentation: otlp.telemetry });
 * ```
 * @since 0.1.0
 */
export async function startOtlp(options: OtlpOptions = {}): Promise<Otlp> {
  if (typeof options !== 'object' || options === null) throw new InvalidConfigError('otlp options', options, 'an object');
  const wantMetrics = flag(options.metrics, 'metrics');
  const wantTraces = flag(options.traces, 'traces');
  const interval = options.exportIntervalMs === undefined ? envMs('OTEL_METRIC_EXPORT_INTERVAL') ?? 60_000 : ms(options.exportIntervalMs, 'exportIntervalMs');
  const timeout = options.timeoutMs === undefined ? undefined : ms(options.timeoutMs, 'timeoutMs');
  for (const key of ['serviceName', 'serviceInstanceId', 'node'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) throw new InvalidConfigError(key, value, 'a non-empty string');
  }
  const target = { endpoint: options.endpoint, protocol: options.protocol };
  const metricsTarget = wantMetrics ? resolveTarget('metrics', target) : null;
  const tracesTarget = wantTraces ? resolveTarget('traces', target) : null;
  const exporterOptions = (url: string): ExporterOptions => (timeout === undefined ? { url } : { url, timeoutMillis: timeout });
  const [metricExporter, spanExporter] = await Promise.all([
    metricsTarget === null ? null : loadMetricExporter(metricsTarget.protocol, exporterOptions(metricsTarget.url)),
    tracesTarget === null ? null : loadSpanExporter(tracesTarget.protocol, exporterOptions(tracesTarget.url)),
  ]);

  const resource = buildResource(options);
  // The exporters count into the telemetry, which (when created here) needs the tracer provider
  // built around one of them: failures go through this forwarder, set before any export can run.
  let telemetry: Telemetry | null = null;
  const sink = { exportFailed: (backend: string) => telemetry?.exportFailed(backend) };
  const counted: FailureCounting[] = [];

  let tracerProvider: BasicTracerProvider | null = null;
  if (spanExporter !== null) {
    const exporter = countSpanExportFailures(spanExporter, sink);
    counted.push(exporter);
    tracerProvider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter, batchConfig())] });
  }
  try {
    telemetry = telemetryFor(options.telemetry, tracerProvider);
    // Its export-errors series reads 0 from the start, so no query needs `or vector(0)`.
    telemetry.exporterStarted(BACKEND);
  } catch (error) {
    // Bad telemetry options: nothing has started yet but the tracer provider, which goes too.
    await tracerProvider?.shutdown();
    throw error;
  }

  let meterProvider: MeterProvider | null = null;
  let metrics: OtlpMetrics | null = null;
  if (metricExporter !== null) {
    const exporter = countMetricExportFailures(metricExporter, sink);
    counted.push(exporter);
    const reader = new PeriodicExportingMetricReader({
      exporter,
      exportIntervalMillis: interval,
      exportTimeoutMillis: Math.min(30_000, interval),
      metricProducers: [otlpHistograms({ telemetry })],
    });
    meterProvider = new MeterProvider({ resource, readers: [reader] });
    metrics = otlpMetrics({ telemetry, meterProvider });
  }
  const registration = GlobalRegistration.register(tracerProvider, meterProvider);
  const failures = () => counted.reduce((n, c) => n + c.failures, 0);
  let stopped: Promise<void> | null = null;

  return {
    telemetry,
    meterProvider,
    tracerProvider,
    resource,
    targets: { metrics: metricsTarget, traces: tracesTarget },
    async forceFlush() {
      metrics?.refresh();
      const before = failures();
      const results = await Promise.allSettled([meterProvider?.forceFlush(), tracerProvider?.forceFlush()]);
      return results.every((r) => r.status === 'fulfilled') && failures() === before;
    },
    shutdown() {
      stopped ??= (async () => {
        // The providers' shutdown exports one last time, so joerl's instruments stay observed until then.
        await Promise.allSettled([meterProvider?.shutdown(), tracerProvider?.shutdown()]);
        metrics?.stop();
        registration.unregister();
      })();
      return stopped;
    },
  };
}

/** The telemetry to use: the caller's instance as is, or one created from options with tracing on this setup's tracer. */
function telemetryFor(given: Telemetry | TelemetryOptions | undefined, tracerProvider: BasicTracerProvider | null): Telemetry {
  if (given instanceof Telemetry) {
    if (tracerProvider !== null && !given.tracingEnabled) {
      throw new InvalidConfigError(
        'telemetry',
        'a Telemetry created without tracing',
        'a telemetry created with `tracing: true` (its spans then reach this setup), telemetry options instead of an instance, or `traces: false`',
      );
    }
    return given;
  }
  const options = given ?? {};
  // Not an object: createTelemetry says what is wrong. Tracing set by the caller: theirs to decide.
  if (tracerProvider === null || typeof options !== 'object' || options === null || options.tracing !== undefined) return createTelemetry(options);
  return createTelemetry({ ...options, tracing: { tracer: tracerProvider.getTracer(SCOPE_NAME) } });
}

function flag(value: boolean | undefined, setting: string): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'boolean') throw new InvalidConfigError(setting, value, 'true or false');
  return value;
}

function ms(value: number, setting: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new InvalidConfigError(setting, value, 'a positive number of milliseconds');
  return value;
}

/** The span batching variables the SDK (2.x) no longer reads itself; unset ones keep its defaults. */
function batchConfig(): BufferConfig {
  const config: { -readonly [K in keyof BufferConfig]: BufferConfig[K] } = {};
  const delay = envMs('OTEL_BSP_SCHEDULE_DELAY');
  const queue = envMs('OTEL_BSP_MAX_QUEUE_SIZE');
  const batch = envMs('OTEL_BSP_MAX_EXPORT_BATCH_SIZE');
  const timeout = envMs('OTEL_BSP_EXPORT_TIMEOUT');
  if (delay !== undefined) config.scheduledDelayMillis = delay;
  if (queue !== undefined) config.maxQueueSize = queue;
  if (batch !== undefined) config.maxExportBatchSize = batch;
  if (timeout !== undefined) config.exportTimeoutMillis = timeout;
  return config;
}

/** A positive integer from the environment (ms or a size), or undefined when unset or blank. */
function envMs(name: string): number | undefined {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new InvalidConfigError(name, raw, 'a positive integer');
  return value;
}
