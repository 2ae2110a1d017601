import { type ActorSystem, type Distribution, type DistributionEvents, RemoteNode } from '@joerl/core';

/**
 * The scripted workload every backend's conformance test runs: the same actors, messages, crashes
 * and failed sends, so each adapter's decoded values can be compared with `telemetry.collect()`.
 * Resolves once everything has been handled. Deterministic in counts (not in timings).
 *
 * What it does, per run:
 * - `conformance_worker` ×3: 40 messages each (120 sent, 120 processed);
 * - `conformance_crasher` ×2: each handles 2 messages, the 2nd throws (2 panics, 2 error exits);
 * - `conformance_tiny` ×1 (capacity 2): 5 sends before it runs → 2 sent, 3 `mailbox_full`;
 * - 4 sends to the dead crashers (`noproc`), 1 link, 1 monitor; the other actors stay alive;
 * - with an instrumentation that takes distribution events, the traffic of a node with two peers
 *   ({@link scriptedClusterTraffic}).
 */
export async function scriptedWorkload(system: ActorSystem): Promise<void> {
  const workers = [0, 1, 2].map(() => system.spawn<number>(() => {}, { type: 'conformance_worker' }));
  const first = workers[0] as (typeof workers)[number];
  for (let i = 0; i < 40; i++) for (const w of workers) w.send(i);
  const crashers = [0, 1].map(() =>
    system.spawn<number>((n) => {
      if (n === 2) throw new Error('scripted crash');
    }, { type: 'conformance_crasher' }),
  );
  const exits = crashers.map((c) => system.join(c));
  for (const c of crashers) {
    c.send(1);
    c.send(2);
  }
  const tiny = system.spawn<number>(() => {}, { type: 'conformance_tiny', mailbox: { capacity: 2 } });
  for (let i = 0; i < 5; i++) tiny.send(i);
  const linked = system.spawn<number>(() => {}, { type: 'conformance_worker', link: first });
  system.monitor(linked, () => {});
  await Promise.all(exits);
  for (const c of crashers) {
    c.send(3);
    c.send(4);
  }
  await system.idle();
  const events = system.instrumentation?.distribution;
  if (events !== undefined && events !== null) scriptedClusterTraffic(system, events);
}

const lastPeers = new WeakMap<ActorSystem, readonly RemoteNode[]>();

/**
 * What a node with peers `conformance-a` and `conformance-b` reports in one run, fed straight to
 * the instrumentation's distribution events (the cluster tests measure the same on real NATS):
 * transport connected, both peers up (a run after the first restarts them: down `restarted`,
 * then up); to a: 3 messages of 100 bytes and a 40-byte signal sent, 2 messages of 120 bytes
 * received (queue wait 2 ms), 2 round trips of 0.4 ms, an encode failure, a call answered by
 * type `conformance_server`; from b: a 60-byte signal, 3 heartbeats missed, then down, and a send
 * to it failing `node_down`; a `no_route` failure, a malformed frame; a disconnection and reconnect.
 */
export function scriptedClusterTraffic(system: ActorSystem, events: DistributionEvents): void {
  events.transport('connected');
  for (const old of lastPeers.get(system) ?? []) events.nodeDown(old, 'restarted');
  const creation = (lastPeers.get(system)?.[0]?.creation ?? 0) + 1;
  const a = new RemoteNode('conformance-a', creation, 1);
  const b = new RemoteNode('conformance-b', creation, 2);
  lastPeers.set(system, [a]);
  events.nodeUp(a);
  events.nodeUp(b);
  for (let i = 0; i < 3; i++) events.remoteSent(a, 100, true);
  events.remoteSent(a, 40, false);
  for (let i = 0; i < 2; i++) events.remoteReceived(a, 120, true, 0.002);
  events.remoteReceived(b, 60, false, Number.NaN);
  events.heartbeatRtt(a, 0.0004);
  events.heartbeatRtt(a, 0.0004);
  events.remoteSendFailed(a, 'encode');
  events.codecError('encode', 'unencodable');
  const call = events.remoteCallStarted(a, null);
  events.remoteCallEnded(a, call, 'conformance_server', 'ok');
  events.heartbeatsMissed(b, 3);
  events.nodeDown(b, 'heartbeat_timeout');
  events.remoteSendFailed(b, 'node_down');
  events.remoteSendFailed(null, 'no_route');
  events.codecError('decode', 'malformed');
  events.transport('disconnected');
  events.transport('reconnected');
}

/**
 * A distribution that only names the node and reaches nobody: enough for a system to be a node
 * of a cluster, for tests of how backends label a node's metrics (`system.setDistribution(...)`).
 */
export function namedNode(node: string): Distribution {
  return {
    node,
    creation: 1,
    send: () => false,
    link: () => undefined,
    unlink: () => undefined,
    exit: () => false,
    monitor: () => undefined,
    demonitor: () => false,
    call: () => Promise.reject(new Error(`node ${node} reaches no other node`)),
    cast: () => false,
    stop: () => Promise.reject(new Error(`node ${node} reaches no other node`)),
    remoteLinks: () => [],
    remoteMonitors: () => [],
  };
}
