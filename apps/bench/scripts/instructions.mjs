// The driver of instructions.sh: runs one scenario N times after 20 warm-up runs, with a
// scheduler slice of 10^9 ms (no yields), so that callgrind counts the same work every time.
//   node --single-threaded instructions.mjs <scenario> <N>
import { ActorSystem } from '@joerl/core';
import { GenServer } from '@joerl/gen';
import { BaseLoop } from '../dist/baseline.js';

const [scenario, nArg] = process.argv.slice(2);
const noYield = { scheduler: { sliceMs: 1e9 } };

function done() {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  return { promise, resolve };
}

const scenarios = {
  async 'ping-pong'(n) {
    const system = new ActorSystem(noYield);
    const d = done();
    let trips = 0;
    let pong;
    const ping = system.spawn((_, ctx) => (++trips === n ? d.resolve() : void ctx.send(pong, ctx.ref)), { type: 'ping' });
    pong = system.spawn((from, ctx) => void ctx.send(from, 'pong'), { type: 'pong' });
    pong.send(ping);
    await d.promise;
  },
  async 'one-actor'(n) {
    const system = new ActorSystem(noYield);
    const d = done();
    let count = 0;
    const a = system.spawn(() => void (++count === n && d.resolve()), { type: 'sink', mailbox: { capacity: Infinity } });
    for (let i = 0; i < n; i++) a.send(i);
    await d.promise;
  },
  async spawn(n) {
    const system = new ActorSystem(noYield);
    const d = done();
    let count = 0;
    const behavior = { receive: () => void (++count === n && d.resolve()) };
    for (let i = 0; i < n; i++) system.spawn(behavior, { type: 'cell' }).send(i);
    await d.promise;
  },
  async 'call-from-outside'(n) {
    const system = new ActorSystem(noYield);
    const server = await GenServer.start(system, { type: 'echo', init: () => GenServer.ok(0), handleCall: (req, _from, s) => GenServer.reply(req + 1, s) });
    for (let i = 0; i < n; i++) await server.call(i);
    await system.shutdown();
  },
  async 'baseline-ping-pong'(n) {
    const loop = new BaseLoop();
    const d = done();
    let trips = 0;
    let pong;
    const ping = loop.spawn((_, self) => (++trips === n ? d.resolve() : loop.send(pong, self)));
    pong = loop.spawn((from) => loop.send(from, 'pong'));
    loop.send(pong, ping);
    await d.promise;
  },
  async 'baseline-one-actor'(n) {
    const loop = new BaseLoop();
    const d = done();
    let count = 0;
    const a = loop.spawn(() => void (++count === n && d.resolve()));
    for (let i = 0; i < n; i++) loop.send(a, i);
    await d.promise;
  },
};

const run = scenarios[scenario];
if (run === undefined) throw new Error(`scenario: one of ${Object.keys(scenarios).join(', ')}`);
for (let i = 0; i < 20; i++) await run(5000);
await run(Number(nArg));
