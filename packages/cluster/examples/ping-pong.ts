import { ActorSystem, type Pid } from '@joerl/core';
import { GenServer, ServerRef } from '@joerl/gen';
import { joinCluster } from '@joerl/cluster';

const servers = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
// Two nodes (usually two processes or machines; here one process, to keep it short).
const a = await joinCluster(new ActorSystem(), { servers, node: 'a', cluster: 'readme' });
const b = await joinCluster(new ActorSystem(), { servers, node: 'b', cluster: 'readme' });
await a.waitForNode('b');

// On b: an actor registered as 'ponger', and a counter server with a local and a global name.
b.system.spawn<{ ping: number; from: Pid }>((m, ctx) => void ctx.send(m.from, { pong: m.ping }), { type: 'ponger', name: 'ponger' });
const counter = await GenServer.start(b.system, { type: 'counter', init: () => GenServer.ok(0), handleCall: (_req: 'next', _from, n) => GenServer.reply(n + 1, n + 1) }, undefined, { name: 'counter' });
await b.registerGlobal('counter', counter.pid);

// On a: send to a name on b, and get the answer back at a's own pid.
const pong = new Promise<number>((resolve) => {
  const me = a.system.spawn<{ pong: number }>((m) => resolve(m.pong), { type: 'pinger' });
  a.system.send({ name: 'ponger', node: 'b' }, { ping: 1, from: me });
});
console.log(`pong ${await pong}`);

// A remote pid works with the GenServer API as a local one does.
const remote = await a.whereisGlobal('counter');
console.log(`${remote?.nodeName} counts ${await ServerRef.of<'next'>(a.system, remote!).call('next')}`);
// So does a name registered on another node: { name, node }, Erlang's {Name, Node}.
const byName = GenServer.named<'next'>(a.system, { name: 'counter', node: 'b' });
console.log(`${byName} counts ${await byName.call('next')}`);

await a.leave();
await b.leave();
