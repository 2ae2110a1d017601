import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ActorSystem, DEFAULT_MAILBOX_CAPACITY } from '@joerl/core';
import { createTelemetry } from '@joerl/telemetry';
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActorsPage, CONTENT_SECURITY_POLICY, MAX_PAGE_SIZE, type Observer, type ObserverServer, observer, type StateMachineView, type TreeNode } from '../src/index.js';
import { request, type Shop, startShop } from './helpers.js';

let shop: Shop;
let obs: Observer;
let server: ObserverServer;
const logged: string[] = [];
const api = (path: string) => new URL(path, server.url).toString();
const getJson = async <T>(path: string): Promise<T> => (await request(api(path))).json() as T;

beforeAll(async () => {
  shop = await startShop({ orders: 12, auditBacklog: 40 });
  obs = observer({ system: shop.system, telemetry: shop.telemetry, actions: true, log: (line) => logged.push(line) });
  server = await obs.listen({ port: 0 });
});

afterAll(async () => {
  await obs?.close();
  await shop?.stop();
});

const find = (nodes: readonly TreeNode[], id: string): TreeNode | undefined => {
  for (const n of nodes) {
    if (n.id === id) return n;
    const c = find(n.children, id);
    if (c !== undefined) return c;
  }
  return undefined;
};

describe('the supervision tree', () => {
  it("shows the root supervisor with its children in start order, nested supervisors' children under them", async () => {
    const roots = await getJson<TreeNode[]>('/api/tree');
    expect(roots.map((r) => r.type)).toEqual(['shop_sup']);
    const root = roots[0] as TreeNode;
    expect(root.strategy).toBe('one_for_one');
    expect(root.children.map((c) => c.id)).toEqual(['inventory', 'rate_limiter', 'audit_log', 'payments_sup', 'orders_sup']);
    expect(find(roots, 'payments_sup')?.children.map((c) => c.id)).toEqual(['payment']);
    const orders = find(roots, 'orders_sup') as TreeNode;
    expect(orders.strategy).toBe('dynamic');
    expect(orders.children).toHaveLength(12);
    expect(orders.children.every((c) => c.type === 'order' && c.status === 'running')).toBe(true);
  });

  it('shows each mailbox with its depth and capacity', async () => {
    const roots = await getJson<TreeNode[]>('/api/tree');
    expect(find(roots, 'audit_log')?.mailbox).toEqual({ depth: 39, capacity: 1000 });
    expect(find(roots, 'inventory')?.mailbox).toEqual({ depth: 0, capacity: DEFAULT_MAILBOX_CAPACITY });
  });
});

describe('the actors table', () => {
  it('sorts by mailbox depth on the server, deepest first', async () => {
    const page = await getJson<ActorsPage>('/api/actors?sort=mailbox&order=desc&limit=3');
    expect(page.rows[0]?.type).toBe('audit_log');
    expect(page.rows[0]?.mailbox).toBe(39);
    const depths = (await getJson<ActorsPage>('/api/actors?sort=mailbox&order=asc&limit=500')).rows.map((r) => r.mailbox);
    expect(depths).toEqual([...depths].sort((a, b) => a - b));
  });

  it('pages: offsets partition the actors with no overlap and the total is every match', async () => {
    const all = await getJson<ActorsPage>('/api/actors?limit=500');
    expect(all.total).toBe(shop.system.stats().actors);
    const seen: number[] = [];
    for (let offset = 0; offset < all.total; offset += 5) seen.push(...(await getJson<ActorsPage>(`/api/actors?limit=5&offset=${offset}`)).rows.map((r) => r.pidId));
    expect(seen).toEqual(all.rows.map((r) => r.pidId));
  });

  it('filters by type or name, case-insensitively', async () => {
    const page = await getJson<ActorsPage>('/api/actors?filter=ORDER&limit=500');
    expect(page.total).toBe(13); // 12 orders and orders_sup
    expect(page.rows.every((r) => r.type.includes('order'))).toBe(true);
  });

  test.prop([fc.dictionary(fc.constantFrom('sort', 'order', 'offset', 'limit', 'filter', 'x'), fc.string({ maxLength: 30 }))], { numRuns: 60 })(
    'any query string gets a page of at most MAX_PAGE_SIZE rows, never an error',
    async (params) => {
      const res = await request(api(`/api/actors?${new URLSearchParams(params)}`));
      expect(res.status).toBe(200);
      const page = res.json() as ActorsPage;
      expect(page.rows.length).toBeLessThanOrEqual(MAX_PAGE_SIZE);
      expect(page.total).toBeGreaterThanOrEqual(page.rows.length);
    },
  );
});

