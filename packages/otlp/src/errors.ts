/**
 * Errors `@joerl/otlp` throws. Each extends core's `JoerlError` and has a stable `code`.
 * Bad options and bad `OTEL_*` values throw core's `InvalidConfigError` (`INVALID_CONFIG`),
 * naming the option or variable.
 *
 * @module
 */
import { JoerlError } from '@joerl/core';

/**
 * Thrown (as a rejection of `startOtlp`) when the OTLP exporter package for the chosen protocol is
 * not installed: the exporters are optional peer dependencies, loaded only for the protocol in use.
 * Code `MISSING_EXPORTER`.
 *
 * @example
 * ```ts
 * try {
 *   await startOtlp({ serviceName: 'shop' });
 * } catch (e) {
 *   if (e instanceof MissingExporterError) console.error(`run: pnpm add ${e.packageName}`);
 * }
 * ```
 * @since 0.1.0
 */
export class MissingExporterError extends JoerlError {
  declare readonly code: 'MISSING_EXPORTER';
  /** The package to install, e.g. `@opentelemetry/exporter-metrics-otlp-proto`. */
  readonly packageName: string;
  /** The protocol that needed it. */
  readonly protocol: string;

  constructor(packageName: string, protocol: string, cause: unknown) {
    super(
      'MISSING_EXPORTER',
      `OTLP over ${protocol} needs the package '${packageName}', which could not be loaded; install it next to @joerl/otlp (same version as your other OpenTelemetry exporters), or choose the other protocol`,
      { cause },
    );
    this.packageName = packageName;
    this.protocol = protocol;
  }
}
