import { createServer } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { contentTypeFor, DEFAULT_HOST, ExporterClosedError, MetricsListenError, prometheus } from '../src/index.js';
import { get, instrumented, parseExposition, PROMETHEUS_ACCEPT, valueOf } from './helpers.js';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const OPENMETRICS = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

const open: { close(): Promise<void> }[] = [];
/** A provider with a user counter in its registry, listening on a free loopback port. */
async function serving(registry: Registry<typeof TEXT | typeof OPENMETRICS> = new Registry()) {
  const { telemetry, system } = instrumented();
  const orders = new Counter({ name: 'app_orders_total', help: 'Orders taken.', registers: [registry] });
  orders.inc(2);
  const exporter = prometheus({ telemetry, registry, logger: null });
  open.push(exporter);
  const server = await exporter.listen({ port: 0 });
  return { telemetry, system, exporter, server };
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});

describe('GET /metrics', () => {
  it('answers in the Prometheus text format by default', async () => {
    const { server } = await serving();
    const res = await get(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(TEXT);
    const parsed = parseExposition(res.body);
    expect(parsed.type.get('joerl_actors_spawned_total')).toBe('counter');
    expect(valueOf(parsed, 'app_orders_total')).toBe(2);
    expect(parsed.eof).toBe(false);
  });

  it('answers OpenMetrics when the scraper prefers it, as Prometheus does', async () => {
    const { server } = await serving();
    const res = await get(server.url, { accept: PROMETHEUS_ACCEPT });
    expect(res.headers.get('content-type')).toBe(OPENMETRICS);
    const parsed = parseExposition(res.body);
    expect(parsed.eof).toBe(true);
    expect(parsed.type.get('joerl_actors_spawned')).toBe('counter'); // OpenMetrics names the family without _total
    expect(valueOf(parsed, 'app_orders_total')).toBe(2);
    expect(valueOf(parsed, 'joerl_links_created_total')).toBe(0);
  });

  it('leaves your counters’ names alone after an OpenMetrics scrape', async () => {
    const { server } = await serving();
    await get(server.url, { accept: PROMETHEUS_ACCEPT });
    const parsed = parseExposition((await get(server.url)).body);
    expect(parsed.type.get('app_orders_total')).toBe('counter');
    expect(valueOf(parsed, 'app_orders_total')).toBe(2);
  });

  it('answers an OpenMetrics registry in OpenMetrics, and in text when asked', async () => {
    const registry = new Registry<typeof OPENMETRICS>();
    registry.setContentType(OPENMETRICS);
    const { server } = await serving(registry);
    expect((await get(server.url)).headers.get('content-type')).toBe(OPENMETRICS);
    const text = await get(server.url, { accept: 'text/plain;version=0.0.4' });
    expect(text.headers.get('content-type')).toBe(TEXT);
    const parsed = parseExposition(text.body);
    expect(valueOf(parsed, 'app_orders_total')).toBe(2);
    expect(valueOf(parsed, 'joerl_links_created_total')).toBe(0);
  });

  it('answers HEAD with headers only', async () => {
    const { server } = await serving();
    const res = await get(server.url, {}, 'HEAD');
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(0);
    expect(res.body).toBe('');
  });

  it('serves /metrics only: other paths are 404, other methods 405', async () => {
    const { server } = await serving();
    const base = server.url.replace(/\/metrics$/, '');
    expect((await get(`${base}/`)).status).toBe(404);
    expect((await get(`${base}/metrics/extra`)).status).toBe(404);
    expect((await get(`${server.url}?debug=1`)).status).toBe(200);
    const post = await get(server.url, {}, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers 500 when a metric of the registry fails, reports it, and goes on serving', async () => {
    const registry = new Registry();
    let broken = true;
    new Gauge({
      name: 'app_flaky',
      help: 'Fails while broken.',
      registers: [registry],
      collect() {
        if (broken) throw new Error('flaky collect');
        this.set(1);
      },
    });
    const { telemetry } = instrumented();
    const logger = { warn: vi.fn(), error: vi.fn() };
    const exporter = prometheus({ telemetry, registry, logger });
    open.push(exporter);
    const server = await exporter.listen({ port: 0 });
    const failed = await get(server.url);
    expect(failed.status).toBe(500);
    expect(failed.body).toBe('metrics could not be rendered; the error is in the service log\n');
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(String(logger.warn.mock.calls[0]?.[0])).toContain('flaky collect');
    broken = false;
    expect((await get(server.url)).status).toBe(200);
  });

  it('can be mounted on a server of yours', async () => {
    const { exporter } = await serving();
    const mine = createServer(exporter.handler);
    await new Promise<void>((resolve) => mine.listen(0, '127.0.0.1', resolve));
    try {
      const address = mine.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const res = await get(`http://127.0.0.1:${port}/metrics`);
      expect(valueOf(parseExposition(res.body), 'app_orders_total')).toBe(2);
    } finally {
      mine.closeAllConnections();
      await new Promise((resolve) => mine.close(resolve));
    }
  });
});

describe('listen()', () => {
  it('listens on loopback only by default, on the port it picked for port 0', async () => {
    const { server } = await serving();
    expect(DEFAULT_HOST).toBe('127.0.0.1');
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
  });

  it('rejects with a typed error when the port is taken', async () => {
    const { exporter, server } = await serving();
    const error: unknown = await exporter.listen({ port: server.port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetricsListenError);
    expect((error as MetricsListenError).code).toBe('METRICS_LISTEN_FAILED');
    expect((error as Error).message).toMatch(/port is in use; pass listen\(\{ port \}\) a free port/);
    expect(((error as Error).cause as { code?: string }).code).toBe('EADDRINUSE');
  });

  it('is stopped by close(), even with a scraper’s keep-alive connection open', async () => {
    const { exporter, server } = await serving();
    await get(server.url); // fetch keeps the connection alive
    await exporter.close();
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it('refuses to start once the provider is closed', async () => {
    const { exporter } = await serving();
    await exporter.close();
    await expect(exporter.listen({ port: 0 })).rejects.toBeInstanceOf(ExporterClosedError);
  });
});

describe('content negotiation', () => {
  it('follows the Accept header’s preference, and the registry’s own type without one', () => {
    expect(contentTypeFor(PROMETHEUS_ACCEPT)).toBe(OPENMETRICS);
    expect(contentTypeFor('text/plain;version=0.0.4;q=0.9,application/openmetrics-text;q=0.5')).toBe(TEXT);
    expect(contentTypeFor('application/openmetrics-text;q=0,*/*')).toBe(TEXT);
    expect(contentTypeFor('text/*')).toBe(TEXT);
    expect(contentTypeFor(undefined)).toBe(TEXT);
    expect(contentTypeFor('*/*', OPENMETRICS)).toBe(OPENMETRICS);
    expect(contentTypeFor(undefined, OPENMETRICS)).toBe(OPENMETRICS);
  });
});
