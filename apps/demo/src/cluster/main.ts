/**
 * `pnpm demo:cluster`: the order service across 3 nodes on a nats-server started here on
 * loopback, with a live summary of the nodes, node-down, `noconnection` and the supervisors'
 * reaction. Ctrl-C stops everything, nats-server included.
 *
 *   node dist/cluster/main.js [--smoke] [--rate N] [--api-port N]
 */
import { startSummary } from '../summary.js';
import { type ClusterDemo, startClusterDemo } from './front.js';
import { cliArgs } from '../cli-args.js';

const args = cliArgs();
const smoke = args.has('--smoke');
const arg = (name: string): number | undefined => args.number(name);

const apiPort = arg('--api-port');
console.log('starting nats-server and 3 nodes (front, stock, pay)...');
const demo = await startClusterDemo({
  ...(smoke ? { apiPort: 0, metricsPorts: { front: 0, stock: 0, pay: 0 } } : {}),
  ...(apiPort === undefined ? {} : { apiPort }),
  ordersPerSecond: arg('--rate') ?? 20,
});
const { app, urls } = demo;

console.log(`joerl demo:cluster — the order service across 3 nodes over NATS (${urls.nats})

  front  orders, API, load, rate limiter, audit log; nodes_sup keeps the other two running
  stock  inventory          called as { name: 'inventory', node: 'stock' }
  pay    payments_sup → payment   called as { name: 'payment', node: 'pay' }

  API       ${urls.api}            (GET / lists the endpoints, GET /nodes the nodes)
  metrics   front ${urls.metrics.front}
            stock ${urls.metrics.stock}
            pay   ${urls.metrics.pay}${urls.aggregated === null ? '' : `\n            all   ${urls.aggregated}`}

  The fault switch: curl -XPOST ${urls.api}/nodes/pay/kill   (or stock; or press p / s here)
  kills the node with kill -9: within 2 s the front sees node-down, orders' calls fail with
  noconnection, and nodes_sup restarts the node's keeper, which starts a new incarnation.
  Ctrl-C stops everything, nats-server included.
`);

const summary = startSummary(
  { system: app.system, telemetry: app.telemetry, load: demo.load, health: () => Promise.resolve(`${demo.cluster.nodes().length + 1}/3 nodes up`), extra: () => clusterLines(demo) },
  1000,
  process.stdout,
);

function clusterLines(d: ClusterDemo): string[] {
  const nodes = d.nodes().map((n) => `${n.node} ${n.up ? 'up' : `DOWN${n.lastDown === null ? '' : ` (${n.lastDown})`}`}, incarnation ${n.incarnations}`);
  const restarts = d.app.telemetry.value('joerl_supervisor_restarts_total', { strategy: 'one_for_one', child_type: 'node_keeper' });
  return [
    `nodes: front · ${nodes.join(' · ')}`,
    `cluster: ${d.counters.nodeDowns} node-down · ${d.counters.nodeUps} node-up · ${d.counters.noconnection} calls failed with noconnection · nodes_sup restarted a keeper ${restarts} times`,
  ];
}

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  summary.stop();
  if (process.stdin.isTTY) process.stdin.setRawMode(false);
  process.stdin.pause();
  console.log('\nshutting down: orders, then each node in order (nodes_sup stops its keepers), then nats-server...');
  const nodeDowns = demo.counters.nodeDowns; // before the nodes stop on purpose
  await demo.stop();
  console.log(`stopped: ${demo.load?.stats.placed ?? 0} orders placed, ${nodeDowns} node-downs seen while running`);
  process.exitCode = code;
}

process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

// Keys, on a terminal: p / s kill pay / stock; q or Ctrl-C stops (raw mode turns Ctrl-C into a key).
if (process.stdin.isTTY && !smoke) {
  process.stdin.setRawMode(true);
  process.stdin.on('data', (key: Buffer) => {
    const k = key.toString();
    if (k === 'p') void demo.killNode('pay');
    else if (k === 's') void demo.killNode('stock');
    else if (k === 'q' || k === '\u0003') void stop(0);
  });
}

if (smoke) {
  // CI: orders go through across nodes, pay is killed, nodes_sup brings it back; then stop.
  void (async () => {
    const deadline = Date.now() + 60_000;
    const until = async (what: string, ok: () => boolean): Promise<void> => {
      while (!ok()) {
        if (Date.now() > deadline) throw new Error(`smoke: timed out waiting for ${what}`);
        await new Promise<void>((resolve) => setTimeout(resolve, 100));
      }
    };
    const shipped = () => app.telemetry.value('joerl_gen_statem_transitions_total', { type: 'order', from: 'paid', to: 'shipped' });
    try {
      await until('an order shipped across nodes', () => shipped() > 0);
      await demo.killNode('pay');
      await until('pay down and back', () => demo.nodes().find((n) => n.node === 'pay')!.incarnations >= 2 && demo.nodes().every((n) => n.up));
      const before = shipped();
      await until('orders shipping again', () => shipped() > before);
      for (const line of await summary.render()) console.log(line);
      console.log('smoke: ok');
      await stop(0);
    } catch (error) {
      console.log(String(error));
      await stop(1);
    }
  })();
}
