/**
 * The part of dd-trace this package uses, and the one OpenTelemetry provider it registers per
 * dd-trace tracer.
 *
 * @module
 */
import type ddTrace from 'dd-trace';
import type { Tracer } from '@opentelemetry/api';

/**
 * What `@joerl/datadog` needs of your `dd-trace` tracer: the default export of `dd-trace`, after
 * your `tracer.init()`.
 *
 * @example
 * ```ts
 * import tracer from 'dd-trace';
 * import type { DdTracer } from '@joerl/datadog';
 *
 * const ddTracer: DdTracer = tracer.init();
 * ```
 * @since 0.1.0
 */
export type DdTracer = Pick<typeof ddTrace, 'TracerProvider'>;

/** The name joerl's spans are started under at the provider (as `@joerl/telemetry` does). */
const INSTRUMENTATION_NAME = '@joerl/telemetry';

/** dd-trace's OpenTelemetry tracer, per dd-trace tracer: one provider each, registered once. */
const providers = new WeakMap<object, Tracer>();

/**
 * @internal
 * dd-trace's OpenTelemetry tracer for `tracer`, creating its `TracerProvider` the first time and
 * registering it with `@opentelemetry/api` when `register` is true (the global context manager
 * is what carries a trace across an actor hop, and lets joerl's spans join dd-trace's own).
 */
export function ddOtelTracer(tracer: DdTracer, register: boolean): Tracer {
  const known = providers.get(tracer);
  if (known !== undefined) return known;
  const provider = new tracer.TracerProvider();
  if (register) provider.register();
  const otel: Tracer = provider.getTracer(INSTRUMENTATION_NAME);
  providers.set(tracer, otel);
  return otel;
}

/** @internal Whether {@link ddOtelTracer} ran for `tracer`: i.e. `datadogTracing(tracer)` was called. */
export function hasDdOtelTracer(tracer: DdTracer): boolean {
  return providers.has(tracer);
}
