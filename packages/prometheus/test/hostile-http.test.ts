import { fc, test } from '@fast-check/vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gauge, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_TARGET_LENGTH, METRICS_SERVER_LIMITS, type MetricsServer, prometheus, type PrometheusProvider } from '../src/index.js';
import { deferred, get, type HostileKind, HOSTILE_TARGETS, INTERNAL_TEXT, instrumented, makeHostile, rawRequest, requestArbitrary } from './helpers.js';

let exporter: PrometheusProvider;
let server: MetricsServer;
beforeAll(async () => {
  const { telemetry, system } = instrumented();
  system.spawn<number>(() => {}, { type: 'worker' }).send(1);
  exporter = prometheus({ telemetry, logger: null });
  server = await exporter.listen({ port: 0 });
});
afterAll(() => exporter.close());

describe('malformed request targets on /metrics', () => {
  it.each(HOSTILE_TARGETS.map((t) => [t.length > 60 ? `${t.slice(0, 30)}… (${t.length} characters)` : t, t]))(
    '%s gets an answer below 500 without internal error text',
    async (_label, target) => {
      const res = await rawRequest(server.port, { method: 'GET', target, headers: [], body: '' });
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(500);
      expect(res.body).not.toMatch(INTERNAL_TEXT);
    },
  );

  it.each(['*', 'http://x', 'http://127.0.0.1/metrics', '%zz'])('%s is a 400', async (target) => {
    expect((await rawRequest(server.port, { method: 'GET', target, headers: [], body: '' })).status).toBe(400);
  });

  it('//, /%zz and other paths are 404', async () => {
    for (const target of ['//', '//metrics', '/%zz', '/metrics/']) {
      expect((await rawRequest(server.port, { method: 'GET', target, headers: [], body: '' })).status, target).toBe(404);
    }
  });

  it(`a target longer than ${MAX_TARGET_LENGTH} characters is a 414`, async () => {
    expect((await rawRequest(server.port, { method: 'GET', target: `/metrics?${'x'.repeat(MAX_TARGET_LENGTH)}`, headers: [], body: '' })).status).toBe(414);
  });
});

describe('the HTTP fuzz test', () => {
  test.prop([requestArbitrary(['/metrics'])], { numRuns: 120, endOnFailure: true })('answers anything below 500, with no internal text', async (req) => {
    const res = await rawRequest(server.port, req);
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status, res.body.slice(0, 500)).toBeLessThan(500);
    expect(res.body).not.toMatch(INTERNAL_TEXT);
  });

  it('still serves metrics after the fuzzing', async () => {
    const res = await get(server.url);
    expect(res.status).toBe(200);
    expect(res.body).toContain('joerl_messages_processed_total{type="worker"} 1');
  });
});

describe('the server', () => {
  it('sets the documented timeouts', async () => {
    // The limits are node:http settings; listen() passes them all (maxHeaderSize is checked by a 431).
    expect(METRICS_SERVER_LIMITS).toEqual({ headersTimeout: 10_000, requestTimeout: 10_000, keepAliveTimeout: 5_000, maxHeaderSize: 8192, connectionsCheckingInterval: 1000 });
    const res = await rawRequest(server.port, { method: 'GET', target: '/metrics', headers: [['X-Big', 'y'.repeat(9000)]], body: '' });
    expect(res.status).toBe(431);
  });
});

describe('concurrent scrapes', () => {
  let mine: Server | null = null;
  afterAll(async () => {
    mine?.closeAllConnections();
    await new Promise((resolve) => mine?.close(resolve));
  });

  it('share one rendering, and so one telemetry collection', async () => {
    const { telemetry } = instrumented();
    const registry = new Registry();
    const gate = deferred();
    // A metric whose collection waits on the test: every scrape arrives while the first renders.
    new Gauge({
      name: 'app_slow',
      help: 'Collected slowly.',
      registers: [registry],
      async collect() {
        await gate.promise;
        this.set(1);
      },
    });
    const provider = prometheus({ telemetry, registry, logger: null });
    const collect = vi.spyOn(telemetry, 'collect');
    const arrived = deferred();
    let requests = 0;
    mine = createServer((req, res) => {
      if (++requests === 10) arrived.resolve();
      provider.handler(req, res);
    });
    await new Promise<void>((resolve) => mine!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(mine.address() as AddressInfo).port}/metrics`;
    const scrapes = Array.from({ length: 10 }, () => get(url));
    await arrived.promise;
    gate.resolve();
    const bodies = await Promise.all(scrapes);
    expect(bodies.map((b) => b.status)).toEqual(Array(10).fill(200));
    expect(new Set(bodies.map((b) => b.body)).size).toBe(1);
    expect(collect).toHaveBeenCalledTimes(1);
    // The next scrape is fresh.
    await get(url);
    expect(collect).toHaveBeenCalledTimes(2);
    await provider.close();
  });
});

describe('a registry metric that throws a hostile value', () => {
  test.prop([fc.constantFrom('revoked-proxy', 'throwing-toString', 'null-prototype', 'bigint', 'cyclic') as fc.Arbitrary<HostileKind>], { numRuns: 10 })(
    'is a 500 that says only that, and the server goes on',
    async (kind) => {
      const { telemetry } = instrumented();
      const registry = new Registry();
      new Gauge({
        name: 'app_hostile',
        help: 'Throws a hostile value.',
        registers: [registry],
        collect() {
          throw makeHostile(kind);
        },
      });
      const provider = prometheus({ telemetry, registry, logger: { warn: () => undefined, error: () => undefined } });
      const s = await provider.listen({ port: 0 });
      try {
        const res = await get(s.url);
        expect(res.status).toBe(500);
        expect(res.body).toBe('metrics could not be rendered; the error is in the service log\n');
      } finally {
        await provider.close();
      }
    },
  );
});
