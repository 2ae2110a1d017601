import { fc, test } from '@fast-check/vitest';
import { InvalidConfigError } from '@joerl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseViewRequest } from '../src/cluster-view.js';
import { type Observer, type ObserverServer, observer } from '../src/index.js';
import { HOSTILE_TARGETS, hostileValue, INTERNAL_TEXT, rawRequest, requestArbitrary, type Shop, startShop } from './helpers.js';

let shop: Shop;
let obs: Observer;
let server: ObserverServer;
beforeAll(async () => {
  shop = await startShop({ orders: 3, auditBacklog: 2 });
  obs = observer({ system: shop.system, telemetry: shop.telemetry, actions: true, log: () => {} });
  server = await obs.listen({ port: 0 });
});
afterAll(async () => {
  await obs?.close();
  await shop?.stop();
});

const ROUTES = ['/', '/app.js', '/api/overview', '/api/tree', '/api/actors', '/api/actors/1', '/api/state-machines', '/api/crashes', '/api/actions', '/api/cluster', '/api/traces/1', '/api/actors?node=b'];

describe('hostile options', () => {
  const keys = ['health', 'actions', 'token', 'updatesPerSecond', 'maxClients', 'allowedHosts', 'log', 'redact', 'cluster'] as const;
  test.prop([fc.constantFrom(...keys), hostileValue], { numRuns: 150 })('a hostile option is refused with InvalidConfigError, or accepted: nothing else is thrown', (key, hostile) => {
    let created: Observer | undefined;
    try {
      created = observer({ system: shop.system, telemetry: shop.telemetry, [key]: hostile.make() });
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidConfigError);
    }
    void created?.close();
  });

  it('refuses a missing system or telemetry, saying which', () => {
    expect(() => observer({ telemetry: shop.telemetry } as never)).toThrow(/invalid system/);
    expect(() => observer({ system: shop.system } as never)).toThrow(/invalid telemetry/);
    expect(() => observer(null as never)).toThrow(InvalidConfigError);
  });
});

describe('hostile view requests from another node', () => {
  test.prop([hostileValue], { numRuns: 200 })('are refused (null) or read as one of the views, never thrown on', (hostile) => {
    const view = parseViewRequest(hostile.make());
    expect(view === null || ['overview', 'tree', 'state-machines', 'crashes', 'actors', 'actor', 'trace'].includes(view.kind)).toBe(true);
  });

  it('reads the views a page asks for, and nothing else', () => {
    expect(parseViewRequest({ kind: 'actors', query: '?filter=x' })).toEqual({ kind: 'actors', query: '?filter=x' });
    expect(parseViewRequest({ kind: 'actor', pid: 3 })).toEqual({ kind: 'actor', pid: 3 });
    for (const bad of [{ kind: 'actor', pid: -1 }, { kind: 'actor', pid: 1.5 }, { kind: 'actors', query: 'x'.repeat(3000) }, { kind: 'kill', pid: 1 }, { kind: '__proto__' }]) expect(parseViewRequest(bad)).toBeNull();
  });
});

describe('hostile requests', () => {
  it.each(HOSTILE_TARGETS.map((t) => [t.length > 60 ? `${t.slice(0, 30)}… (${t.length} characters)` : t, t]))(
    '%s gets an answer below 500 without internal error text',
    async (_label, target) => {
      const res = await rawRequest(server.port, { method: 'GET', target, headers: [], body: '' });
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(500);
      expect(res.body).not.toMatch(INTERNAL_TEXT);
    },
  );

  test.prop([requestArbitrary(ROUTES, 8000)], { numRuns: 120 })('answers any request below 500 with no internal text, and kills nothing', async (req) => {
    const actors = shop.system.stats().actors;
    const res = await rawRequest(server.port, req);
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status, res.body.slice(0, 500)).toBeLessThan(500);
    expect(res.body).not.toMatch(INTERNAL_TEXT);
    expect(shop.system.stats().actors).toBe(actors); // no token in these requests: no action runs
  });

  it('still answers after the fuzzing', async () => {
    expect((await rawRequest(server.port, { method: 'GET', target: '/api/overview', headers: [], body: '' })).status).toBe(200);
  });
});