describe('one actor', () => {
  it("shows a GenStatem's current state and its links, but nothing of its data", async () => {
    const pid = shop.orders[0];
    const d = (await getJson<Record<string, unknown>>(`/api/actors/${pid?.id}`)) as { statem: unknown; links: { pid: string }[]; type: string };
    expect(d.type).toBe('order');
    expect(d.statem).toEqual({ state: 'new', states: ['new', 'reserved', 'paid', 'shipped', 'cancelled'] });
    expect(d.links.map((l) => l.pid)).toHaveLength(1);
    expect(Object.keys(d)).not.toContain('state');
  });

  it("shows a server's state only through its formatStatus callback", async () => {
    const inventory = shop.system.whereis('inventory');
    const payment = shop.system.whereis('payment');
    const withCallback = await getJson<{ formattedStatus: string | null }>(`/api/actors/${inventory?.id}`);
    expect(withCallback.formattedStatus).toMatch(/restocks/);
    const without = await getJson<{ formattedStatus: string | null }>(`/api/actors/${payment?.id}`);
    expect(without.formattedStatus).toBeNull();
  });

  it('answers 404 for a pid that is not alive', async () => {
    expect((await request(api('/api/actors/999999'))).status).toBe(404);
    expect((await request(api('/api/actors/abc'))).status).toBe(404);
  });
});

describe('the state machines', () => {
  it('counts the instances in each declared state, live', async () => {
    const [a, b, c] = shop.orders;
    shop.advance(a as never, 'reserved');
    shop.advance(b as never, 'reserved');
    shop.advance(c as never, 'paid');
    await shop.system.idle();
    const machines = await getJson<StateMachineView[]>('/api/state-machines');
    const orderView = machines.find((m) => m.type === 'order') as StateMachineView;
    expect(orderView.states).toEqual([
      { name: 'new', count: 9 },
      { name: 'reserved', count: 2 },
      { name: 'paid', count: 1 },
      { name: 'shipped', count: 0 },
      { name: 'cancelled', count: 0 },
    ]);
    expect(orderView.transitions).toContainEqual({ from: 'new', to: 'reserved', count: 2 });
  });
});

