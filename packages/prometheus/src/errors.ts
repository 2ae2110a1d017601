/**
 * The errors `@joerl/prometheus` throws. Each extends core's `JoerlError` with a stable `code`.
 *
 * @module
 */
import { JoerlError } from '@joerl/core';

/**
 * Thrown by `prometheus()` when a metric name it would register is already in the registry: a
 * metric of yours, the default Node metrics registered twice, or joerl's own metrics from another
 * actor system without distinct `system` labels. Nothing is registered when it is thrown.
 * Code `METRIC_NAME_TAKEN`.
 *
 * @example
 * ```ts
 * import { MetricNameTakenError, prometheus } from '@joerl/prometheus';
 *
 * try {
 *   prometheus({ telemetry, registry });
 * } catch (error) {
 *   if (error instanceof MetricNameTakenError) console.error(error.metric, error.message);
 * }
 * ```
 * @since 0.1.0
 */
export class MetricNameTakenError extends JoerlError {
  declare readonly code: 'METRIC_NAME_TAKEN';
  /** The contested metric name, as registered (prefix included). */
  readonly metric: string;

  constructor(metric: string, holder: string, fix: string) {
    super('METRIC_NAME_TAKEN', `the metric name '${metric}' is already registered in this prom-client Registry ${holder}; ${fix}`);
    this.metric = metric;
  }
}

/**
 * Rejected by `listen()` when the metrics server cannot listen, most often because the port is
 * taken. Code `METRICS_LISTEN_FAILED`; the Node.js error (e.g. `EADDRINUSE`) is the `cause`.
 *
 * @example
 * ```ts
 * import { MetricsListenError, prometheus } from '@joerl/prometheus';
 *
 * try {
 *   await prometheus({ telemetry }).listen({ port: 9464 });
 * } catch (error) {
 *   if (error instanceof MetricsListenError) console.error(`no /metrics on ${error.host}:${error.port}`);
 * }
 * ```
 * @since 0.1.0
 */
export class MetricsListenError extends JoerlError {
  declare readonly code: 'METRICS_LISTEN_FAILED';
  readonly host: string;
  readonly port: number;

  constructor(host: string, port: number, cause: unknown) {
    const reason = errorCode(cause) === 'EADDRINUSE' ? 'the port is in use' : String(cause);
    super(
      'METRICS_LISTEN_FAILED',
      `the metrics server cannot listen on ${host}:${port}: ${reason}; pass listen({ port }) a free port (0 picks one), or serve prometheus(...).handler from your own server`,
      { cause },
    );
    this.host = host;
    this.port = port;
  }
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/**
 * Thrown by `listen()` on a provider that was closed, by `close()` or by its actor system's
 * shutdown. Code `EXPORTER_CLOSED`.
 *
 * @example
 * ```ts
 * const exporter = prometheus({ telemetry });
 * await exporter.close();
 * await exporter.listen(); // rejects with ExporterClosedError
 * ```
 * @since 0.1.0
 */
export class ExporterClosedError extends JoerlError {
  declare readonly code: 'EXPORTER_CLOSED';

  constructor() {
    super('EXPORTER_CLOSED', 'this Prometheus provider is closed (by close(), or its actor system shut down); create a new one with prometheus({ telemetry })');
  }
}
