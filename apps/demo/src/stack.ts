/**
 * `pnpm demo:stack`: the demo, plus Debian's `prometheus` scraping it every 5 s with joerl's
 * alerting and SLO rules loaded — to query, graph and watch alerts fire while injecting faults.
 */
import { fileURLToPath } from 'node:url';
import { startPrometheus } from '@joerl/test-utils';
import { startDemo } from './app.js';
import { prometheusLinks } from './prometheus-links.js';
import { stackBanner } from './stack-banner.js';
import { startSummary } from './summary.js';

const rules = ['alerts.yml', 'slo.yml'].map((f) => fileURLToPath(new URL(`../../../ops/prometheus/${f}`, import.meta.url)));

const demo = await startDemo();
let prometheus;
try {
  prometheus = await startPrometheus({ targets: [new URL(demo.urls.metrics).host], job: 'joerl-demo', intervalS: 5, ruleFiles: rules, port: 9090 });
} catch (error) {
  await demo.stop();
  console.error(`${(error as Error).message}\n(Prometheus needs port 9090 free and the Debian package: apt-get install prometheus)`);
  process.exit(1);
}
const server = prometheus;

console.log(stackBanner(await prometheusLinks(server.url), demo.urls));
const summary = startSummary({ system: demo.app.system, telemetry: demo.app.telemetry, load: demo.load, health: async () => (await demo.app.health?.check())?.status ?? 'n/a' }, 1000, process.stdout);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  summary.stop();
  console.log('\nstopping Prometheus and the demo...');
  await server.stop();
  await demo.stop();
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
