/**
 * `@joerl/prometheus`: joerl's metrics for Prometheus, on `prom-client`.
 *
 * `prometheus({ telemetry })` puts the whole telemetry catalog of an actor system in a prom-client
 * `Registry` (yours or a new one), read from `telemetry.collect()` once per scrape, and serves it
 * on `/metrics` in the Prometheus text format or OpenMetrics.
 *
 * @packageDocumentation
 */
export { contentTypeFor } from './content-type.js';
export { ExporterClosedError, MetricNameTakenError, MetricsListenError } from './errors.js';
export { MAX_TARGET_LENGTH, METRICS_PATH } from './handler.js';
export { UNIT_SUFFIX } from './names.js';
export {
  type DefaultMetricsOptions,
  prometheus,
  type PrometheusOptions,
  type PrometheusProvider,
} from './prometheus.js';
export {
  DEFAULT_WORKER_TIMEOUT_MS,
  gatherFromWorkers,
  type GatherWorkers,
  type MetricsPort,
  type NodeFamilies,
  serveWorkerMetrics,
} from './worker-metrics.js';
export { DEFAULT_HOST, DEFAULT_PORT, type ListenOptions, METRICS_SERVER_LIMITS, type MetricsServer } from './server.js';
