/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The observer in a real browser: Debian's Chromium, headless, driven by playwright-core, against
 * a system shaped like the demo's. Screenshots go to packages/observer/artifacts/.
 * Every wait is on the DOM (waitForSelector / waitForFunction), never a sleep.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pid } from '@joerl/core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Observer, type ObserverServer, observer } from '../src/index.js';
import { type Shop, startShop } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');

if (!existsSync(CHROMIUM)) {
  // CI installs it (.ci/run, scripts/test.mjs): failing here says what is missing instead of skipping.
  throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
}

let shop: Shop;
let obs: Observer;
let server: ObserverServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  shop = await startShop({ orders: 20, auditBacklog: 60 });
  obs = observer({ system: shop.system, telemetry: shop.telemetry, actions: true, log: () => {} });
  server = await obs.listen({ port: 0 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await obs?.close();
  await shop?.stop();
});

/** A fresh tab (its own sessionStorage), recording console errors and page errors. */
async function open(url: string, options: { bypassCSP?: boolean } = {}): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} ${m.location().url}`);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('#live:text("live")');
  return { page, errors };
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

describe('the observer in a browser', () => {
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ({ page, errors } = await open(server.urlWithToken));
  });

  it('loads with no console errors, and the overview counts the actors', async () => {
    await page.waitForSelector('[data-card="Actors"] .value');
    const actors = await page.textContent('[data-card="Actors"] .value');
    expect(Number(actors)).toBe(shop.system.stats().actors);
    await page.waitForSelector('#charts svg polyline');
    await shot(page, 'overview');
    expect(errors).toEqual([]);
  });

  it('lists a crash on the overview, with its reason', async () => {
    shop.crash('rate_limiter');
    await page.waitForSelector('#crashes tbody tr[data-type="rate_limiter"]', { timeout: 3000 });
    expect(await page.textContent('#crashes tbody tr[data-type="rate_limiter"] td.reason')).toContain('rate_limiter gateway connection reset');
  });

  it("shows the demo's supervisors in the tree", async () => {
    await page.click('nav button[data-view="tree"]');
    await page.waitForSelector('#tree [data-node="shop_sup"]');
    for (const id of ['audit_log', 'payments_sup', 'orders_sup', 'payment', 'inventory']) await page.waitForSelector(`#tree [data-node="${id}"]`);
    const strategies = await page.$$eval('#tree .strategy', (els) => els.map((e) => e.textContent));
    expect(strategies).toEqual(['one_for_one', 'one_for_one', 'dynamic']);
    await shot(page, 'tree');
  });

  it('sorts the actor table by mailbox depth', async () => {
    await page.click('nav button[data-view="actors"]');
    await page.waitForSelector('#actors tbody tr');
    await page.click('th button[data-sort="mailbox"]');
    await page.waitForSelector('th[aria-sort="descending"] button[data-sort="mailbox"]');
    await page.waitForFunction(() => document.querySelector('#actors tbody tr td:nth-child(2)')?.textContent === 'audit_log');
    const depths = await page.$$eval('#actors tbody td.mailbox', (tds) => tds.map((td) => Number(td.getAttribute('data-depth'))));
    expect(depths[0]).toBe(59);
    expect(depths).toEqual([...depths].sort((a, b) => b - a));
    await shot(page, 'actors-by-mailbox');
  });

  it('kills a child from the UI and shows its restart within 2 s', async () => {
    await page.click('nav button[data-view="tree"]');
    const before = shop.system.whereis('payment') as Pid;
    await page.click('#tree [data-node="payment"] button[data-action="kill"]');
    await page.waitForSelector('#notice[data-outcome="ok"]', { timeout: 2000 });
    await page.waitForSelector('#tree [data-node="payment"] [data-restarts="1"]', { timeout: 2000 });
    const shownPid = await page.textContent('#tree [data-node="payment"] button.pid');
    const after = shop.system.whereis('payment') as Pid;
    expect(after.id).not.toBe(before.id);
    expect(shownPid).toBe(after.toString());
    await shot(page, 'restart');
    expect(errors).toEqual([]);
  });

  it('refuses the same action from a tab without the token', async () => {
    const other = await open(server.url);
    await other.page.click('nav button[data-view="tree"]');
    const before = shop.system.whereis('payment') as Pid;
    await other.page.click('#tree [data-node="payment"] button[data-action="kill"]');
    await other.page.waitForSelector('#notice[data-outcome="refused"]', { timeout: 2000 });
    expect(await other.page.textContent('#notice')).toContain('bad_token');
    expect(shop.system.whereis('payment')?.id).toBe(before.id);
    await shot(other.page, 'refused');
  });

  it('shows the order states with live counts', async () => {
    await page.click('nav button[data-view="statem"]');
    await page.waitForSelector('[data-machine="order"] [data-state="new"][data-count="20"]');
    const states = await page.$$eval('[data-machine="order"] .state', (els) => els.map((e) => e.getAttribute('data-state')));
    expect(states).toEqual(['new', 'reserved', 'paid', 'shipped', 'cancelled']);
    const [a, b, c] = shop.orders;
    shop.advance(a as Pid, 'reserved');
    shop.advance(b as Pid, 'reserved');
    shop.advance(c as Pid, 'paid');
    await page.waitForSelector('[data-machine="order"] [data-state="reserved"][data-count="2"]', { timeout: 3000 });
    await page.waitForSelector('[data-machine="order"] [data-state="new"][data-count="17"]');
    await page.waitForSelector('[data-machine="order"] [data-state="paid"][data-count="1"]');
    await shot(page, 'state-machines');
  });

  it("opens one actor: a GenStatem's state and its links", async () => {
    await page.click('nav button[data-view="actors"]');
    await page.fill('#filter', 'order');
    await page.waitForFunction(() => [...document.querySelectorAll('#actors tbody td:nth-child(2)')].every((td) => td.textContent === 'order' || td.textContent === 'orders_sup'));
    const first = shop.orders[0] as Pid;
    await page.click(`#actors tbody tr[data-pid="${first.id}"] button`);
    await page.waitForSelector('#detail:not([hidden]) dd');
    const text = await page.textContent('#detail');
    expect(text).toContain('reserved (of new, reserved, paid, shipped, cancelled)');
    expect(text).toContain('Links');
    await shot(page, 'actor');
    expect(errors).toEqual([]);
  });

  it("traces the next messages of one actor from its page, and nothing of the others", async () => {
    const [first, second] = shop.orders as [Pid, Pid];
    await page.waitForSelector(`#detail h2:text("${first.toString()} order")`);
    await page.click('#trace button[data-action="trace_start"]');
    await page.waitForSelector('#trace[data-running="true"]', { timeout: 3000 });
    shop.advance(first, 'paid');
    shop.advance(second, 'paid'); // another actor: not traced
    shop.advance(first, 'shipped');
    await page.waitForSelector('#trace tbody tr:nth-child(2)', { timeout: 3000 });
    const rows = await page.$$eval('#trace tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-kind'), tr.querySelector('td.text')?.textContent]));
    expect(rows).toEqual([
      ['message', 'cast advance'],
      ['message', 'cast advance'],
    ]);
    await shot(page, 'trace');
    await page.click('#trace button[data-action="trace_stop"]');
    await page.waitForSelector('#trace[data-running="false"]', { timeout: 3000 });
    expect(await page.textContent('#trace')).toContain('Trace ended (stopped): 2 events');
    expect(errors).toEqual([]);
  });

  it('sorts the actor table by message rate', async () => {
    await page.click('#detail button:text("Close")');
    await page.fill('#filter', '');
    await page.click('th button[data-sort="rate"]');
    await page.waitForSelector('th[aria-sort="descending"] button[data-sort="rate"]');
    const rates = await page.$$eval('#actors tbody td.rate', (tds) => tds.map((td) => Number(td.getAttribute('data-rate'))));
    expect(rates.length).toBeGreaterThan(0);
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
  });

  it('draws the message flow as a graph, with rates on its edges', async () => {
    await page.click('nav button[data-view="flow"]');
    for (const pid of shop.orders.slice(5, 10)) shop.advance(pid, 'cancelled');
    await page.waitForSelector('#flow-graph svg g.edge[data-from="(outside)"][data-to="order"]', { timeout: 3000 });
    await page.waitForSelector('#flow-graph svg g.type[data-type="order"]');
    expect(await page.textContent('#flow-graph g.edge[data-to="order"] text')).toMatch(/^\d+\/s$/);
    await shot(page, 'flow');
    expect(errors).toEqual([]);
  });

  it('has no serious or critical accessibility violations (axe-core) in any view', async () => {
    // axe is injected as a script: only a tab that bypasses the page's CSP may run it
    const axe = await open(server.urlWithToken, { bypassCSP: true });
    await axe.page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
    const found: string[] = [];
    for (const view of ['overview', 'tree', 'actors', 'statem', 'flow']) {
      await axe.page.click(`nav button[data-view="${view}"]`);
      await axe.page.waitForSelector(`#view-${view}:not([hidden])`);
      if (view === 'actors') await axe.page.waitForSelector('#actors tbody tr');
      if (view === 'tree') await axe.page.waitForSelector('#tree [data-node="payment"]');
      const violations = await axe.page.evaluate(async () => {
        const w = window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> } };
        return (await w.axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
      });
      for (const v of violations) if (v.impact === 'serious' || v.impact === 'critical') found.push(`${view}: ${v.id} (${v.impact}, ${v.nodes} nodes)`);
    }
    // one actor's page with a trace running
    await axe.page.click('nav button[data-view="actors"]');
    const pid = shop.orders[3] as Pid;
    await axe.page.click(`#actors tbody tr[data-pid="${pid.id}"] button`);
    await axe.page.click('#trace button[data-action="trace_start"]');
    await axe.page.waitForSelector('#trace[data-running="true"]');
    shop.advance(pid, 'reserved');
    await axe.page.waitForSelector('#trace tbody tr');
    const detail = await axe.page.evaluate(async () => {
      const w = window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> } };
      return (await w.axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    for (const v of detail) if (v.impact === 'serious' || v.impact === 'critical') found.push(`actor with trace: ${v.id} (${v.impact}, ${v.nodes} nodes)`);
    expect(found).toEqual([]);
  });
});
