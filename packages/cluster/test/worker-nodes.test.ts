import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startWorkerNodes, workerNode, type WorkerNodes } from '../src/index.js';
import { clusterName, localNode, NatsServer, spawnProbe, within } from './helpers.js';

let nats: NatsServer;
let me: Cluster;
let pool: WorkerNodes | undefined;
const cluster = clusterName();

beforeAll(async () => {
  nats = await NatsServer.start();
  me = await localNode(nats.url, cluster, 'main');
});

afterAll(async () => {
  await pool?.terminate();
  await me?.leave();
  await nats?.dispose();
});

describe('worker nodes', () => {
  it('a work pool spread across worker-thread nodes: each answers, and terminating them is node-down', async () => {
    pool = startWorkerNodes({
      count: 3,
      entry: new URL('./support/worker-entry.ts', import.meta.url),
      data: { servers: nats.url, cluster },
      // The tests run TypeScript sources: the workers get the loader the child-process nodes use.
      workerOptions: { execArgv: ['--conditions=@joerl/source', '--import', new URL('./support/register-ts.mjs', import.meta.url).href] },
    });
    await Promise.all([0, 1, 2].map((i) => me.waitForNode(`worker-${i}`, 60_000)));
    expect(me.nodes()).toEqual(['worker-0', 'worker-1', 'worker-2']);
    const probe = spawnProbe<{ n: number; square: number; node: string }>(me.system);
    for (let n = 0; n < 9; n++) me.system.send({ name: 'squarer', node: `worker-${n % 3}` }, { n, from: probe.ref });
    const replies = await within(probe.waitForMessages(9), 20_000, 'nine squares');
    expect(replies.map((r) => r.square).sort((a, b) => a - b)).toEqual([0, 1, 4, 9, 16, 25, 36, 49, 64]);
    expect(new Set(replies.map((r) => r.node))).toEqual(new Set(['worker-0', 'worker-1', 'worker-2']));
    const down = within(new Promise<void>((resolve) => me.monitorNode('worker-1', (e) => e.kind === 'nodedown' && resolve())), 10_000, 'worker-1 down');
    await pool.terminate();
    await down;
  });

  it('workerNode() is null on the main thread, and a bad count is refused', () => {
    expect(workerNode()).toBeNull();
    expect(() => startWorkerNodes({ count: 0, entry: 'x.js' })).toThrow(/positive integer/);
  });
});
