/**
 * `@joerl/statsd`: joerl's metrics to StatsD, DogStatsD (Datadog agent) or Telegraf through
 * `hot-shots`: counters as increments, gauges, histograms as timings, flushed on an interval.
 *
 * @packageDocumentation
 */
export { statsdErrorHandler } from './error-handler.js';
export type { StatsdClientOptions, StatsdOptions } from './options.js';
export { statsdName } from './stat-name.js';
export { statsd, type StatsdExporter } from './statsd.js';
export type { TagStyle } from './tag-style.js';