describe('security', () => {
  it('sends a strict Content-Security-Policy on the page and the API, and the page has no inline script', async () => {
    const page = await request(server.url);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.text).not.toMatch(/https?:\/\//);
    expect((await request(api('/api/overview'))).headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('refuses a Host that is not loopback (DNS rebinding)', async () => {
    const res = await request(api('/api/overview'), { headers: { host: 'evil.example:80' } });
    expect(res.status).toBe(421);
  });

  it('binds loopback by default', () => {
    expect(server.host).toBe('127.0.0.1');
  });

  it('refuses any action when actions are off (the default), and logs the refusal', async () => {
    const readOnly = observer({ system: shop.system, telemetry: shop.telemetry, log: (l) => logged.push(l) });
    const s = await readOnly.listen({ port: 0 });
    try {
      const pid = shop.orders[5]?.id;
      const res = await request(new URL('/api/actions', s.url).toString(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-joerl-token': readOnly.token },
        body: JSON.stringify({ kind: 'kill', pid }),
      });
      expect(res.status).toBe(403);
      expect(res.json()).toEqual({ error: 'disabled' });
      expect(shop.system.isAlive(shop.orders[5] as never)).toBe(true);
      expect(logged.at(-1)).toContain('refused (disabled)');
    } finally {
      await readOnly.close();
    }
  });

  const post = (body: unknown, headers: Record<string, string>) =>
    request(api('/api/actions'), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('refuses an action without the token, or with a wrong one', async () => {
    const pid = shop.orders[6]?.id;
    expect((await post({ kind: 'kill', pid }, {})).status).toBe(403);
    expect((await post({ kind: 'kill', pid }, { 'x-joerl-token': 'x'.repeat(64) })).json()).toEqual({ error: 'bad_token' });
    expect(shop.system.isAlive(shop.orders[6] as never)).toBe(true);
  });

  it('refuses a cross-site action even with the token (CSRF)', async () => {
    const pid = shop.orders[6]?.id;
    const res = await post({ kind: 'kill', pid }, { 'x-joerl-token': obs.token, origin: 'http://evil.example' });
    expect(res.json()).toEqual({ error: 'cross_origin' });
    const site = await post({ kind: 'kill', pid }, { 'x-joerl-token': obs.token, 'sec-fetch-site': 'cross-site' });
    expect(site.json()).toEqual({ error: 'cross_origin' });
    expect(shop.system.isAlive(shop.orders[6] as never)).toBe(true);
  });

  it('kills a supervised child with the token; its supervisor restarts it, the tree counts the restart, the log records the action', async () => {
    const before = find(await getJson<TreeNode[]>('/api/tree'), 'payment') as TreeNode;
    const res = await post({ kind: 'kill', pid: before.pidId }, { 'x-joerl-token': obs.token, origin: server.url.slice(0, -1) });
    expect(res.status).toBe(200);
    await shop.system.idle();
    const after = find(await getJson<TreeNode[]>('/api/tree'), 'payment') as TreeNode;
    expect(after.pidId).not.toBe(before.pidId);
    expect(after.restarts).toBe(before.restarts + 1);
    expect(logged.some((l) => l.includes('action kill') && l.includes('payment'))).toBe(true);
  });

  it('restarts a static child by id', async () => {
    const sup = (await getJson<TreeNode[]>('/api/tree'))[0] as TreeNode;
    const before = find([sup], 'inventory') as TreeNode;
    const res = await post({ kind: 'restart_child', supervisor: sup.pidId, id: 'inventory' }, { 'x-joerl-token': obs.token });
    expect(res.status).toBe(200);
    expect((find(await getJson<TreeNode[]>('/api/tree'), 'inventory') as TreeNode).pidId).not.toBe(before.pidId);
  });

  test.prop([fc.anything()], { numRuns: 50 })('any JSON body that is not an action is a 400, and kills nothing', async (body) => {
    const actors = shop.system.stats().actors;
    let text: string;
    try {
      text = JSON.stringify(body) ?? 'null';
    } catch {
      text = '{';
    }
    const res = await request(api('/api/actions'), { method: 'POST', headers: { 'content-type': 'application/json', 'x-joerl-token': obs.token }, body: text });
    if (res.status !== 200) expect([400, 404, 409]).toContain(res.status);
    expect(shop.system.stats().actors).toBe(actors);
  });
});

describe('live updates', () => {
  it('stream the overview, the tree and the state machines as Server-Sent Events', async () => {
    const controller = new AbortController();
    const res = await fetch(api('/api/events'), { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!/\ndata: .*\n\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const update = JSON.parse((/\ndata: (.*)\n\n/.exec(text) as RegExpExecArray)[1] as string) as { overview: { actors: number }; tree: TreeNode[]; stateMachines: unknown[] };
    expect(update.overview.actors).toBe(shop.system.stats().actors);
    expect(update.tree[0]?.type).toBe('shop_sup');
    expect(update.stateMachines.length).toBe(1);
  });

  it('refuses clients past maxClients with 503', async () => {
    const one = observer({ system: shop.system, telemetry: shop.telemetry, maxClients: 1 });
    const s = await one.listen({ port: 0 });
    const controller = new AbortController();
    try {
      const first = await fetch(new URL('/api/events', s.url), { signal: controller.signal });
      expect(first.status).toBe(200);
      expect((await request(new URL('/api/events', s.url).toString())).status).toBe(503);
    } finally {
      controller.abort();
      await one.close();
    }
  });
});

describe('the bundled UI', () => {
  it('src/ui-assets.ts is generated from ui/ and up to date', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..');
    expect(() => execFileSync(process.execPath, [join(root, 'scripts/bundle-ui.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});

describe('with 100,000 actors', () => {
  it('pages and sorts on the server: the deepest mailbox first, 50 rows, the total counted', async () => {
    const telemetry = createTelemetry();
    const system = new ActorSystem({ instrumentation: telemetry, logger: null });
    for (let i = 0; i < 100_000; i++) system.spawn<number>(() => {}, { type: i % 2 === 0 ? 'even' : 'odd' });
    const stuck = system.spawn<number>({ receive: () => new Promise<void>(() => {}) }, { type: 'stuck' });
    for (let i = 0; i < 8; i++) stuck.send(i);
    await system.idle();
    const big = observer({ system, telemetry });
    const s = await big.listen({ port: 0 });
    try {
      const page = (await request(new URL('/api/actors?sort=mailbox&order=desc&limit=50', s.url).toString())).json() as ActorsPage;
      expect(page.total).toBe(100_001);
      expect(page.rows).toHaveLength(50);
      expect(page.rows[0]).toMatchObject({ type: 'stuck', mailbox: 7 });
      const odd = (await request(new URL('/api/actors?filter=odd&offset=49990&limit=50', s.url).toString())).json() as ActorsPage;
      expect(odd.total).toBe(50_000);
      expect(odd.rows).toHaveLength(10);
    } finally {
      await big.close();
      await system.shutdown({ timeoutMs: 1000 });
    }
  });
});
