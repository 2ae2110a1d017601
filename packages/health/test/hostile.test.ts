import { formatValue } from '@joerl/core';
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_HEALTH_HOST, HEALTH_SERVER_LIMITS, type HealthServer, MAX_TARGET_LENGTH } from '../src/index.js';
import {
  closeAll,
  deferred,
  harness,
  HOSTILE_KINDS,
  HOSTILE_TARGETS,
  type Hostile,
  hostileValue,
  INTERNAL_TEXT,
  makeHostile,
  rawRequest,
  requestArbitrary,
  request,
} from './helpers.js';

/** One harness and server for the properties below: each run adds and removes its own check. */
let h: ReturnType<typeof harness>;
let server: HealthServer;
/** A healthy system's server, for the requests: a 5xx from it is a bug, never a verdict. */
let plain: HealthServer;
beforeAll(async () => {
  h = harness({ probeCacheMs: 0 });
  server = await h.health.listen({ port: 0 });
  plain = await harness().health.listen({ port: 0 });
});
afterAll(async () => {
  await server.close();
  await plain.close();
  await closeAll();
});

/** Whether a value a check returned is one of the verdicts that do not fail it. */
function passes(value: unknown): boolean {
  if (value === undefined || value === true) return true;
  try {
    return typeof value === 'object' && value !== null && ['pass', 'warn'].includes((value as { kind?: unknown }).kind as string);
  } catch {
    return false;
  }
}

/** A test name for a target: long ones by their length. */
function labelled(target: string): [string, string] {
  return [target.length > 60 ? `${target.slice(0, 30)}… (${target.length} characters)` : target, target];
}

let n = 0;
/** Adds a check of a fresh name that does `run`, asks `/readyz/<name>`, removes the check. */
async function probeCheck(run: () => unknown): Promise<Awaited<ReturnType<typeof request>>> {
  const name = `c${n++}`;
  h.health.addCheck(name, run as () => boolean);
  try {
    return await request(`${server.url}/readyz/${name}`);
  } finally {
    h.health.removeCheck(name);
  }
}

describe('a check that returns, throws or rejects with a hostile value', () => {
  it.each(HOSTILE_KINDS)('%s thrown is a failing check: 503 with the value as formatValue shows it', async (kind) => {
    const res = await probeCheck(() => {
      throw makeHostile(kind);
    });
    expect(res.status).toBe(503);
    expect(res.body?.issues[0]?.message).toBe(`threw: ${formatValue(makeHostile(kind), 500)}`);
  });

  test.prop([hostileValue, fc.constantFrom('throw', 'reject', 'return', 'resolve')], { numRuns: 150, endOnFailure: true })(
    'is a 503 or a 200 with a readable JSON body, never a 500 or an unhandled rejection',
    async (hostile: Hostile, how) => {
      const res = await probeCheck(() => {
        const value = hostile.make();
        switch (how) {
          case 'throw':
            throw value;
          case 'reject':
            // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the hostile value is the point
            return Promise.reject(value);
          case 'return':
            return value;
          case 'resolve':
            return Promise.resolve().then(() => value);
        }
      });
      const failing = how === 'throw' || how === 'reject' || hostile.kind !== 'anything' || !passes(hostile.make());
      expect(res.status).toBe(failing ? 503 : 200);
      expect(res.body?.status).toBeDefined();
      for (const issue of res.body?.issues ?? []) expect(issue.message.length).toBeLessThanOrEqual(600);
    },
  );

  it('a verdict whose message and observed value are hostile is reported with both made safe', async () => {
    const res = await probeCheck(() => ({ kind: 'fail', message: 10n, observed: makeHostile('cyclic') }));
    expect(res.status).toBe(503);
    expect(res.body?.issues[0]).toMatchObject({ message: '10n', observed: formatValue(makeHostile('cyclic'), 500) });
  });
});

