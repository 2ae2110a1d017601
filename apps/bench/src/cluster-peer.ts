/**
 * The far side of the cluster bench, in its own process: a joerl node with a counting actor and
 * an echo server, and raw NATS subscribers doing the same jobs, on one connection each.
 *
 *   node dist/cluster-peer.js <nats-url> <count>
 */
import { joinCluster } from '@joerl/cluster';
import { ActorSystem, type Pid } from '@joerl/core';
import { GenServer } from '@joerl/gen';
import { connect } from '@nats-io/transport-node';

const [servers = '', countArg = '0'] = process.argv.slice(2);
const count = Number(countArg);
const system = new ActorSystem({ logger: null });
const cluster = await joinCluster(system, { servers, node: 'peer', cluster: 'bench', globalNames: false, logger: null });

// joerl: counts `count` messages, then tells whoever sent { start }.
let seen = 0;
let reportTo: Pid | null = null;
system.spawn<unknown>(
  (m, ctx) => {
    if (typeof m === 'object' && m !== null && 'start' in m) {
      reportTo = (m as { start: Pid }).start;
      seen = 0;
    } else if (++seen === count && reportTo !== null) {
      ctx.send(reportTo, 'done');
      seen = 0;
    }
  },
  { type: 'counter', name: 'counter', mailbox: { capacity: Number.POSITIVE_INFINITY } },
);
await GenServer.start(system, { type: 'echo', init: () => GenServer.ok(null), handleCall: (req: unknown, _from, s, ctx) => GenServer.reply(req === 'whoami' ? ctx.self : req, s) }, undefined, { name: 'echo' });

// Raw NATS: the same two jobs.
const nc = await connect({ servers });
let rawSeen = 0;
nc.subscribe('bench.raw.count', {
  callback: () => {
    if (++rawSeen === count) {
      rawSeen = 0;
      nc.publish('bench.raw.done');
    }
  },
});
nc.subscribe('bench.raw.echo', {
  callback: (_e, msg) => {
    msg.respond(msg.data);
  },
});
await nc.flush();
process.send?.({ ready: cluster.node() });
