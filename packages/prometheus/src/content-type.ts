/**
 * Content negotiation between the Prometheus text format and OpenMetrics.
 *
 * @module
 */
import { Registry, type RegistryContentType } from 'prom-client';

/** A media range of an `Accept` header, with its weight. */
interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
}

/**
 * The exposition format to answer a scrape with, from its `Accept` header: OpenMetrics
 * (`application/openmetrics-text`) when the scraper prefers it, as Prometheus does by default, the
 * Prometheus text format (`text/plain; version=0.0.4`) when it prefers that; for no preference
 * (no header, or only wildcards), `fallback` (the registry's own content type).
 *
 * Useful to serve `/metrics` from a framework of your own (Fastify, Koa...) the way
 * `PrometheusProvider.handler` does.
 *
 * @param accept The request's `Accept` header.
 * @param fallback What to answer when the header expresses no preference.
 * @example
 * ```ts
 * import { contentTypeFor } from '@joerl/prometheus';
 *
 * app.get('/metrics', async (request, reply) => {
 *   const type = contentTypeFor(request.headers.accept, exporter.registry.contentType);
 *   reply.type(type).send(await exporter.metrics(type));
 * });
 * ```
 * @since 0.1.0
 */
export function contentTypeFor(accept: string | undefined, fallback: RegistryContentType = Registry.PROMETHEUS_CONTENT_TYPE): RegistryContentType {
  if (accept === undefined || accept.trim() === '') return fallback;
  const ranges = parseAccept(accept);
  const openMetrics = weight(ranges, 'application', 'openmetrics-text');
  const text = weight(ranges, 'text', 'plain');
  if (openMetrics > text) return Registry.OPENMETRICS_CONTENT_TYPE;
  if (text > openMetrics) return Registry.PROMETHEUS_CONTENT_TYPE;
  return fallback;
}

function parseAccept(accept: string): MediaRange[] {
  const out: MediaRange[] = [];
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.split(';');
    const [type = '', subtype = ''] = range.trim().toLowerCase().split('/');
    if (type === '' || subtype === '') continue;
    let q = 1;
    for (const param of params) {
      const [key = '', value = ''] = param.split('=');
      if (key.trim().toLowerCase() !== 'q') continue;
      const parsed = Number(value.trim());
      q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
    }
    out.push({ type, subtype, q });
  }
  return out;
}

/** The weight of a media type: that of the most specific matching range (RFC 9110 §12.5.1). */
function weight(ranges: readonly MediaRange[], type: string, subtype: string): number {
  let best = -1;
  let specificity = -1;
  for (const r of ranges) {
    const s = r.type === type && r.subtype === subtype ? 2 : r.type === type && r.subtype === '*' ? 1 : r.type === '*' && r.subtype === '*' ? 0 : -1;
    if (s < 0) continue;
    if (s > specificity || (s === specificity && r.q > best)) {
      specificity = s;
      best = r.q;
    }
  }
  return Math.max(best, 0);
}
