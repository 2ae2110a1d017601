/**
 * W3C trace context (`traceparent`, `tracestate`) for traces that cross nodes: written from a span
 * context, read back into a remote one. The `joerl` entry of `tracestate` carries the trace's hop
 * count, so `tracing.maxHops` bounds a trace across nodes as on one.
 *
 * @module
 */
import type { RemoteTrace } from '@joerl/core';
import { createTraceState, isSpanContextValid, type SpanContext, type TraceState as OtelTraceState } from '@opentelemetry/api';

/** The `tracestate` key of joerl's entry. */
const KEY = 'joerl';
/** `version-traceid-parentid-flags`; version ff is invalid, and a future version may append fields. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** @internal The headers of a span context `hops` deep in its trace. */
export function writeTrace(span: SpanContext, hops: number): RemoteTrace {
  const flags = (span.traceFlags & 0xff).toString(16).padStart(2, '0');
  const state: OtelTraceState = (span.traceState ?? createTraceState()).set(KEY, String(hops));
  return { traceparent: `00-${span.traceId}-${span.spanId}-${flags}`, tracestate: state.serialize() };
}

/** @internal A remote span context and its hop count read from headers, or undefined if they are not a valid trace context. */
export function readTrace(trace: RemoteTrace): { readonly span: SpanContext; readonly hops: number } | undefined {
  const m = typeof trace.traceparent === 'string' ? TRACEPARENT.exec(trace.traceparent.trim()) : null;
  if (m === null) return undefined;
  const [, version, traceId = '', spanId = '', flags = '00', rest] = m;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  let traceState: OtelTraceState | undefined;
  let hops = 0;
  if (typeof trace.tracestate === 'string' && trace.tracestate.length <= 512) {
    try {
      traceState = createTraceState(trace.tracestate);
      const h = Number(traceState.get(KEY));
      if (Number.isSafeInteger(h) && h >= 0) hops = h;
    } catch {
      traceState = undefined; // an unreadable tracestate is dropped, as the spec allows
    }
  }
  const span: SpanContext = { traceId, spanId, traceFlags: Number.parseInt(flags, 16) & 0xff, isRemote: true, ...(traceState === undefined ? {} : { traceState }) };
  return isSpanContextValid(span) ? { span, hops } : undefined;
}
