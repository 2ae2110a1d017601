/**
 * The cluster group of the catalog as telemetry counts it from core's DistributionEvents (the
 * cluster package's tests measure the same against real nodes on NATS).
 */
import { RemoteNode } from '@joerl/core';
import { describe, expect, it } from 'vitest';
import { OTHER } from '../src/index.js';
import { instrumented } from './helpers.js';

const cluster = (t: ReturnType<typeof instrumented>['telemetry']) => t.collect().filter((f) => f.def.group === 'cluster' && f.samples.length > 0);

describe('cluster metrics', () => {
  it('a single node has no cluster series, and no peer overflow series', () => {
    const { telemetry } = instrumented();
    expect(cluster(telemetry)).toEqual([]);
    const overflow = telemetry.collect().find((f) => f.def.name === 'joerl_telemetry_label_overflow_total');
    expect(overflow?.samples.map((s) => s.labels.label)).not.toContain('peer');
  });

  it('peers past the label cap fold into (other), counted; the node count still counts every peer up', () => {
    const { telemetry } = instrumented({ labelCap: 2 });
    const events = telemetry.distribution;
    events.transport('connected');
    const peers = ['a', 'b', 'c', 'd'].map((name, i) => new RemoteNode(name, 1, i + 1));
    for (const p of peers) events.nodeUp(p);
    for (const p of peers) events.remoteSent(p, 10, true);
    expect(telemetry.value('joerl_cluster_nodes')).toBe(5);
    expect([telemetry.value('joerl_cluster_peer_up', { peer: 'a' }), telemetry.value('joerl_cluster_peer_up', { peer: OTHER })]).toEqual([1, 2]);
    expect(telemetry.value('joerl_remote_messages_sent_total', { peer: OTHER })).toBe(2);
    expect(telemetry.value('joerl_telemetry_label_overflow_total', { label: 'peer' })).toBe(2);
    events.nodeDown(peers[3]!, 'heartbeat_timeout');
    expect([telemetry.value('joerl_cluster_nodes'), telemetry.value('joerl_cluster_peer_up', { peer: OTHER })]).toEqual([4, 1]);
  });

  it('a restarted peer (a new incarnation of its name) keeps one series: down for the old, up for the new', () => {
    const { telemetry } = instrumented();
    const events = telemetry.distribution;
    events.transport('connected');
    const first = new RemoteNode('a', 1, 1);
    events.nodeUp(first);
    events.nodeDown(first, 'restarted');
    events.nodeUp(new RemoteNode('a', 2, 1));
    expect(telemetry.value('joerl_cluster_peer_up', { peer: 'a' })).toBe(1);
    expect([telemetry.value('joerl_cluster_node_events_total', { peer: 'a', event: 'up' }), telemetry.value('joerl_cluster_node_events_total', { peer: 'a', event: 'down' })]).toEqual([2, 1]);
    expect(telemetry.collect().find((f) => f.def.name === 'joerl_cluster_peer_up')?.samples).toHaveLength(1);
  });

  it('a remote call is timed under the type its server reported, or (unknown) without an answer', () => {
    const { telemetry, clock } = instrumented();
    const events = telemetry.distribution;
    events.transport('connected');
    const a = new RemoteNode('a', 1, 1);
    events.nodeUp(a);
    const answered = events.remoteCallStarted(a, null);
    clock.advance(30);
    events.remoteCallEnded(a, answered, 'kv', 'ok');
    events.remoteCallEnded(a, events.remoteCallStarted(a, null), null, 'timeout');
    const h = telemetry.histogram('joerl_remote_call_duration_seconds', { type: 'kv', peer: 'a' });
    expect([h?.count, h?.sum]).toEqual([1, 0.03]);
    expect(telemetry.value('joerl_remote_call_duration_seconds', { type: '(unknown)', peer: 'a' })).toBe(1);
  });
});
