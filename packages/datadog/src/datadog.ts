/**
 * `datadog()`: joerl's metrics to DogStatsD with Datadog's tags, and the bookkeeping of span
 * exports, for a telemetry whose spans go through {@link datadogTracing}.
 *
 * @module
 */
import { consoleLogger, InvalidConfigError, type Logger } from '@joerl/core';
import type { Telemetry } from '@joerl/telemetry';
import type { StatsD } from 'hot-shots';
import { checkTracer } from './datadog-tracing.js';
import { type DdTracer, hasDdOtelTracer } from './dd-tracer.js';
import { createDogStatsD, type DogStatsDAddress } from './dogstatsd-client.js';
import { DatadogExporter, type HistogramType } from './exporter.js';
import { globalTags } from './global-tags.js';
import { watchTraceExportFailures } from './trace-export-failures.js';

/**
 * Options of {@link datadog}. Only `telemetry` and `tracer` are required; the rest follow the
 * `DD_*` variables Datadog users already set.
 *
 * @example
 * ```ts
 * const options: DatadogOptions = {
 *   telemetry,
 *   tracer,
 *   intervalMs: 10_000,
 *   tags: { team: 'payments' }, // on every metric, next to env/service/version
 * };
 * const exporter = datadog(options);
 * ```
 * @since 0.1.0
 */
export interface DatadogOptions {
  /** The telemetry to export, created with `tracing: datadogTracing(tracer)`. */
  readonly telemetry: Telemetry;
  /** Your `dd-trace` tracer, initialised (`tracer.init()` stays yours). */
  readonly tracer: DdTracer;
  /**
   * Your hot-shots client (`new StatsD({...})`): its address, prefix and global tags apply, and
   * you close it. Default: one created for DogStatsD where dd-trace sends its own metrics
   * (`dogstatsd`, `DD_DOGSTATSD_URL`, `DD_DOGSTATSD_HOST` / `DD_AGENT_HOST`, `DD_DOGSTATSD_PORT`),
   * tagged `env` / `service` / `version` from the options or `DD_ENV` / `DD_SERVICE` /
   * `DD_VERSION`, and `DD_TAGS`; closed by `shutdown()`.
   */
  readonly statsd?: StatsD;
  /** Where DogStatsD listens, for the client created when `statsd` is not given. */
  readonly dogstatsd?: DogStatsDAddress;
  /** How often metrics are sent, ms (default 10 000, the agent's flush interval). */
  readonly intervalMs?: number;
  /** How long one send may take before it counts as failed, ms (default 5000, at most `intervalMs`). */
  readonly timeoutMs?: number;
  /** DogStatsD type of histogram values (default `'distribution'`: percentiles across hosts). */
  readonly histogramType?: HistogramType;
  /** The `env` tag (default `DD_ENV`). */
  readonly env?: string;
  /** The `service` tag (default `DD_SERVICE`). */
  readonly service?: string;
  /** The `version` tag (default `DD_VERSION`). */
  readonly version?: string;
  /** More tags for every metric, e.g. `{ team: 'payments' }`. */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Whether joerl's spans go to Datadog APM (default `true`): failed span payloads are counted,
   * and a warning says so if `datadogTracing(tracer)` was never called. `false` for metrics only.
   */
  readonly traces?: boolean;
  /** Where the first export failure and set-up warnings go (default the console; `null` for silence). */
  readonly logger?: Logger | null;
}

/**
 * Exports a telemetry to Datadog: its metrics to DogStatsD every `intervalMs` — names from the
 * catalog (`joerl.actors.spawned`, `joerl.message.processing.duration`...), tags in Datadog's
 * conventions (`actor_type:worker`, `reason:error`, `env`, `service`, `version`), counters as
 * increments, gauges as values, histograms as `distribution` values — while joerl's spans reach
 * APM through dd-trace (see {@link datadogTracing}).
 *
 * A backend that is down costs the actor system nothing: sends happen off the message path,
 * fail without throwing, are counted in `joerl_telemetry_export_errors_total{backend="datadog"}`
 * (once per failed export, and once per span payload dd-trace could not deliver after its own
 * bounded retries), and the next interval tries again.
 *
 * @throws InvalidConfigError for a bad option (no telemetry, not a dd-trace tracer, a non-positive
 * interval, `statsd` and `dogstatsd` together, a bad `DD_DOGSTATSD_PORT`...), or a second
 * exporter for the same telemetry.
 * @example
 * ```ts
 * import tracer from 'dd-trace';
 * import { ActorSystem } from '@joerl/core';
 * import { createTelemetry } from '@joerl/telemetry';
 * import { datadog, datadogTracing } from '@joerl/datadog';
 *
 * tracer.init(); // yours: DD_SERVICE, DD_ENV, DD_AGENT_HOST... apply as usual
 * const telemetry = createTelemetry({ tracing: datadogTracing(tracer) });
 * const system = new ActorSystem({ instrumentation: telemetry });
 * datadog({ telemetry, tracer });
 * ```
 * @since 0.1.0
 */
