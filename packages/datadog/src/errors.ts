/**
 * The errors `@joerl/datadog` reports. Each extends core's `JoerlError` with a stable `code`.
 * They are returned as values (in an `ExportResult`), never thrown into your code.
 *
 * @module
 */
import { JoerlError } from '@joerl/core';

/**
 * A DogStatsD flush that did not complete within the exporter's `timeoutMs`: the client's
 * transport is stalled (a TCP or Unix socket agent that stopped reading). The export is counted
 * as failed and the next one goes ahead. Code `EXPORT_TIMEOUT`.
 *
 * @example
 * ```ts
 * import { ExportTimeoutError } from '@joerl/datadog';
 *
 * const result = await exporter.flush();
 * if (result.kind === 'failed' && result.error instanceof ExportTimeoutError) {
 *   console.warn(`DogStatsD did not answer within ${result.error.timeoutMs} ms`);
 * }
 * ```
 * @since 0.1.0
 */
export class ExportTimeoutError extends JoerlError {
  declare readonly code: 'EXPORT_TIMEOUT';
  /** The deadline that passed, ms. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(
      'EXPORT_TIMEOUT',
      `the DogStatsD client did not finish sending within ${timeoutMs} ms; check that the agent is reachable (DD_AGENT_HOST, DD_DOGSTATSD_PORT / DD_DOGSTATSD_URL), or raise datadog({ timeoutMs })`,
    );
    this.timeoutMs = timeoutMs;
  }
}
