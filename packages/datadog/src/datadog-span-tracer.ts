/**
 * An OpenTelemetry tracer in front of dd-trace's: it gives joerl's spans their Datadog operation
 * name, resource and type as they start, and passes every other span through untouched.
 *
 * @module
 */
import type { Attributes, Context, Span, SpanOptions, Tracer } from '@opentelemetry/api';
import { datadogSpanFields } from './span-fields.js';

/**
 * @internal
 * dd-trace's OpenTelemetry bridge takes a span's name as its Datadog operation name and honours
 * the `resource.name`, `span.type` and `service.name` attributes, so joerl's spans are started
 * under their operation name with those attributes added.
 */
export class DatadogSpanTracer implements Tracer {
  constructor(
    private readonly inner: Tracer,
    /** The service of joerl's spans; undefined keeps dd-trace's (`DD_SERVICE`). */
    private readonly service: string | undefined,
  ) {}

  startSpan(name: string, options?: SpanOptions, context?: Context): Span {
    const fields = datadogSpanFields(name, options?.kind, options?.attributes);
    if (fields === undefined) return this.inner.startSpan(name, options, context);
    return this.inner.startSpan(fields.operationName, this.withFields(options as SpanOptions, fields.resource, fields.type), context);
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, context: Context, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, a: SpanOptions | F, b?: Context | F, c?: F): ReturnType<F> {
    if (typeof a === 'function') return this.inner.startActiveSpan(name, a);
    const fields = datadogSpanFields(name, a.kind, a.attributes);
    const spanName = fields === undefined ? name : fields.operationName;
    const options = fields === undefined ? a : this.withFields(a, fields.resource, fields.type);
    if (typeof b === 'function') return this.inner.startActiveSpan(spanName, options, b);
    return this.inner.startActiveSpan(spanName, options, b as Context, c as F);
  }

  private withFields(options: SpanOptions, resource: string, type: string | undefined): SpanOptions {
    const attributes: Attributes = { ...options.attributes, 'resource.name': resource };
    if (type !== undefined) attributes['span.type'] = type;
    if (this.service !== undefined) attributes['service.name'] = this.service;
    return { ...options, attributes };
  }
}
