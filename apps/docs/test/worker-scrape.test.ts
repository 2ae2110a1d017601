/**
 * One scrape for worker-thread nodes: a real Prometheus scrapes only the main thread's /metrics,
 * and finds every node of the process there (the main thread and three worker_threads nodes on a
 * real nats-server), each series labelled with its node, none summed.
 */
import { ActorSystem } from '@joerl/core';
import { type Cluster, joinCluster, startWorkerNodes, type WorkerNodes } from '@joerl/cluster';
import { gatherFromWorkers, type MetricsServer, prometheus } from '@joerl/prometheus';
import { createTelemetry } from '@joerl/telemetry';
import { NatsServer, poll, type PrometheusServer, startPrometheus } from '@joerl/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let nats: NatsServer;
let me: Cluster;
let pool: WorkerNodes;
let server: MetricsServer;
let scraper: PrometheusServer;
const cluster = `workers${process.pid}`;

beforeAll(async () => {
  nats = await NatsServer.start();
  const telemetry = createTelemetry({ eventLoop: false, logger: null });
  const system = new ActorSystem({ logger: null, instrumentation: telemetry });
  me = await joinCluster(system, { servers: nats.url, cluster, node: 'main', heartbeatMs: 250, heartbeatTimeoutMs: 1000, logger: null, globalNames: false });
  pool = startWorkerNodes({
    count: 3,
    entry: new URL('./support/metrics-worker.ts', import.meta.url),
    data: { servers: nats.url, cluster },
    workerOptions: { execArgv: ['--conditions=@joerl/source', '--import', new URL('../../../packages/cluster/test/support/register-ts.mjs', import.meta.url).href] },
  });
  await Promise.all([0, 1, 2].map((i) => me.waitForNode(`worker-${i}`, 60_000)));
  server = await prometheus({ telemetry, workers: gatherFromWorkers(pool.workers) }).listen({ port: 0 });
  scraper = await startPrometheus({ targets: [new URL(server.url).host], job: 'one-process' });
}, 120_000);

afterAll(async () => {
  await scraper?.stop();
  await server?.close();
  await pool?.terminate();
  await me?.leave();
  await nats?.dispose();
}, 30_000);

describe('one scrape for worker-thread nodes', () => {
  it("the main thread's /metrics serves every node of the process, each under its own node label", async () => {
    const nodes = await poll('all four nodes in one scrape', 60_000, async () => {
      const result = await scraper.query('max by (node, instance) (joerl_cluster_nodes)');
      return result.length === 4 && result.every((s) => s.value[1] === '4') ? result : undefined;
    });
    expect(nodes.map((s) => s.metric.node).sort()).toEqual(['main', 'worker-0', 'worker-1', 'worker-2']);
    expect(new Set(nodes.map((s) => s.metric.instance)).size).toBe(1); // one target
    // never summed: each worker's own actor type appears under its node only
    const jobs = await scraper.query('sum by (node, type) (joerl_messages_sent_total{type=~"job_of_worker_.*"})');
    expect(jobs.map((s) => `${s.metric.node}:${s.metric.type}=${s.value[1]}`).sort()).toEqual(['worker-0:job_of_worker_0=1', 'worker-1:job_of_worker_1=1', 'worker-2:job_of_worker_2=1']);
  }, 90_000);
});
