/**
 * Client errors become a count, never an exception: a StatsD server that is down costs the actor
 * system nothing.
 *
 * @module
 */
import type { Telemetry } from '@joerl/telemetry';

/** The label value failed StatsD sends are counted under, in `joerl_telemetry_export_errors_total`. */
export const BACKEND = 'statsd';

/**
 * A hot-shots `errorHandler` that counts each error the client reports in
 * `joerl_telemetry_export_errors_total{backend="statsd"}` and then passes it to `next`, if given
 * (an exception thrown by `next` is swallowed: telemetry never throws). `statsd()` installs one on
 * the clients it creates; give one to a client you create yourself.
 *
 * @param telemetry - the telemetry that counts the failures
 * @param next - your own handler, e.g. a rate-limited logger
 * @example
 * ```ts
 * import { StatsD } from 'hot-shots';
 * const client = new StatsD({ host: 'statsd.internal', errorHandler: statsdErrorHandler(telemetry) });
 * const exporter = statsd({ telemetry, client });
 * ```
 * @since 0.1.0
 */
export function statsdErrorHandler(telemetry: Telemetry, next?: (error: Error) => void): (error: Error) => void {
  return (error: Error) => {
    telemetry.exportFailed(BACKEND);
    if (next === undefined) return;
    try {
      next(error);
    } catch {
      // A failing user handler must not turn a lost datagram into a crash.
    }
  };
}
