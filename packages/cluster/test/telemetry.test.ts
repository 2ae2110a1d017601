/**
 * The cluster metrics of @joerl/telemetry, exact, with nodes on a real nats-server: this
 * process's node 'test' and agent nodes in their own processes, all instrumented.
 */
import { ActorSystem, type Pid, type RemotePid, TestClock } from '@joerl/core';
import { ServerRef } from '@joerl/gen';
import { createTelemetry, type Labels, type Telemetry } from '@joerl/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, type Codec, jsonCodec, joinCluster, type PidTranslator } from '../src/index.js';
import { type AgentNode, clusterName, clusterSuite, NatsServer, spawnProbe, within } from './helpers.js';
import { poll } from '../../test-utils/src/index.js';

const quietTelemetry = (): Telemetry => createTelemetry({ eventLoop: false, logger: null });

let me: Cluster;
let agents: AgentNode[];
const telemetry = quietTelemetry();
const cluster = clusterName();

clusterSuite(cluster, ['a', 'b'], (suite) => ({ me, agents } = suite), {
  system: () => new ActorSystem({ logger: null, instrumentation: telemetry }),
  agents: { telemetry: true },
});

const value = (name: string, labels: Labels = {}): number => telemetry.value(name, labels);
const agent = (name: string): AgentNode => agents.find((a) => a.name === name) as AgentNode;
const agentValue = (node: string, name: string, labels: Labels): Promise<number> => agent(node).command<number>('value', { name, labels });
const agentHistogram = (node: string, name: string, labels: Labels) => agent(node).command<{ count: number; sum: number } | null>('histogram', { name, labels });

/** Encodes as the node 'test' does, for the exact size of a frame (a timestamp is always 16 digits). */
function encodedSize(frame: Record<string, unknown>): number {
  const pids: PidTranslator = { toWire: (pid: Pid) => ({ node: 'test', creation: me.creation, id: pid.id }), fromWire: () => me.system.rootPid };
  return jsonCodec.encode({ ...frame, t: 1_764_000_000_000_000 }, pids).byteLength;
}

describe('remote traffic, per peer (exact)', () => {
  it('counts messages and their bytes at the sender, and the same messages, sizes and queue waits at the receiver', async () => {
    const received = async () => ({
      messages: await agentValue('a', 'joerl_remote_messages_received_total', { peer: 'test' }),
      sizes: await agentHistogram('a', 'joerl_remote_message_size_bytes', { direction: 'received' }),
      waits: await agentHistogram('a', 'joerl_remote_message_queue_wait_seconds', { peer: 'test' }),
    });
    const before = await received();
    const probe = spawnProbe<{ count: number }>(me.system);
    const frames = [0, 1, 2, 3, 4].map((seq) => ({ f: 'test', c: me.creation, k: 'nmsg', name: 'sink', m: { seq } }));
    const report = { f: 'test', c: me.creation, k: 'nmsg', name: 'sink', m: { report: true, from: probe.ref } };
    const sizes = [...frames, report].map(encodedSize);

    // Synchronous: no heartbeat answer can slip in between the two readings.
    const sentBefore = [value('joerl_remote_messages_sent_total', { peer: 'a' }), value('joerl_remote_sent_bytes_total', { peer: 'a' })];
    for (const f of frames) expect(me.system.send({ name: 'sink', node: 'a' }, f.m)).toBe(true);
    me.system.send({ name: 'sink', node: 'a' }, report.m);
    const sentAfter = [value('joerl_remote_messages_sent_total', { peer: 'a' }), value('joerl_remote_sent_bytes_total', { peer: 'a' })];
    expect(sentAfter[0]! - sentBefore[0]!).toBe(6);
    expect(sentAfter[1]! - sentBefore[1]!).toBe(sizes.reduce((a, b) => a + b, 0));
    // The telemetry counter is the cluster's own count of bytes to that peer.
    expect(value('joerl_remote_sent_bytes_total', { peer: 'a' })).toBe(me.stats().peers.find((p) => p.node === 'a')?.bytesSent);

    await within(probe.waitForMessages(1), 10_000, 'the sink report');
    const after = await received();
    expect(after.messages - before.messages).toBe(6);
    expect(after.sizes!.count - (before.sizes?.count ?? 0)).toBe(6);
    expect(after.sizes!.sum - (before.sizes?.sum ?? 0)).toBe(sizes.reduce((a, b) => a + b, 0));
    // Every timestamped message's queue wait is observed: non-negative, and well under the 10 s it took at most.
    expect(after.waits!.count - (before.waits?.count ?? 0)).toBe(6);
    expect(after.waits!.sum - (before.waits?.sum ?? 0)).toBeGreaterThanOrEqual(0);
    expect(after.waits!.sum - (before.waits?.sum ?? 0)).toBeLessThan(6 * 10);
    // The report's answer is one message back, received here from a.
    expect(value('joerl_remote_messages_received_total', { peer: 'a' })).toBeGreaterThanOrEqual(1);
  });

  it('measures heartbeat round trips to each peer', async () => {
    await within(
      new Promise<void>((resolve) => {
        const check = (): void => void ((telemetry.histogram('joerl_cluster_rtt_seconds', { peer: 'b' })?.count ?? 0) > 0 ? resolve() : me.system.clock.setTimeout(check, 50, undefined));
        check();
      }),
      10_000,
      'a heartbeat round trip to b',
    );
    const rtt = telemetry.histogram('joerl_cluster_rtt_seconds', { peer: 'a' });
    expect(rtt?.count).toBeGreaterThan(0);
    expect(rtt!.sum / rtt!.count).toBeLessThan(1);
  });
});

