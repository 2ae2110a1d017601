/**
 * Reading the cluster metrics: one pass over the peers {@link ClusterHooks} counted.
 *
 * @module
 */
import { REMOTE_SEND_FAILURES } from '@joerl/core';
import { CODEC_ERRORS, type ClusterHooks, type PeerStats } from './cluster-hooks.js';
import type { Histogram } from './histogram.js';
import type { Labels } from './snapshot.js';

/** @internal */
export type Put = (name: string, labels: Labels, value: number) => void;
/** @internal */
export type PutHistogram = (name: string, labels: Labels, h: Histogram) => void;

/**
 * @internal The cluster families' samples. Nothing until a distribution reported (a single node
 * has no cluster series); then every peer ever seen has its counters and `up` from the start, a
 * failure reason once it occurred, histograms once observed.
 */
export function collectCluster(c: ClusterHooks, put: Put, hist: PutHistogram): void {
  if (!c.attached) return;
  let up = 0;
  const peers = c.peers.values();
  for (const p of peers) {
    const peer = { peer: p.peer };
    up += p.up;
    put('joerl_remote_messages_sent_total', peer, p.messagesSent);
    put('joerl_remote_messages_received_total', peer, p.messagesReceived);
    put('joerl_remote_sent_bytes_total', peer, p.bytesSent);
    put('joerl_remote_received_bytes_total', peer, p.bytesReceived);
    put('joerl_cluster_peer_up', peer, p.up);
    put('joerl_cluster_node_events_total', { peer: p.peer, event: 'up' }, p.ups);
    put('joerl_cluster_node_events_total', { peer: p.peer, event: 'down' }, p.downs);
    put('joerl_cluster_heartbeats_missed_total', peer, p.heartbeatsMissed);
    hist('joerl_cluster_rtt_seconds', peer, p.rtt);
    hist('joerl_remote_message_queue_wait_seconds', peer, p.queueWait);
  }
  for (const p of [...peers, c.unknown]) {
    failures(p, put);
    for (const [type, h] of p.calls.entries()) hist('joerl_remote_call_duration_seconds', { type, peer: p.peer }, h);
  }
  put('joerl_cluster_nodes', {}, 1 + up);
  put('joerl_cluster_transport_connected', {}, c.transportConnected);
  put('joerl_cluster_transport_reconnects_total', {}, c.reconnects);
  CODEC_ERRORS.forEach(([direction, reason]) => put('joerl_codec_errors_total', { direction, reason }, c.codecErrorCount(direction, reason)));
  hist('joerl_remote_message_size_bytes', { direction: 'sent' }, c.sentSizes);
  hist('joerl_remote_message_size_bytes', { direction: 'received' }, c.receivedSizes);
}

function failures(p: PeerStats, put: Put): void {
  REMOTE_SEND_FAILURES.forEach((reason, i) => {
    const n = p.sendFailures[i] as number;
    if (n > 0) put('joerl_remote_send_failures_total', { peer: p.peer, reason }, n);
  });
}
