/**
 * `@joerl/datadog`: joerl in Datadog. Spans go to APM through your `dd-trace` (operation
 * `joerl.message` / `joerl.call` / `joerl.handle_call`, resource = the actor type), metrics go to
 * DogStatsD with Datadog's tags (`actor_type:worker`, `env`, `service`, `version`).
 *
 * @packageDocumentation
 */
export { datadog, type DatadogOptions } from './datadog.js';
export { datadogTracing, type DatadogTracingOptions } from './datadog-tracing.js';
export type { DdTracer } from './dd-tracer.js';
export type { DogStatsDAddress } from './dogstatsd-client.js';
export { ExportTimeoutError } from './errors.js';
export type { ExportResult } from './export-result.js';
export { DatadogExporter, type HistogramType } from './exporter.js';
export { TAG_KEYS } from './metric-tags.js';
export { OPERATION_NAMES } from './span-fields.js';
