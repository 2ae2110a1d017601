/**
 * One node of the 3-node cluster the operator's kit is tested on, in its own process: telemetry
 * served on its own /metrics (labelled with its node), an `echo` actor and a `kv` GenServer, and
 * traffic to every peer (a message and a call every 100 ms, plus a send to a node that does not
 * exist, so failures have data too). Prints its metrics URL over IPC.
 */
import { ActorSystem } from '@joerl/core';
import { joinCluster } from '@joerl/cluster';
import { GenServer } from '@joerl/gen';
import { prometheus } from '@joerl/prometheus';
import { createTelemetry } from '@joerl/telemetry';

const { servers, cluster, node, peers } = JSON.parse(process.argv[2] ?? '{}') as { servers: string; cluster: string; node: string; peers: string[] };
const telemetry = createTelemetry({ eventLoop: false, logger: null });
const system = new ActorSystem({ logger: null, instrumentation: telemetry });
const server = await prometheus({ telemetry }).listen({ port: 0 });
system.spawn<{ hello: string }>(() => undefined, { type: 'echo', name: 'echo' });
await GenServer.start(system, { type: 'kv', init: () => GenServer.ok(0), handleCall: (_req: 'get', _from, n: number) => GenServer.reply(n, n + 1) }, undefined, { name: 'kv' });
await joinCluster(system, { servers, cluster, node, heartbeatMs: 250, heartbeatTimeoutMs: 1000, logger: null, globalNames: false });

setInterval(() => {
  for (const peer of peers) {
    system.send({ name: 'echo', node: peer }, { hello: node });
    system.distribution?.call({ name: 'kv', node: peer }, 'get', 1000, null).catch(() => undefined);
  }
  system.send({ name: 'echo', node: 'nowhere' }, { hello: node });
}, 100);

process.send?.({ metrics: server.url });
