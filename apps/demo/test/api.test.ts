import { test } from '@fast-check/vitest';
import { type Call, GenServer } from '@joerl/gen';
import { HOSTILE_TARGETS, INTERNAL_TEXT, rawRequest, requestArbitrary } from '@joerl/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, startDemo } from '../src/app.js';
import { API_SERVER_LIMITS, MAX_BODY_BYTES } from '../src/http-api.js';

let demo: Demo;
let port: number;
beforeAll(async () => {
  demo = await startDemo({ apiPort: 0, metricsPort: 0, healthPort: 0, ordersPerSecond: 0, env: {} });
  port = Number(new URL(demo.urls.api).port);
});
afterAll(() => demo?.stop());

/** A request to the API, as raw as a hostile client makes it. */
const send = (method: string, target: string, body = '') => rawRequest(port, { method, target, headers: [['Content-Type', 'application/json']], body });
const json = (res: { body: string }) => JSON.parse(res.body) as { error?: string; id?: string; state?: string };

describe('malformed request targets', () => {
  it.each(['//', '///', '*', 'http://x', 'http://127.0.0.1/orders', '%zz'])('%s is a 400, and the process lives on', async (target) => {
    expect((await send('GET', target)).status).toBe(400);
    expect((await send('GET', '/faults')).status).toBe(200);
  });

  it('GET // says what a target should be (it was an uncaught TypeError that ended the process)', async () => {
    const res = await send('GET', '//');
    expect(json(res).error).toBe("malformed request target: expected a path such as '/orders'");
  });

  it.each(HOSTILE_TARGETS.map((t) => [t.length > 60 ? `${t.slice(0, 30)}… (${t.length} characters)` : t, t]))(
    '%s gets an answer below 500 without internal error text',
    async (_label, target) => {
      const res = await send('GET', target);
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(500);
      expect(res.body).not.toMatch(INTERNAL_TEXT);
    },
  );
});

describe('request bodies', () => {
  it(`a body over ${MAX_BODY_BYTES} bytes is a 413`, async () => {
    const res = await send('POST', '/orders', `{"sku":"${'m'.repeat(MAX_BODY_BYTES)}"}`);
    expect(res.status).toBe(413);
    expect(json(res).error).toBe(`request body over ${MAX_BODY_BYTES} bytes`);
  });

  it.each([
    ['[]', 'an array'],
    ['null', 'null'],
    ['"mug"', 'a string'],
    ['2', 'a number'],
  ])('a JSON body %s is a 400 saying an object is wanted', async (body, what) => {
    for (const path of ['/orders', '/faults']) {
      const res = await send('POST', path, body);
      expect(res.status, path).toBe(400);
      expect(json(res).error, path).toMatch(new RegExp(`^the body must be a JSON object such as \\{.*\\}, not ${what}$`));
    }
  });

  it('a body that is not JSON is a 400 without the parser’s message', async () => {
    const res = await send('POST', '/orders', '{"sku":');
    expect(res.status).toBe(400);
    expect(json(res).error).toBe('the body is not valid JSON; send an object such as {"sku":"mug","qty":2}');
  });

  it('a fault setting out of range is a 400 naming it, and changes nothing', async () => {
    const before = { ...demo.faults };
    const res = await send('POST', '/faults', '{"slowMs":5,"crashRate":2}');
    expect(res.status).toBe(400);
    expect(json(res).error).toMatch(/faults\.crashRate/);
    expect(demo.faults).toEqual(before);
  });
});

describe('internal actors', () => {
  const internal = ['inventory', 'rate_limiter', 'payment', 'audit_log', 'shop_sup', 'payments_sup', 'orders_sup'];

  it.each(internal)('/orders/%s is a 404, for status and cancel alike', async (name) => {
    expect((await send('GET', `/orders/${name}`)).status).toBe(404);
    expect((await send('POST', `/orders/${name}/cancel`)).status).toBe(404);
  });

  it('leave the inventory’s stock numbers alone', async () => {
    for (const name of internal) await send('GET', `/orders/${name}`);
    const stock = await GenServer.named<Call<{ kind: 'stock' }, Record<string, number>>>(demo.app.system, 'inventory').call({ kind: 'stock' });
    for (const [sku, n] of Object.entries(stock)) expect(Number.isFinite(n), sku).toBe(true);
  });

  it('an order is still reachable by its id', async () => {
    const placed = await send('POST', '/orders', '{"sku":"mug","qty":1}');
    expect(placed.status).toBe(202);
    const { id } = json(placed);
    const status = await send('GET', `/orders/${id}`);
    expect(status.status).toBe(200);
    expect(json(status)).toMatchObject({ id });
  });
});

describe('the HTTP fuzz test', () => {
  test.prop([requestArbitrary(['/', '/orders', '/orders/o-1', '/orders/o-1/cancel', '/orders/inventory', '/orders/payment/cancel', '/faults'])], {
    numRuns: 120,
    endOnFailure: true,
  })('answers anything below 500, with no internal text', async (req) => {
    const res = await rawRequest(port, req);
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status, res.body.slice(0, 500)).toBeLessThan(500);
    expect(res.body).not.toMatch(INTERNAL_TEXT);
  });

  it('still serves the API after the fuzzing', async () => {
    expect((await send('GET', '/faults')).status).toBe(200);
  });
});

describe('the server', () => {
  it('refuses headers over 8 KiB with 431, as its documented limits say', async () => {
    expect(API_SERVER_LIMITS).toEqual({ headersTimeout: 5000, requestTimeout: 10_000, keepAliveTimeout: 5000, maxHeaderSize: 8192, connectionsCheckingInterval: 1000 });
    const res = await rawRequest(port, { method: 'GET', target: '/faults', headers: [['X-Big', 'y'.repeat(9000)]], body: '' });
    expect(res.status).toBe(431);
  });

  it('binds loopback, like the metrics and probe servers', () => {
    for (const url of [demo.urls.api, demo.urls.metrics, demo.urls.livez]) expect(new URL(url).hostname).toBe('127.0.0.1');
  });
});
