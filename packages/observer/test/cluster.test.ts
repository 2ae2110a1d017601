/// <reference lib="dom" />
/**
 * The cluster view against a real nats-server and two nodes (in this process), each with its
 * own observer: the node list with connection status, and the views of the other node.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Cluster, joinCluster } from '@joerl/cluster';
import { ActorSystem, type Pid } from '@joerl/core';
import { createTelemetry } from '@joerl/telemetry';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsServer } from '../../cluster/test/support/nats-server.js'; // by path: one way to start nats-server for every package
import { type ActorDetail, type ActorsPage, type ClusterView, type Observer, type ObserverServer, observer } from '../src/index.js';
import { request } from './helpers.js';

interface Node {
  readonly cluster: Cluster;
  readonly system: ActorSystem;
  readonly obs: Observer;
  readonly server: ObserverServer;
  readonly workers: Pid[];
}

let nats: NatsServer;
let a: Node;
let b: Node;
const name = `observer${process.pid}`;

async function startNode(node: string, workers: number): Promise<Node> {
  const telemetry = createTelemetry({ eventLoop: false, logger: null });
  const system = new ActorSystem({ instrumentation: telemetry, logger: null });
  const cluster = await joinCluster(system, { servers: nats.url, node, cluster: name, heartbeatMs: 100, heartbeatTimeoutMs: 600, logger: null });
  const obs = observer({ system, telemetry, cluster, log: () => {} });
  const server = await obs.listen({ port: 0 });
  const pids = Array.from({ length: workers }, () => system.spawn(() => {}, { type: `${node}_worker` }));
  return { cluster, system, obs, server, workers: pids };
}

const get = async <T>(node: Node, path: string) => {
  const res = await request(new URL(path, node.server.url).toString());
  return { status: res.status, body: res.json() as T };
};

beforeAll(async () => {
  nats = await NatsServer.start();
  a = await startNode('a', 2);
  b = await startNode('b', 3);
  await a.cluster.waitForNode('b');
  await b.cluster.waitForNode('a');
});

afterAll(async () => {
  for (const n of [a, b]) {
    await n?.obs.close();
    await n?.cluster.leave().catch(() => undefined);
    await n?.system.shutdown();
  }
  await nats?.dispose();
});

describe('the cluster view (two nodes, a real nats-server)', () => {
  it('lists the nodes, this one first, with their connection status', async () => {
    const { body } = await get<ClusterView>(a, '/api/cluster');
    expect(body.node).toBe('a');
    expect(body.nodes.map((n) => [n.node, n.self, n.up])).toEqual([
      ['a', true, true],
      ['b', false, true],
    ]);
    expect(body.nodes[1]?.framesReceived).toBeGreaterThan(0);
  });

  it("shows the other node's actors, filtered and paged by that node, and one of them in detail", async () => {
    const remote = await get<ActorsPage>(a, '/api/actors?node=b&filter=_worker&limit=500');
    expect(remote.status).toBe(200);
    expect(remote.body.rows.map((r) => r.type)).toEqual(['b_worker', 'b_worker', 'b_worker']);
    const local = await get<ActorsPage>(a, '/api/actors?filter=_worker&limit=500');
    expect(local.body.rows.map((r) => r.type)).toEqual(['a_worker', 'a_worker']);
    const first = b.workers[0] as Pid;
    const detail = await get<ActorDetail>(a, `/api/actors/${first.id}?node=b`);
    expect(detail.body).toMatchObject({ pid: first.toString(), type: 'b_worker' });
    const overview = await get<{ overview: { actors: number } }>(a, '/api/overview?node=b');
    expect(overview.body.overview.actors).toBe(b.system.stats().actors);
  });

  it('refuses a node that is not in the cluster', async () => {
    expect((await get(a, '/api/actors?node=nowhere')).status).toBe(404);
  });

  it('shows the node list and another node in the page (browser), with no serious accessibility violations', async () => {
    const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}: apt-get install chromium (or set CHROMIUM_PATH)`);
    const artifacts = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');
    mkdirSync(artifacts, { recursive: true });
    const browser: Browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(a.server.url);
      await page.waitForSelector('#live:text("live")');
      await page.click('nav button[data-view="cluster"]');
      await page.waitForSelector('#cluster tbody tr[data-node="b"][data-up="true"]');
      await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
      const violations = await page.evaluate(async () => {
        const w = window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string | null }[] }> } };
        return (await w.axe.run()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
      });
      expect(violations).toEqual([]);
      await page.screenshot({ path: join(artifacts, 'cluster.png'), fullPage: true });
      await page.click('#cluster button[data-pick="b"]');
      await page.click('nav button[data-view="actors"]');
      await page.fill('#filter', '_worker');
      await page.waitForFunction(() => {
        const types = [...document.querySelectorAll('#actors tbody td:nth-child(2)')].map((td) => td.textContent);
        return types.length === 3 && types.every((t) => t === 'b_worker');
      });
      expect(await page.inputValue('#node')).toBe('b');
      await page.screenshot({ path: join(artifacts, 'cluster-node-b.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('shows a node that left as down, and its views as unavailable', async () => {
    const down = new Promise<void>((resolve) => {
      a.cluster.monitorNode('b', (e) => {
        if (e.kind === 'nodedown') resolve();
      });
    });
    await b.cluster.leave();
    await down;
    const { body } = await get<ClusterView>(a, '/api/cluster');
    expect(body.nodes.find((n) => n.node === 'b')?.up).toBe(false);
    const res = await get<{ error: string }>(a, '/api/actors?node=b');
    expect(res.status).toBe(502);
    expect(res.body.error).toMatch(/node 'b'/);
  });
});
