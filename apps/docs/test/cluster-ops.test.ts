/**
 * The cluster part of the operator's kit against a real Prometheus scraping a real 3-node
 * cluster on a real nats-server (three processes): every cluster query of TELEMETRY.md returns
 * data, the cluster alerts evaluate, and killing one node fires JoerlNodeDown for it.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { NatsServer, poll, type PrometheusServer, startPrometheus, within } from '@joerl/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_RULE_FILES, clusterQueries, OPS } from '../src/ops.js';

const NODES = ['n1', 'n2', 'n3'];
let nats: NatsServer;
let prometheus: PrometheusServer;
const nodes = new Map<string, ChildProcess>();

function startNode(name: string, servers: string): Promise<string> {
  const script = fileURLToPath(new URL('./support/cluster-node.ts', import.meta.url));
  const register = new URL('../../../packages/cluster/test/support/register-ts.mjs', import.meta.url).href;
  const config = { servers, cluster: `ops${process.pid}`, node: name, peers: NODES.filter((n) => n !== name) };
  const child = fork(script, [JSON.stringify(config)], { execArgv: ['--conditions=@joerl/source', '--import', register], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  nodes.set(name, child);
  return within(
    new Promise<string>((resolve, reject) => {
      child.once('message', (m) => resolve((m as { metrics: string }).metrics));
      child.once('exit', (code) => reject(new Error(`node ${name} exited (${code})`)));
    }),
    60_000,
    `node ${name} to start`,
  );
}

beforeAll(async () => {
  nats = await NatsServer.start();
  const first = await startNode('n1', nats.url); // fills the transpile cache for the others
  const urls = [first, ...(await Promise.all(NODES.slice(1).map((n) => startNode(n, nats.url))))];
  prometheus = await startPrometheus({ targets: urls.map((u) => new URL(u).host), job: 'joerl-cluster', ruleFiles: CLUSTER_RULE_FILES.map((f) => `${OPS}prometheus/${f}`) });
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  for (const child of nodes.values()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await nats?.dispose();
}, 30_000);

describe('the cluster kit against a real 3-node cluster', () => {
  it('every cluster query of TELEMETRY.md parses and returns data, each node reporting under its own node label', async () => {
    const queries = clusterQueries();
    expect(queries.length).toBeGreaterThan(10);
    const missing = await poll('every cluster query to return data', 90_000, async () => {
      const empty: string[] = [];
      for (const q of queries) {
        const result = await prometheus.query(q.expr);
        if (!result.some((s) => Number.isFinite(Number(s.value[1])))) empty.push(q.id);
      }
      return empty.length === 0 ? empty : undefined;
    });
    expect(missing).toEqual([]);
    const matrix = await prometheus.query('max by (node, peer) (joerl_cluster_peer_up)');
    expect(matrix.map((s) => `${s.metric.node}->${s.metric.peer}=${s.value[1]}`).sort()).toEqual(['n1->n2=1', 'n1->n3=1', 'n2->n1=1', 'n2->n3=1', 'n3->n1=1', 'n3->n2=1']);
    const rules = await prometheus.rules();
    expect(rules.filter((r) => r.type === 'alerting').map((r) => `${r.name}:${r.health}`).sort()).toEqual(
      ['JoerlClusterRttHigh', 'JoerlNodeDown', 'JoerlPartitionSuspected', 'JoerlSerializationErrors', 'JoerlTransportReconnectStorm'].map((n) => `${n}:ok`),
    );
  }, 120_000);

  it('a node killed during the test: the others see it down, and JoerlNodeDown fires for it', async () => {
    nodes.get('n3')?.kill('SIGKILL');
    const firing = await poll('JoerlNodeDown to fire for n3', 60_000, async () => {
      const alerts = await prometheus.query('ALERTS{alertname="JoerlNodeDown", alertstate="firing"}');
      return alerts.length > 0 ? alerts : undefined;
    });
    expect(firing.map((a) => [a.metric.peer, a.metric.severity])).toEqual([['n3', 'critical']]);
    const seen = await prometheus.query('max by (node, peer) (joerl_cluster_peer_up{peer="n3"})');
    expect(seen.map((s) => `${s.metric.node}=${s.value[1]}`).sort()).toEqual(['n1=0', 'n2=0']);
  }, 90_000);
});
