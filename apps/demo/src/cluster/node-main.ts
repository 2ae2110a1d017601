/**
 * One service node of `demo:cluster`, a process the front end starts (and restarts): `stock`
 * runs the inventory, `pay` runs payments_sup and its payment server. Each serves its own
 * Prometheus `/metrics`, as the single-node demo does, and reports ready over IPC.
 *
 *   node dist/cluster/node-main.js '<NodeConfig as JSON>'
 */
import type { Cluster } from '@joerl/cluster';
import { Supervisor } from '@joerl/gen';
import { start } from 'joerl';
import { INVENTORY_CHILD, paymentsSpec } from '../orders/tree.js';
import { CLUSTER, DEMO_HEARTBEAT, type NodeCommand, type NodeConfig, type NodeReport } from './settings.js';

const config = JSON.parse(process.argv[2] ?? '{}') as NodeConfig;
const faults = { ...config.faults };

const app = await start({
  service: `joerl-demo-${config.node}`,
  env: { JOERL_TELEMETRY: 'prometheus' },
  system: { logger: null }, // crashes are injected on purpose: count them, do not print them
  telemetry: { sampling: { timing: 0.05 } },
  prometheus: { port: config.metricsPort, defaultMetrics: true },
  health: false,
  cluster: { servers: config.servers, node: config.node, cluster: CLUSTER, ...DEMO_HEARTBEAT, logger: null },
  logger: null,
});
const cluster = app.cluster as unknown as Cluster;

// The front end's node keeper links to one of these: when this node dies, the link breaks with noconnection.
cluster.registerBehaviour('sentinel', () => () => undefined);

switch (config.node) {
  case 'stock':
    await Supervisor.start(app.system, { strategy: 'one_for_one', intensity: 50, periodMs: 10_000, children: [INVENTORY_CHILD] }, { type: 'stock_sup', name: 'stock_sup' });
    break;
  case 'pay':
    await Supervisor.start(app.system, paymentsSpec(faults), { type: 'payments_sup', name: 'payments_sup' });
    break;
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await app.shutdown({ timeoutMs: 2000 }).catch(() => undefined);
  process.exit(0);
}

process.on('message', (raw) => {
  const command = raw as NodeCommand;
  if (command.kind === 'faults') Object.assign(faults, command.faults);
  else if (command.kind === 'stop') void stop();
});
// The front end is gone (Ctrl-C, or it crashed): so is this node, never an orphan.
process.on('disconnect', () => void stop());
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => undefined); // Ctrl-C reaches the whole group: the front end stops this node in order

const report: NodeReport = { kind: 'ready', metrics: app.urls.metrics ?? '', creation: cluster.creation };
process.send?.(report);