describe('remote calls (exact)', () => {
  it('a call that is answered is timed under the server type its node reports; one that times out under (unknown)', async () => {
    const kv = (await me.system.distribution!.call({ name: 'kv', node: 'a' }, { kind: 'self' }, 5000, null)) as RemotePid;
    const typed = (): number => value('joerl_remote_call_duration_seconds', { type: 'kv', peer: 'a' });
    const unknown = (): number => value('joerl_remote_call_duration_seconds', { type: '(unknown)', peer: 'a' });
    const [typed0, unknown0] = [typed(), unknown()];
    const ref = ServerRef.of<{ kind: 'get' } | { kind: 'never' }>(me.system, kv);
    await expect(ref.call({ kind: 'get' })).resolves.toBe(42);
    await expect(ref.call({ kind: 'get' })).resolves.toBe(42);
    await expect(ref.call({ kind: 'never' }, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'CALL_TIMEOUT' });
    expect([typed() - typed0, unknown() - unknown0]).toEqual([2, 1]);
    // a call to a name nobody holds there is answered noproc, by a node that found no server
    await expect(me.system.distribution!.call({ name: 'nobody', node: 'a' }, {}, 5000, null)).rejects.toMatchObject({ code: 'NOPROC' });
    expect(unknown() - unknown0).toBe(2);
  });
});

describe('send failures and codec errors (exact)', () => {
  it('a message that cannot be encoded counts once as a send failure to its peer and once as an encode error', () => {
    const failures = () => value('joerl_remote_send_failures_total', { peer: 'a', reason: 'encode' });
    const errors = () => value('joerl_codec_errors_total', { direction: 'encode', reason: 'unencodable' });
    const [f0, e0] = [failures(), errors()];
    expect(me.system.send({ name: 'sink', node: 'a' }, { fn: () => 1 })).toBe(false);
    expect(me.system.send({ name: 'sink', node: 'a' }, Symbol('x'))).toBe(false);
    expect([failures() - f0, errors() - e0]).toEqual([2, 2]);
  });

  it('a send to a node never seen is a no_route failure of peer (unknown), and does not make a peer of its name', () => {
    const before = value('joerl_remote_send_failures_total', { peer: '(unknown)', reason: 'no_route' });
    expect(me.system.send({ name: 'x', node: 'nowhere' }, 1)).toBe(false);
    expect(value('joerl_remote_send_failures_total', { peer: '(unknown)', reason: 'no_route' })).toBe(before + 1);
    expect(telemetry.collect().find((f) => f.def.name === 'joerl_cluster_peer_up')?.samples.map((s) => s.labels.peer)).not.toContain('nowhere');
  });

  it('bytes that are not a frame count as a decode error, malformed', async () => {
    const before = value('joerl_codec_errors_total', { direction: 'decode', reason: 'malformed' });
    me.connection.publish(`joerl.${cluster}.n.test`, new TextEncoder().encode('{"not":"a frame"}'));
    me.connection.publish(`joerl.${cluster}.n.test`, new Uint8Array([0xff, 0x00]));
    // The server answers the flush after delivering what this connection published before it.
    await me.connection.flush();
    expect(value('joerl_codec_errors_total', { direction: 'decode', reason: 'malformed' })).toBe(before + 2);
  });

  it('every codec error has a series from the start, so a query needs no `or vector(0)`', () => {
    const family = telemetry.collect().find((f) => f.def.name === 'joerl_codec_errors_total');
    expect(family?.samples.map((s) => s.labels)).toEqual([
      { direction: 'encode', reason: 'unencodable' },
      { direction: 'encode', reason: 'codec_error' },
      { direction: 'decode', reason: 'malformed' },
      { direction: 'decode', reason: 'codec_error' },
    ]);
  });
});

