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
 * The longest request target `/metrics` reads, in characters; a longer one gets 414.
 *
 * @example
 * ```ts
 * `/metrics?${'x'.repeat(3000)}`.length > MAX_TARGET_LENGTH; // true: 414
 * ```
 * @since 0.1.0
 */
export const MAX_TARGET_LENGTH = 2048;

/**
 * @internal
 * `GET /metrics` (and `HEAD`) answered in the format the `Accept` header prefers; any other path
 * is 404, any other method 405, a target that is not a path (`*`, `http://host/metrics`) 400.
 * Scrapes that arrive while one is being rendered in the same format share its text: a burst of
 * scrapers costs one collection. A rendering failure is a 500 whose body says only that,
 * reported once to the logger with the error: it never throws into the server (or the actor
 * system), and the error's text never reaches the client.
 */
export function metricsHandler(source: MetricsSource): RequestListener {
  const rendering = new Map<RegistryContentType, Promise<string>>();
  const render = (contentType: RegistryContentType): Promise<string> => {
    let text = rendering.get(contentType);
    if (text === undefined) {
      text = source.render(contentType).finally(() => rendering.delete(contentType));
      rendering.set(contentType, text);
    }
    return text;
  };
  return (req: IncomingMessage, res: ServerResponse): void => {
    void serve(source, render, req, res);
  };
}

async function serve(source: MetricsSource, render: (contentType: RegistryContentType) => Promise<string>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const raw = req.url ?? '/';
    if (raw.length > MAX_TARGET_LENGTH) return reply(res, 414, `request target longer than ${MAX_TARGET_LENGTH} characters\n`);
    if (!raw.startsWith('/')) return reply(res, 400, `malformed request target: expected a path, ${METRICS_PATH}\n`);
    if (pathOf(raw) !== METRICS_PATH) {
      return reply(res, 404, `not found: metrics are served on ${METRICS_PATH}\n`);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return reply(res, 405, `method not allowed: use GET ${METRICS_PATH}\n`);
    }
    const contentType = contentTypeFor(req.headers.accept, source.contentType);
    const body = await render(contentType);
    res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', Vary: 'Accept' });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (error) {
    try {
      source.failed('rendering /metrics', error);
    } catch {
      // The logger itself failed: the client still gets its answer.
    }
    if (!res.headersSent) reply(res, 500, 'metrics could not be rendered; the error is in the service log\n');
    else res.destroy();
  }
}

function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function pathOf(raw: string): string {
  const q = raw.indexOf('?');
  return q < 0 ? raw : raw.slice(0, q);
}
