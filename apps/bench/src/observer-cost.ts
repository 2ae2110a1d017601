/**
 * `pnpm -F @joerl/bench observer-cost`: what @joerl/observer costs a running system.
 *
 *   node --expose-gc dist/observer-cost.js [--actors N] [--messages N] [--rounds N]
 *
 * 1. With N idle actors (default 100,000) under a supervisor tree, the time of each request a
 *    page makes: one actors page sorted by mailbox depth, the tree, the overview, the state
 *    machines (one live update is the last three).
 * 2. Message throughput of one actor (counters + 1% timing) with no observer at all, with an
 *    observer but no page open (the message flow unwatched: one boolean check per send), and with
 *    one page's live updates streaming at the highest rate (4 per second, the flow counted):
 *    alternated, medians.
 */
import { request } from 'node:http';
import { ActorSystem } from '@joerl/core';
import { GenServer, Supervisor } from '@joerl/gen';
import { observer } from '@joerl/observer';
import { createTelemetry } from '@joerl/telemetry';
import { fmt, gc, median } from './measure.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : Number.NaN;
  return Number.isFinite(v) ? v : fallback;
};
const actors = arg('--actors', 100_000);
const messages = arg('--messages', 1_000_000);
const rounds = arg('--rounds', 5);

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    request(url, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - t0));
    })
      .on('error', reject)
      .end();
  });
}

async function requestCosts(): Promise<void> {
  const telemetry = createTelemetry({ sampling: { timing: 0.01 } });
  const system = new ActorSystem({ instrumentation: telemetry, logger: null });
  const worker = { type: 'worker', init: () => GenServer.ok(0) };
  await Supervisor.start(system, { strategy: 'one_for_one', children: Array.from({ length: 10 }, (_, i) => GenServer.childSpec(worker, null, { id: `w${i}` })) }, { name: 'root' });
  for (let i = 0; i < actors; i++) system.spawn<number>(() => {}, { type: i % 2 === 0 ? 'even' : 'odd' });
  await system.idle();
  const obs = observer({ system, telemetry });
  const server = await obs.listen({ port: 0 });
  console.log(`requests with ${fmt(system.stats().actors)} actors (median of ${rounds}, ms):`);
  for (const path of ['/api/actors?sort=mailbox&order=desc&limit=50', '/api/actors?sort=rate&order=desc&limit=50', '/api/actors?filter=odd&sort=age&limit=50', '/api/tree', '/api/overview', '/api/state-machines']) {
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) times.push(await get(new URL(path, server.url).toString()));
    console.log(`  ${path.padEnd(48)} ${median(times).toFixed(1)}`);
  }
  await obs.close();
  await system.shutdown();
}

async function throughput(mode: 'none' | 'closed' | 'open'): Promise<number> {
  const telemetry = createTelemetry({ sampling: { timing: 0.01 } });
  const system = new ActorSystem({ instrumentation: telemetry, logger: null });
  const obs = mode === 'none' ? null : observer({ system, telemetry, updatesPerSecond: 4 });
  const server = obs === null ? null : await obs.listen({ port: 0 });
  let stream: ReturnType<typeof request> | null = null;
  if (mode === 'open' && server !== null) {
    stream = request(new URL('/api/events', server.url), (res) => res.resume());
    stream.end();
  }
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  let count = 0;
  const sink = system.spawn<number>(() => {
    if (++count === messages) resolve();
  }, { type: 'sink', mailbox: { capacity: Number.POSITIVE_INFINITY } });
  gc();
  const t0 = performance.now();
  // in slices, so the event loop (and the observer's timer) runs while the messages flow
  for (let sent = 0; sent < messages; ) {
    const n = Math.min(50_000, messages - sent);
    for (let i = 0; i < n; i++) sink.send(i);
    sent += n;
    await new Promise((r) => setImmediate(r));
  }
  await done;
  const rate = messages / ((performance.now() - t0) / 1000);
  stream?.destroy();
  await obs?.close();
  await system.shutdown();
  return rate;
}

await requestCosts();
const none: number[] = [];
const off: number[] = [];
const on: number[] = [];
for (let r = 0; r < rounds; r++) {
  none.push(await throughput('none'));
  off.push(await throughput('closed'));
  on.push(await throughput('open'));
}
const z = median(none);
const a = median(off);
const b = median(on);
console.log(`one actor, ${fmt(messages)} messages, counters + 1% timing (median of ${rounds}):`);
console.log(`  no observer                      ${fmt(z)} msg/s`);
console.log(`  an observer, no page open        ${fmt(a)} msg/s  (${(a / z).toFixed(2)} of no observer)`);
console.log(`  a page open, 4 updates/s         ${fmt(b)} msg/s  (${(b / a).toFixed(2)} of no page)`);
