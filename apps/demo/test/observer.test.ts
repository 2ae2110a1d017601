/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The demo serves the observer: headless Chromium (Debian's, driven by playwright-core) opens the
 * printed URL and sees the demo's own tree and its orders' states, live under load.
 * Screenshots go to apps/demo/artifacts/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, startDemo } from '../src/app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');
if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);

let demo: Demo;
let browser: Browser;
beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  demo = await startDemo({ apiPort: 0, metricsPort: 0, healthPort: 0, observerPort: 0, ordersPerSecond: 20, env: {} });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('the demo with its observer', () => {
  it('serves the observer on loopback, its URL carrying the action token', () => {
    expect(demo.urls.observer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64}$/);
  });

  it("shows the demo's supervisors and its orders' states moving, with no console errors", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${m.text()} ${m.location().url}`);
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(demo.urls.observer);
    await page.waitForSelector('#live:text("live")');
    await page.click('nav button[data-view="tree"]');
    for (const id of ['shop_sup', 'inventory', 'rate_limiter', 'audit_log', 'payments_sup', 'payment', 'orders_sup']) await page.waitForSelector(`#tree [data-node="${id}"]`);
    await page.screenshot({ path: join(artifacts, 'observer-tree.png'), fullPage: true });
    await page.click('nav button[data-view="statem"]');
    const states = await page.$$eval('[data-machine="order"] .state', (els) => els.map((e) => e.getAttribute('data-state')));
    expect(states).toEqual(['new', 'reserved', 'paid', 'shipped', 'cancelled']);
    // orders flow under load: some order reaches shipped or cancelled, seen live
    await page.waitForFunction(() => [...document.querySelectorAll('[data-machine="order"] .state')].some((e) => (e.getAttribute('data-state') === 'shipped' || e.getAttribute('data-state') === 'cancelled') && Number(e.getAttribute('data-count')) > 0), undefined, { timeout: 10_000 });
    await page.screenshot({ path: join(artifacts, 'observer-orders.png'), fullPage: true });
    // the message flow, counted while the page is open: orders charge the payment server
    await page.click('nav button[data-view="flow"]');
    await page.waitForSelector('#flow tbody tr[data-to="payment"]', { timeout: 5000 });
    await page.screenshot({ path: join(artifacts, 'observer-flow.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
