/**
 * `datadogTracing()`: the tracing option of `createTelemetry()` that sends joerl's spans to
 * Datadog APM through your `dd-trace`.
 *
 * @module
 */
import { InvalidConfigError } from '@joerl/core';
import type { TracingOptions } from '@joerl/telemetry';
import { DatadogSpanTracer } from './datadog-span-tracer.js';
import { type DdTracer, ddOtelTracer } from './dd-tracer.js';

/**
 * Options of {@link datadogTracing}.
 *
 * @example
 * ```ts
 * // Show the actor system as a service of its own in APM, next to the HTTP service:
 * const telemetry = createTelemetry({ tracing: datadogTracing(tracer, { service: 'orders-actors' }) });
 * ```
 * @since 0.1.0
 */
export interface DatadogTracingOptions {
  /**
   * The service joerl's spans belong to (default: dd-trace's, i.e. `DD_SERVICE` or
   * `tracer.init({ service })`). Set it to show the actor system as a service of its own.
   */
  readonly service?: string;
  /**
   * Register dd-trace's OpenTelemetry `TracerProvider` with `@opentelemetry/api` (default
   * `true`). Pass `false` if you already called `new tracer.TracerProvider().register()`.
   */
  readonly register?: boolean;
}

/**
 * The `tracing` option for `createTelemetry()` that turns joerl's spans into Datadog spans:
 * operation `joerl.message` for a message handled, `joerl.call` / `joerl.handle_call` for a
 * GenServer call at the caller and in the callee, resource = the actor type, service from
 * dd-trace. A trace crosses every actor hop, and continues a dd-trace span that is active when
 * the first message is sent (an HTTP request, say).
 *
 * It registers dd-trace's OpenTelemetry provider once per tracer; your `tracer.init()` (and the
 * `DD_*` variables it reads) decides where spans go, their sampling and their tags.
 *
 * @param tracer your `dd-trace` tracer, initialised.
 * @throws InvalidConfigError if `tracer` is not a dd-trace tracer (it has no `TracerProvider`).
 * @example
 * ```ts
 * import tracer from 'dd-trace';
 * import { createTelemetry } from '@joerl/telemetry';
 * import { datadogTracing } from '@joerl/datadog';
 *
 * tracer.init();
 * const telemetry = createTelemetry({ tracing: datadogTracing(tracer) });
 * ```
 * @since 0.1.0
 */
export function datadogTracing(tracer: DdTracer, options: DatadogTracingOptions = {}): TracingOptions {
  checkTracer(tracer);
  if (options.service !== undefined && (typeof options.service !== 'string' || options.service.length === 0)) {
    throw new InvalidConfigError('service', options.service, 'a non-empty service name, or nothing to keep dd-trace\'s');
  }
  return { tracer: new DatadogSpanTracer(ddOtelTracer(tracer, options.register ?? true), options.service) };
}

/** @internal Throws unless `tracer` looks like dd-trace's default export. */
export function checkTracer(tracer: unknown): asserts tracer is DdTracer {
  if (typeof tracer !== 'object' || tracer === null || typeof (tracer as { TracerProvider?: unknown }).TracerProvider !== 'function') {
    throw new InvalidConfigError('tracer', tracer, "dd-trace's tracer: `import tracer from 'dd-trace'`, then `tracer.init()`");
  }
}
