/**
 * What one export of metrics to DogStatsD came to: a value, never an exception.
 *
 * @module
 */

/**
 * The outcome of {@link DatadogExporter.flush}.
 *
 * - `sent`: every line was handed to the DogStatsD client (over UDP, delivery is not
 *   acknowledged: an agent that is down loses the datagrams silently);
 * - `failed`: the client reported an error (or timed out); the export was counted in
 *   `joerl_telemetry_export_errors_total{backend="datadog"}`;
 * - `skipped`: nothing was sent, because the previous export is still in flight (a slow agent
 *   never queues exports up) or the exporter was shut down.
 *
 * @example
 * ```ts
 * const result = await exporter.flush();
 * if (result.kind === 'failed') console.warn(`DogStatsD export failed: ${String(result.error)}`);
 * ```
 * @since 0.1.0
 */
export type ExportResult =
  | { readonly kind: 'sent'; readonly lines: number }
  | { readonly kind: 'failed'; readonly lines: number; readonly error: unknown }
  | { readonly kind: 'skipped'; readonly reason: 'in_flight' | 'shut_down' };