export function datadog(options: DatadogOptions): DatadogExporter {
  if (typeof options !== 'object' || options === null) throw new InvalidConfigError('datadog options', options, 'an object with `telemetry` and `tracer`');
  const { telemetry, tracer } = options;
  if (!isTelemetry(telemetry)) throw new InvalidConfigError('telemetry', telemetry, 'the result of createTelemetry() from @joerl/telemetry');
  checkTracer(tracer);
  const intervalMs = options.intervalMs ?? 10_000;
  if (!isPositive(intervalMs)) throw new InvalidConfigError('intervalMs', intervalMs, 'a positive number of milliseconds');
  const timeoutMs = options.timeoutMs ?? Math.min(5000, intervalMs);
  if (!isPositive(timeoutMs)) throw new InvalidConfigError('timeoutMs', timeoutMs, 'a positive number of milliseconds');
  const histogramType = options.histogramType ?? 'distribution';
  if (histogramType !== 'distribution' && histogramType !== 'histogram') {
    throw new InvalidConfigError('histogramType', histogramType, "'distribution' or 'histogram'");
  }
  for (const key of ['env', 'service', 'version'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw new InvalidConfigError(key, value, 'a non-empty string');
  }
  const tags = options.tags;
  if (tags !== undefined && (typeof tags !== 'object' || tags === null || Object.values(tags).some((v) => typeof v !== 'string'))) {
    throw new InvalidConfigError('tags', tags, 'an object of tag names to string values, e.g. { team: "payments" }');
  }
  if (options.statsd !== undefined && options.dogstatsd !== undefined) {
    throw new InvalidConfigError('dogstatsd', options.dogstatsd, 'nothing when `statsd` is given (your client has its own address)');
  }
  if (options.statsd !== undefined && !isStatsD(options.statsd)) {
    throw new InvalidConfigError('statsd', options.statsd, "a hot-shots client: `new StatsD({...})` from 'hot-shots'");
  }
  const logger = options.logger === undefined ? consoleLogger : options.logger;
  const traces = options.traces ?? true;
  const sources = { env: options.env, service: options.service, version: options.version, tags };

  // The client may report an error before the exporter exists: it is held until then.
  let exporter: DatadogExporter | null = null;
  const pending: unknown[] = [];
  const onClientError = (error: unknown): void => {
    if (exporter === null) pending.push(error);
    else exporter.clientFailed(error);
  };
  const ownsClient = options.statsd === undefined;
  const client = options.statsd ?? createDogStatsD(options.dogstatsd ?? {}, globalTags(sources), onClientError);
  exporter = new DatadogExporter({
    telemetry,
    client,
    ownsClient,
    // Your client keeps its own global tags: only the ones you passed here are added.
    extraTags: ownsClient ? [] : globalTags(sources, {}),
    intervalMs,
    timeoutMs,
    histogramType,
    logger,
  });
  for (const error of pending) exporter.clientFailed(error);

  try {
    telemetry.addProvider(exporter.asProvider);
  } catch (error) {
    void exporter.discard();
    throw error;
  }
  if (traces) {
    const counting = exporter;
    exporter.onShutdown(watchTraceExportFailures((message) => counting.traceExportFailed(message)));
    if (!hasDdOtelTracer(tracer)) {
      logger?.warn(
        'datadog: joerl spans will not reach Datadog APM: create the telemetry with createTelemetry({ tracing: datadogTracing(tracer) }), or pass datadog({ traces: false }) for metrics only',
      );
    }
  }
  return exporter;
}

function isTelemetry(value: unknown): value is Telemetry {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Partial<Record<'collect' | 'exportFailed' | 'addProvider' | 'removeProvider', unknown>>;
  return typeof t.collect === 'function' && typeof t.exportFailed === 'function' && typeof t.addProvider === 'function' && typeof t.removeProvider === 'function';
}

function isStatsD(value: unknown): value is StatsD {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Partial<Record<'increment' | 'gauge' | 'flush' | 'close' | 'send', unknown>>;
  return typeof c.increment === 'function' && typeof c.gauge === 'function' && typeof c.flush === 'function' && typeof c.close === 'function' && typeof c.send === 'function';
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && value > 0 && Number.isFinite(value);
}
