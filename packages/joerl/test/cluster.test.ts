import type { Cluster } from '@joerl/cluster';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsServer } from '../../cluster/test/support/nats-server.js';
import { createTelemetry, type Telemetry, type TelemetryOptions } from '@joerl/telemetry';
import { start } from '../src/index.js';

const quiet = { logger: null, system: { logger: null }, telemetry: { eventLoop: false as const }, health: false as const };
let nats: NatsServer;

beforeAll(async () => {
  nats = await NatsServer.start();
});

afterAll(async () => {
  await nats?.dispose();
});

describe('start() and a cluster', () => {
  it('stays a single node, without loading @joerl/cluster, when no cluster is configured', async () => {
    const loaded: string[] = [];
    const app = await start({ ...quiet, env: {}, importer: (m) => (loaded.push(m), import(m)) });
    expect(app.cluster).toBeNull();
    expect(app.system.nodeName).toBe('nonode@nohost');
    expect(loaded).not.toContain('@joerl/cluster');
    await app.shutdown();
  });

  it('joins the cluster named by JOERL_CLUSTER_SERVERS, and two apps see each other', async () => {
    const env = { JOERL_CLUSTER_SERVERS: nats.url, JOERL_CLUSTER_NAME: 'start_test' };
    const one = await start({ ...quiet, env: { ...env, JOERL_CLUSTER_NODE: 'one' } });
    const two = await start({ ...quiet, env, cluster: { node: 'two', heartbeatMs: 100, heartbeatTimeoutMs: 600 } });
    expect([one.cluster?.node(), two.cluster?.node(), one.system.nodeName]).toEqual(['one', 'two', 'one']);
    // at run time it is @joerl/cluster's Cluster (joerl declares only what it needs)
    const cluster = one.cluster as Cluster;
    await cluster.waitForNode('two');
    const down = new Promise<void>((resolve) => cluster.monitorNode('two', (e) => e.kind === 'nodedown' && resolve()));
    await two.shutdown();
    await down; // shutdown leaves the cluster
    await one.shutdown();
  });

  it("serves an observer that lists the cluster's nodes", async () => {
    const env = { JOERL_CLUSTER_SERVERS: nats.url, JOERL_CLUSTER_NAME: 'observer_test' };
    const one = await start({ ...quiet, env, observer: { port: 0 }, cluster: { node: 'one', heartbeatMs: 100, heartbeatTimeoutMs: 600 } });
    const two = await start({ ...quiet, env, observer: { port: 0 }, cluster: { node: 'two', heartbeatMs: 100, heartbeatTimeoutMs: 600 } });
    try {
      await (one.cluster as Cluster).waitForNode('two');
      const res = await fetch(new URL('/api/cluster', one.urls.observer));
      const view = (await res.json()) as { node: string; nodes: { node: string; up: boolean }[] };
      expect(view.node).toBe('one');
      expect(view.nodes.map((n) => [n.node, n.up])).toEqual([
        ['one', true],
        ['two', true],
      ]);
    } finally {
      await two.shutdown();
      await one.shutdown();
    }
  });

  it("gives OTLP the node's name, though OTLP starts before the join", async () => {
    const seen: Record<string, unknown>[] = [];
    // @joerl/otlp as it is, but startOtlp records its options and exports nowhere
    const importer = async (m: string): Promise<unknown> => {
      const mod = (await import(m)) as Record<string, unknown>;
      if (m !== '@joerl/otlp') return mod;
      return {
        ...mod,
        startOtlp: (o: { telemetry: Telemetry | TelemetryOptions } & Record<string, unknown>) => {
          seen.push(o);
          const telemetry = typeof (o.telemetry as Telemetry).collect === 'function' ? (o.telemetry as Telemetry) : createTelemetry(o.telemetry as TelemetryOptions);
          return Promise.resolve({ telemetry, shutdown: () => Promise.resolve() });
        },
      };
    };
    const env = { JOERL_CLUSTER_SERVERS: nats.url, JOERL_CLUSTER_NAME: 'otlp_node_test', JOERL_TELEMETRY: 'otlp' };
    const app = await start({ ...quiet, env, importer, cluster: { node: 'east-1', heartbeatMs: 100, heartbeatTimeoutMs: 600 } });
    try {
      expect(seen.map((o) => o.node)).toEqual(['east-1']);
      expect(app.cluster?.node()).toBe('east-1');
    } finally {
      await app.shutdown();
    }
    // without a cluster, OTLP gets no node name
    const alone = await start({ ...quiet, env: { JOERL_TELEMETRY: 'otlp' }, importer });
    await alone.shutdown();
    expect(seen[1]?.node).toBeUndefined();
  });

  it('refuses a cluster option that is not an object', async () => {
    await expect(start({ ...quiet, env: {}, cluster: 'nats://x' as never })).rejects.toThrow(/cluster/);
  });
});