describe('malformed request targets', () => {
  it.each(HOSTILE_TARGETS.map(labelled))('%s gets an answer below 500 without internal error text', async (_label, target) => {
    const res = await rawRequest(plain.port, { method: 'GET', target, headers: [], body: '' });
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(500);
    expect(res.body).not.toMatch(INTERNAL_TEXT);
  });

  it.each(['//', '///', '*', 'http://x', 'http://127.0.0.1/livez', '%zz', '/%zz', `/${'a'.repeat(5000)}`].map(labelled))('%s is a 4xx', async (_label, target) => {
    const res = await rawRequest(plain.port, { method: 'GET', target, headers: [], body: '' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('GET // is a 400 naming the endpoints, where it was a 500 with the TypeError', async () => {
    const res = await rawRequest(plain.port, { method: 'GET', target: '//', headers: [], body: '' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: "malformed request target: expected a path such as '/readyz'", endpoints: ['/livez', '/readyz', '/healthz'] });
  });

  it(`a target longer than ${MAX_TARGET_LENGTH} characters is a 414`, async () => {
    const res = await rawRequest(plain.port, { method: 'GET', target: `/readyz?${'x'.repeat(MAX_TARGET_LENGTH)}`, headers: [], body: '' });
    expect(res.status).toBe(414);
  });

  it('headers over 8 KiB are refused with 431', async () => {
    const res = await rawRequest(plain.port, { method: 'GET', target: '/livez', headers: [['X-Big', 'y'.repeat(9000)]], body: '' });
    expect(res.status).toBe(431);
  });
});

describe('the HTTP fuzz test', () => {
  test.prop([requestArbitrary(['/livez', '/readyz', '/healthz', '/readyz/heap', '/livez/system'])], { numRuns: 120 })(
    'answers anything with a status below 500 and no internal text, and keeps answering',
    async (req) => {
      const res = await rawRequest(plain.port, req);
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status, res.body.slice(0, 2000)).toBeLessThan(500);
      expect(res.body).not.toMatch(INTERNAL_TEXT);
    },
  );

  it('still serves probes after the fuzzing', async () => {
    expect((await request(`${plain.url}/livez`)).status).toBe(200);
  });
});

describe('the probe server', () => {
  it(`binds ${DEFAULT_HEALTH_HOST} unless a host is given`, () => {
    expect(plain.host).toBe('127.0.0.1');
  });

  it('sets the documented timeouts and header limit', () => {
    expect(plain.server.headersTimeout).toBe(HEALTH_SERVER_LIMITS.headersTimeout);
    expect(plain.server.requestTimeout).toBe(HEALTH_SERVER_LIMITS.requestTimeout);
    expect(plain.server.keepAliveTimeout).toBe(HEALTH_SERVER_LIMITS.keepAliveTimeout);
    expect(HEALTH_SERVER_LIMITS).toEqual({ headersTimeout: 5000, requestTimeout: 10_000, keepAliveTimeout: 5000, maxHeaderSize: 8192, connectionsCheckingInterval: 1000 });
  });
});

describe('probes stay cheap under a burst', () => {
  it('concurrent /readyz requests share one evaluation', async () => {
    const { health } = harness();
    const s = await health.listen({ port: 0 });
    const gate = deferred();
    const check = vi.fn(() => gate.promise.then(() => true));
    health.addCheck('database', check);
    const arrived = deferred();
    const probe = health.probe.bind(health);
    let calls = 0;
    vi.spyOn(health, 'probe').mockImplementation((...args) => {
      if (++calls === 20) arrived.resolve();
      return probe(...args);
    });
    const responses = Array.from({ length: 20 }, () => request(`${s.url}/readyz`));
    await arrived.promise; // every request is waiting on the evaluation
    gate.resolve();
    const statuses = (await Promise.all(responses)).map((r) => r.status);
    expect(statuses).toEqual(Array(20).fill(200));
    expect(check).toHaveBeenCalledTimes(1);
    await s.close();
  });

  it('a report is reused for probeCacheMs by the health clock, then evaluated afresh', async () => {
    const { health, clock } = harness({ probeCacheMs: 1000 });
    const s = await health.listen({ port: 0 });
    let up = true;
    const check = vi.fn(() => up);
    health.addCheck('database', check);
    expect((await request(`${s.url}/readyz`)).status).toBe(200);
    up = false;
    expect((await request(`${s.url}/readyz`)).status).toBe(200); // reused
    expect(check).toHaveBeenCalledTimes(1);
    clock.advance(1001);
    expect((await request(`${s.url}/readyz`)).status).toBe(503);
    expect(check).toHaveBeenCalledTimes(2);
    await s.close();
  });

  it('a change of state made through the health object is seen at once', async () => {
    const { health } = harness({ probeCacheMs: 60_000 });
    const s = await health.listen({ port: 0 });
    expect((await request(`${s.url}/readyz`)).status).toBe(200);
    health.beginShutdown();
    expect((await request(`${s.url}/readyz`)).status).toBe(503);
    await s.close();
  });

  it('liveness is evaluated on every request', async () => {
    const { health, system, clock } = harness({ probeCacheMs: 60_000 });
    const s = await health.listen({ port: 0 });
    expect((await request(`${s.url}/livez`)).status).toBe(200);
    const stopping = system.shutdown({ timeoutMs: 0 });
    clock.advance(0);
    await stopping;
    expect((await request(`${s.url}/livez`)).status).toBe(503);
    await s.close();
  });

  it('rejects a bad probeCacheMs, naming the setting', () => {
    expect(() => harness({ probeCacheMs: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', setting: 'probeCacheMs' }));
  });
});
