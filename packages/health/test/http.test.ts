import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActorSystem } from '@joerl/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type HealthServer, SystemHealth } from '../src/index.js';
import { blockEventLoop, closeAll, deferred, harness, panic, request } from './helpers.js';

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  await closeAll();
});

/** A harness whose health listens on a free loopback port. */
async function serving(options: Parameters<typeof harness>[0] = {}) {
  const h = harness(options);
  const server = await h.health.listen({ port: 0, host: '127.0.0.1' });
  servers.push(server);
  return { ...h, server, url: server.url };
}

describe('the probe endpoints', () => {
  it('/livez, /readyz and /healthz answer 200 with a JSON body when all is well', async () => {
    const { url } = await serving();
    for (const [path, probe] of [['/livez', 'liveness'], ['/readyz', 'readiness'], ['/healthz', 'health']] as const) {
      const res = await request(`${url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toEqual({ status: 'healthy', probe, issues: [] });
    }
  });

  it('/readyz answers 503 with the issues when a critical threshold is crossed', async () => {
    const { system, url } = await serving({ thresholds: { actors: { criticalAbove: 0 } } });
    system.spawn<number>(() => {}, { type: 'worker' });
    const res = await request(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      status: 'unhealthy',
      probe: 'readiness',
      issues: [{ kind: 'fail', severity: 'critical', check: 'actors', message: '1 live actors, more than 0 (criticalAbove)', observed: 1, threshold: 0, unit: 'actors' }],
    });
  });

  it('a burst of panics turns /readyz to 503 until it falls out of the window', async () => {
    const { clock, system, url } = await serving({ thresholds: { panicRate: { warn: 5, critical: 20, windowMs: 60_000 } } });
    await panic(system, 20);
    const res = await request(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(res.body?.issues).toEqual([
      expect.objectContaining({ check: 'panic-rate', severity: 'critical', message: '20 panics/min over the last 60 s (critical at 20/min)', observed: 20, threshold: 20 }),
    ]);
    clock.advance(60_000);
    expect((await request(`${url}/readyz`)).status).toBe(200);
  });

  it('a degraded system still answers 200, saying it is degraded', async () => {
    const { url } = await serving({ readings: { heap: () => ({ usedBytes: 90, limitBytes: 100 }) } });
    const res = await request(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'degraded', issues: [{ check: 'heap', severity: 'warning', observed: 90 }] });
  });

  it('?verbose lists every check with a [+]/[!]/[-]/[~] line', async () => {
    const { health, url } = await serving({ readings: { heap: () => ({ usedBytes: 90, limitBytes: 100 }) } });
    health.addCheck('database', () => false);
    const res = await request(`${url}/readyz?verbose`);
    expect(res.status).toBe(503);
    expect(res.body?.checks?.map((c) => c.line)).toEqual([
      '[+]system ok',
      '[+]shutdown ok',
      '[+]actors ok',
      '[+]mailbox-utilization ok',
      '[+]panic-rate ok',
      '[+]restart-rate ok',
      '[+]restart-intensity ok',
      '[~]event-loop-delay skipped: no event-loop delay readings yet: needs a telemetry whose event-loop monitor is on (the default), after its first 100 samples',
      '[!]heap degraded: heap used is 90 % of its limit (90 B of 100 B; warn at 85 %)',
      '[-]database failed: returned false',
    ]);
  });

  it('without ?verbose the body lists only the issues', async () => {
    const { url } = await serving();
    expect(Object.keys((await request(`${url}/readyz`)).body ?? {})).toEqual(['status', 'probe', 'issues']);
  });

  it('?exclude=<check> skips a check, and may be repeated', async () => {
    const { health, url } = await serving();
    health.addCheck('database', () => false);
    health.addCheck('cache', () => false);
    expect((await request(`${url}/readyz?exclude=database`)).status).toBe(503);
    const res = await request(`${url}/readyz?exclude=database&exclude=cache&verbose`);
    expect(res.status).toBe(200);
    expect(res.body?.checks?.filter((c) => c.kind === 'skip' && c.message === 'excluded').map((c) => c.check)).toEqual(['database', 'cache']);
  });

  it('excluding a check that does not exist still answers, with a warning', async () => {
    const { url } = await serving();
    const res = await request(`${url}/readyz?exclude=nope`);
    expect(res.status).toBe(200);
    expect(res.body?.warnings).toEqual(["cannot exclude 'nope': no such check on /readyz"]);
  });

  it('/readyz/<check> asks one check', async () => {
    const { health, url } = await serving();
    health.addCheck('database', () => false);
    const failing = await request(`${url}/readyz/database`);
    expect(failing.status).toBe(503);
    expect(failing.body).toMatchObject({ status: 'unhealthy', check: 'database', issues: [{ check: 'database' }] });
    const passing = await request(`${url}/readyz/heap?verbose`);
    expect(passing.status).toBe(200);
    expect(passing.body?.checks?.map((c) => c.check)).toEqual(['heap']);
  });

  it('answers 404 for a check the endpoint does not have, listing those it has', async () => {
    const { url } = await serving();
    const res = await request(`${url}/livez/heap`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: "no check named 'heap' on /livez", checks: ['system', 'event-loop-stall'] });
  });

  it('answers 404 for unknown paths', async () => {
    const { url } = await serving();
    for (const path of ['/', '/metrics', '/readyz/heap/extra', '/livezz']) {
      expect((await request(`${url}${path}`)).status, path).toBe(404);
    }
  });

  it('answers HEAD with the status and no body, and other methods with 405', async () => {
    const { url } = await serving({ thresholds: { actors: { criticalBelow: 1 } } });
    const head = await request(`${url}/readyz`, 'HEAD');
    expect(head.status).toBe(503);
    expect(head.body).toBeNull();
    const post = await request(`${url}/readyz`, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('turns /readyz to 503 during a graceful shutdown, before the system stops', async () => {
    const { clock, system, health, url } = await serving();
    const done = health.drainAndShutdown({ drainMs: 2000 });
    const res = await request(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(res.body?.issues.map((i) => i.check)).toEqual(['shutdown']);
    expect((await request(`${url}/livez`)).status).toBe(200);
    expect(system.status).toBe('running');
    clock.advance(2000);
    await done;
    expect(system.status).toBe('stopped');
    expect((await request(`${url}/livez`)).status).toBe(503);
  });
});

describe('liveness over HTTP', () => {
  it('a real event-loop stall makes /livez answer 503, naming the stall', async () => {
    // The real heartbeat, not the fake loop: this test blocks the loop for real.
    const system = new ActorSystem({ logger: null });
    const health = new SystemHealth({ system, liveness: { stallMs: 150, intervalMs: 10, windowMs: 60_000 } });
    servers.push(health, { close: () => system.shutdown() });
    const server = await health.listen({ port: 0, host: '127.0.0.1' });
    expect((await request(`${server.url}/livez`)).status).toBe(200);
    blockEventLoop(300);
    const res = await request(`${server.url}/livez`);
    expect(res.status).toBe(503);
    expect(res.body?.issues[0]).toMatchObject({ check: 'event-loop-stall', severity: 'critical', threshold: 150, unit: 'ms' });
    expect(res.body?.issues[0]?.observed).toBeGreaterThanOrEqual(150);
  });
});

describe('the handler', () => {
  it('mounts on an existing server, passing other paths on to next()', async () => {
    const { health } = harness();
    const handler = health.handler();
    const server: Server = createServer((req, res) =>
      handler(req, res, () => {
        res.statusCode = 418;
        res.end('app');
      }),
    );
    const listening = deferred();
    server.listen(0, '127.0.0.1', () => listening.resolve());
    await listening.promise;
    servers.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect((await request(`${base}/livez`)).status).toBe(200);
    const other = await fetch(`${base}/orders`);
    expect(other.status).toBe(418);
    expect(await other.text()).toBe('app');
  });
});

describe('listen()', () => {
  it('returns a server that close() stops, and health.close() closes the rest', async () => {
    const { health } = harness();
    const a: HealthServer = await health.listen({ port: 0, host: '127.0.0.1' });
    const b: HealthServer = await health.listen({ port: 0, host: '127.0.0.1' });
    expect(a.port).toBeGreaterThan(0);
    expect(a.url).toBe(`http://127.0.0.1:${a.port}`);
    await a.close();
    expect(a.server.listening).toBe(false);
    await health.close();
    expect(b.server.listening).toBe(false);
  });

  it('rejects a bad port, naming the setting', async () => {
    const { health } = harness();
    await expect(health.listen({ port: 70_000 })).rejects.toMatchObject({ code: 'INVALID_CONFIG', setting: 'listen port' });
  });
});
