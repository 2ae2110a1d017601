// A 3-node cluster on one machine: this process and two worker threads, each a node with its own
// event loop (so its own core), on a nats-server this script starts. `pnpm -F @joerl/cluster example`
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActorSystem } from '@joerl/core';
import { joinCluster, startWorkerNodes } from '@joerl/cluster';

const port = await new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const address = s.address();
    s.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 4222));
  });
});
const store = mkdtempSync(join(tmpdir(), 'joerl-example-'));
const nats = spawn(process.env.NATS_SERVER ?? 'nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], { stdio: ['ignore', 'ignore', 'pipe'] });
await new Promise<void>((resolve, reject) => {
  let log = '';
  nats.once('error', () => reject(new Error('nats-server not found: apt-get install nats-server (or set NATS_SERVER)')));
  nats.stderr.on('data', (chunk: Buffer) => {
    log += chunk.toString();
    if (log.includes('Server is ready')) resolve();
  });
});
const servers = `nats://127.0.0.1:${port}`;
console.log(`nats-server on ${servers}`);

const main = await joinCluster(new ActorSystem(), { servers, node: 'main', cluster: 'example' });
const pool = startWorkerNodes({ count: 2, entry: new URL('./work-pool-worker.ts', import.meta.url), data: { servers } });
await Promise.all([main.waitForNode('worker-0', 30_000), main.waitForNode('worker-1', 30_000)]);
console.log(`nodes: ${main.nodes().join(', ')}`);

// Spread 10 jobs across the workers; each answers with the node that did it.
const results = await new Promise<string[]>((resolve) => {
  const done: string[] = [];
  const collector = main.system.spawn<{ n: number; square: number; node: string }>((r) => {
    done.push(`${r.n}² = ${r.square} on ${r.node}`);
    if (done.length === 10) resolve(done);
  });
  for (let n = 0; n < 10; n++) main.system.send({ name: 'squarer', node: `worker-${n % 2}` }, { n, from: collector });
});
for (const line of results.sort()) console.log(line);

// Watch a node go down: its actors' links and monitors would fire with noconnection.
const down = new Promise<void>((resolve) => main.monitorNode('worker-1', (e) => e.kind === 'nodedown' && resolve()));
await pool.workers[1]?.terminate();
await down;
console.log(`worker-1 went down; nodes: ${main.nodes().join(', ')}`);

await pool.terminate();
await main.leave();
nats.kill();
rmSync(store, { recursive: true, force: true });
