/**
 * `pnpm demo`: the order service under load, with faults, a live summary, and Prometheus /
 * health endpoints on loopback. Ctrl-C shuts it down gracefully through the supervision tree.
 *
 *   node dist/main.js [--smoke] [--rate N] [--api-port N] [--observer-port N]
 */
import { startDemo } from './app.js';
import { startSummary } from './summary.js';
import { cliArgs } from './cli-args.js';

const args = cliArgs();
const smoke = args.has('--smoke');
const arg = (name: string): number | undefined => args.number(name);

const apiPort = arg('--api-port');
const demo = await startDemo({
  observerPort: arg('--observer-port') ?? 9466,
  ...(smoke ? { apiPort: 0, metricsPort: 0, healthPort: 0, observerPort: 0 } : {}),
  ...(apiPort === undefined ? {} : { apiPort }),
  ordersPerSecond: arg('--rate') ?? 40,
});
const { app, urls } = demo;

console.log(`joerl demo — an order service: supervision tree, GenServers, a GenStatem per order, faults on purpose

  API       ${urls.api}            (GET / lists the endpoints)
  metrics   ${urls.metrics}
  health    ${urls.healthz}?verbose   ${urls.livez}   ${urls.readyz}
  observer  ${urls.observer}
            (the supervision tree, actors, charts and order states, live; the link carries the token for kill/restart)

  Ctrl-C stops it gracefully. \`pnpm demo:stack\` also starts Prometheus with joerl's alert rules.
`);

const summary = startSummary({ system: app.system, telemetry: app.telemetry, load: demo.load, health: async () => (await app.health?.check())?.status ?? 'n/a' }, 1000, process.stdout);

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  summary.stop();
  console.log('\nshutting down: readiness fails, the supervision tree stops in reverse order, endpoints close...');
  await demo.stop();
  const stats = app.system.stats();
  console.log(`stopped: ${stats.spawned} actors spawned, ${stats.processed} messages handled, ${demo.load?.stats.placed ?? 0} orders placed`);
  process.exitCode = code;
}

process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

if (smoke) {
  // CI: run a few seconds of load, check the endpoints answer, then stop cleanly.
  setTimeout(() => {
    void (async () => {
      const metrics = await (await fetch(urls.metrics)).text();
      const ready = await fetch(urls.readyz);
      const tree = await (await fetch(new URL('/api/tree', urls.observer))).text();
      for (const line of await summary.render()) console.log(line);
      const ok = metrics.includes('joerl_gen_statem_current_state') && ready.status === 200 && tree.includes('"shop_sup"') && (demo.load?.stats.placed ?? 0) > 0;
      console.log(ok ? 'smoke: ok' : 'smoke: FAILED (metrics, readiness, observer tree or orders missing)');
      await stop(ok ? 0 : 1);
    })();
  }, 3000);
}
