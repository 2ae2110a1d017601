/**
 * A cluster node in its own process exporting its spans over OTLP, for the cross-node trace test:
 * it serves the GenServer 'inventory' and an actor 'sink' (registered under those names) and answers `flush` over IPC
 * once its spans were exported.
 */
import { ActorSystem } from '@joerl/core';
import { joinCluster } from '@joerl/cluster';
import { type Call, GenServer, type GenServerDefinition } from '@joerl/gen';
import { startOtlp } from '../../src/index.js';

const { servers, cluster, node, endpoint } = JSON.parse(process.argv[2] ?? '{}') as { servers: string; cluster: string; node: string; endpoint: string };
const otlp = await startOtlp({ endpoint, metrics: false, serviceName: 'inventory', node, telemetry: { eventLoop: false, logger: null } });
const system = new ActorSystem({ logger: null, instrumentation: otlp.telemetry });
const inventory: GenServerDefinition<number, null, Call<{ kind: 'reserve' }, number>> = {
  type: 'inventory',
  init: () => GenServer.ok(10),
  handleCall: (_req, _from, stock) => GenServer.reply(stock - 1, stock - 1),
};
await GenServer.start(system, inventory, null, { name: 'inventory' });
system.spawn<string>(() => undefined, { type: 'sink', name: 'sink' });
const member = await joinCluster(system, { servers, cluster, node, heartbeatMs: 100, heartbeatTimeoutMs: 600, logger: null, globalNames: false });

process.on('message', (raw) => {
  const { cmd } = raw as { cmd: string };
  if (cmd === 'flush') void otlp.forceFlush().then((ok) => process.send?.({ flushed: ok }));
  if (cmd === 'stop') void member.leave().then(() => otlp.shutdown()).then(() => process.exit(0));
});
process.send?.({ ready: true });