describe('peers up and down (exact)', () => {
  it('every peer is up once, the cluster has three nodes, and the transport is connected', () => {
    expect([value('joerl_cluster_peer_up', { peer: 'a' }), value('joerl_cluster_peer_up', { peer: 'b' })]).toEqual([1, 1]);
    expect(value('joerl_cluster_nodes')).toBe(3);
    expect(value('joerl_cluster_node_events_total', { peer: 'a', event: 'up' })).toBe(1);
    expect(value('joerl_cluster_node_events_total', { peer: 'a', event: 'down' })).toBe(0);
    expect([value('joerl_cluster_transport_connected'), value('joerl_cluster_transport_reconnects_total')]).toEqual([1, 0]);
  });

  it('a killed node is down once: its up reads 0, the cluster one node fewer, and sends to it fail node_down', async () => {
    const down = new Promise<void>((resolve) => me.monitorNode('b', (e) => e.kind === 'nodedown' && resolve()));
    await agent('b').kill();
    await within(down, 10_000, 'b to go down');
    expect(value('joerl_cluster_peer_up', { peer: 'b' })).toBe(0);
    expect(value('joerl_cluster_nodes')).toBe(2);
    expect(value('joerl_cluster_node_events_total', { peer: 'b', event: 'down' })).toBe(1);
    expect(value('joerl_cluster_heartbeats_missed_total', { peer: 'b' })).toBeGreaterThan(0);
    expect(me.system.send({ name: 'sink', node: 'b' }, 1)).toBe(false);
    expect(value('joerl_remote_send_failures_total', { peer: 'b', reason: 'node_down' })).toBe(1);
    // the other agent saw it too, by its own heartbeat timeout (which may end after ours): once
    const seen = await poll("agent a to count b's node-down", 10_000, async () => {
      const n = await agentValue('a', 'joerl_cluster_node_events_total', { peer: 'b', event: 'down' });
      return n > 0 ? n : undefined;
    });
    expect(seen).toBe(1);
  });
});

