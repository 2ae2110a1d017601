import actors from 'comedy';
const N = 100000;
const system = actors({ log: { level: 0 }, loggerConfig: { categories: { Default: 'Silent' } } });
const root = await system.rootActor();
let count = 0;
let resolve; const done = new Promise(r => resolve = r);
class Sink { inc(n) { if (++count === N) resolve(); } }
const sink = await root.createChild(Sink, { mode: 'in-memory' });
const t0 = performance.now();
for (let i = 0; i < N; i++) sink.send('inc', i);
await done;
console.log('comedy one actor', N / ((performance.now() - t0) / 1000));
class Echo { echo(n) { return n + 1; } }
const echo = await root.createChild(Echo);
const t1 = performance.now();
for (let i = 0; i < 10000; i++) { const r = await echo.sendAndReceive('echo', i); if (r !== i + 1) throw new Error('bad'); }
console.log('comedy call', 10000 / ((performance.now() - t1) / 1000));
await system.destroy();
