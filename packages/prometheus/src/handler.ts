/**
 * The `node:http` request handler serving `/metrics`.
 *
 * @module
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { RegistryContentType } from 'prom-client';
import { contentTypeFor } from './content-type.js';

/**
 * The path metrics are served on; other paths answer 404.
 *
 * @example
 * ```ts
 * const server = await prometheus({ telemetry }).listen();
 * server.url.endsWith(METRICS_PATH); // true
 * ```
 * @since 0.1.0
 */
export const METRICS_PATH = '/metrics';

/** @internal what the handler needs from the provider */
export interface MetricsSource {
  /** The registry's own content type, answered when the scraper has no preference. */
  readonly contentType: RegistryContentType;
  render(contentType: RegistryContentType): Promise<string>;
  failed(what: string, error: unknown): void;
}

/**
 * @internal
 * `GET /metrics` (and `HEAD`) answered in the format the `Accept` header prefers; any other path
 * is 404, any other method 405. A rendering failure is a 500 with a one-line reason, reported
 * once to the logger: it never throws into the server (or the actor system).
 */
export function metricsHandler(source: MetricsSource): RequestListener {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void serve(source, req, res);
  };
}

async function serve(source: MetricsSource, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    if (pathOf(req.url) !== METRICS_PATH) {
      return reply(res, 404, `not found: metrics are served on ${METRICS_PATH}\n`);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return reply(res, 405, `method ${req.method ?? ''} not allowed: use GET ${METRICS_PATH}\n`);
    }
    const contentType = contentTypeFor(req.headers.accept, source.contentType);
    const body = await source.render(contentType);
    res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', Vary: 'Accept' });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (error) {
    source.failed('rendering /metrics', error);
    if (!res.headersSent) reply(res, 500, `metrics could not be rendered: ${String(error)}\n`);
    else res.destroy();
  }
}

function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q < 0 ? raw : raw.slice(0, q);
}