describe('heartbeats missed, on a test clock (exact)', () => {
  let nats: NatsServer;
  const name = clusterName();
  beforeAll(async () => {
    nats = await NatsServer.start();
  });
  afterAll(async () => {
    await nats.dispose();
  });

  /** A node whose heartbeat ticks only when its TestClock is advanced. */
  async function clockedNode(node: string, options: { codec?: Codec } = {}) {
    const clock = new TestClock();
    const t = quietTelemetry();
    const system = new ActorSystem({ logger: null, clock, instrumentation: t });
    const c = await joinCluster(system, { servers: nats.url, cluster: name, node, heartbeatMs: 100, heartbeatTimeoutMs: 600, logger: null, globalNames: false, ...options });
    return { clock, telemetry: t, cluster: c };
  }

  it('a peer silent for n heartbeat intervals has missed n - 1; at the timeout it is down', async () => {
    const watcher = await clockedNode('watcher');
    const ghost = await clockedNode('ghost');
    await watcher.cluster.waitForNode('ghost', 10_000);
    await ghost.cluster.waitForNode('watcher', 10_000);
    // The ghost falls silent: everything it published has been routed, then it is gone (no goodbye).
    await ghost.cluster.connection.flush();
    await ghost.cluster.connection.close();
    await watcher.cluster.connection.flush();
    const missed = () => watcher.telemetry.value('joerl_cluster_heartbeats_missed_total', { peer: 'ghost' });
    const seen: number[] = [];
    for (let tick = 1; tick <= 7; tick++) {
      watcher.clock.advance(100);
      seen.push(missed());
    }
    // 100 ms of silence: late, not missed; 200 ms: one missed; ... 700 ms > the 600 ms timeout: down.
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(watcher.telemetry.value('joerl_cluster_peer_up', { peer: 'ghost' })).toBe(0);
    expect(watcher.telemetry.value('joerl_cluster_node_events_total', { peer: 'ghost', event: 'down' })).toBe(1);
    watcher.clock.advance(1000);
    expect(missed()).toBe(6); // a node that is down misses nothing more

    // The ghost's connection is closed: its sends fail at the transport, as publish.
    expect(ghost.cluster.system.send({ name: 'anyone', node: 'watcher' }, 1)).toBe(false);
    expect(ghost.telemetry.value('joerl_remote_send_failures_total', { peer: 'watcher', reason: 'publish' })).toBe(1);
    await watcher.cluster.leave();
  });

  it("a codec that throws counts as codec_error, apart from values that can't be encoded", async () => {
    const throwing: Codec = {
      name: 'throwing',
      encode(value, pids) {
        if ((value as { m?: unknown }).m === 'boom') throw new TypeError('boom');
        return jsonCodec.encode(value, pids);
      },
      decode(bytes, pids) {
        if (bytes.byteLength === 1) throw new TypeError('one byte');
        return jsonCodec.decode(bytes, pids);
      },
    };
    const one = await clockedNode('one', { codec: throwing });
    const two = await clockedNode('two');
    await one.cluster.waitForNode('two', 10_000);
    expect(one.cluster.system.send({ name: 'x', node: 'two' }, 'boom')).toBe(false);
    one.cluster.connection.publish(`joerl.${name}.n.one`, new Uint8Array([1]));
    await one.cluster.connection.flush();
    const v = (labels: Labels) => one.telemetry.value('joerl_codec_errors_total', labels);
    expect([v({ direction: 'encode', reason: 'codec_error' }), v({ direction: 'decode', reason: 'codec_error' })]).toEqual([1, 1]);
    expect([v({ direction: 'encode', reason: 'unencodable' }), v({ direction: 'decode', reason: 'malformed' })]).toEqual([0, 0]);
    expect(one.telemetry.value('joerl_remote_send_failures_total', { peer: 'two', reason: 'encode' })).toBe(1);
    await one.cluster.leave();
    await two.cluster.leave();
  });
});

describe('the transport (exact)', () => {
  it('a NATS restart is one disconnection and one reconnect', async () => {
    const nats = await NatsServer.start();
    const t = quietTelemetry();
    const node = await joinCluster(new ActorSystem({ logger: null, instrumentation: t }), { servers: nats.url, cluster: clusterName(), node: 'solo', logger: null, globalNames: false, reconnectTimeWait: 50 });
    try {
      expect([t.value('joerl_cluster_transport_connected'), t.value('joerl_cluster_transport_reconnects_total')]).toEqual([1, 0]);
      const statuses = node.connection.status()[Symbol.asyncIterator]();
      const next = async (type: string): Promise<void> => {
        for (;;) {
          const s = await statuses.next();
          if (s.done === true) throw new Error(`the connection closed before a ${type}`);
          if (s.value.type === type) return;
        }
      };
      await nats.stop();
      await within(next('disconnect'), 10_000, 'the disconnection');
      expect(t.value('joerl_cluster_transport_connected')).toBe(0);
      await nats.restart();
      await within(next('reconnect'), 20_000, 'the reconnection');
      expect([t.value('joerl_cluster_transport_connected'), t.value('joerl_cluster_transport_reconnects_total')]).toEqual([1, 1]);
    } finally {
      await node.leave();
      await nats.dispose();
    }
  });
});
