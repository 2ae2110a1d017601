/**
 * The cluster side of telemetry: core's {@link DistributionEvents}, counted per peer node, and the
 * trace context that crosses nodes (handed to {@link Tracing}).
 *
 * @module
 */
import {
  type ActorHandle,
  CODEC_ERROR_REASONS,
  type CodecDirection,
  type CodecErrorReason,
  type CallOutcome,
  type DistributionEvents,
  REMOTE_SEND_FAILURES,
  type RemoteNode,
  type RemoteSendFailure,
  type RemoteTrace,
  type TransportEvent,
} from '@joerl/core';
import { CALL_BUCKETS, MESSAGE_BUCKETS, RTT_BUCKETS, SIZE_BUCKETS } from './catalog.js';
import { Histogram, inc } from './histogram.js';
import { LabelCap } from './label-cap.js';
import { UNKNOWN_TYPE } from './reserved-labels.js';
import type { CallToken } from './trace-state.js';
import type { Tracing } from './tracing.js';
import type { BucketOverrides } from './type-stats.js';

/** The index of each send failure reason in {@link PeerStats.sendFailures}. */
const FAILURE_INDEX: Readonly<Record<RemoteSendFailure, number>> = Object.fromEntries(REMOTE_SEND_FAILURES.map((r, i) => [r, i])) as Record<RemoteSendFailure, number>;
/** The index of each codec error (direction × reason) in {@link ClusterHooks.codecErrors}. */
const CODEC_INDEX = (direction: CodecDirection, reason: CodecErrorReason): number => (direction === 'encode' ? 0 : 1) * CODEC_ERROR_REASONS.length + CODEC_ERROR_REASONS.indexOf(reason);
/** The codec errors that can happen, each with a series from the start. */
export const CODEC_ERRORS: readonly (readonly [CodecDirection, CodecErrorReason])[] = [
  ['encode', 'unencodable'],
  ['encode', 'codec_error'],
  ['decode', 'malformed'],
  ['decode', 'codec_error'],
];

/** @internal What this node counted of one peer node (every incarnation of its name). */
export class PeerStats {
  messagesSent = 0;
  messagesReceived = 0;
  bytesSent = 0;
  bytesReceived = 0;
  readonly sendFailures = new Float64Array(REMOTE_SEND_FAILURES.length);
  /** Incarnations of it up now: 0 or 1 for a peer of its own, how many for `(other)`. */
  up = 0;
  ups = 0;
  downs = 0;
  heartbeatsMissed = 0;
  readonly rtt: Histogram;
  readonly queueWait: Histogram;
  /** Remote call durations by the server's type. */
  readonly calls: LabelCap<Histogram>;
  /** Whether it was ever seen (a node of its own); `(unknown)` only collects failures. */
  seen = false;

  constructor(
    readonly peer: string,
    buckets: BucketOverrides,
    labelCap: number,
  ) {
    this.rtt = new Histogram(buckets.joerl_cluster_rtt_seconds ?? RTT_BUCKETS);
    this.queueWait = new Histogram(buckets.joerl_remote_message_queue_wait_seconds ?? MESSAGE_BUCKETS);
    const callBuckets = buckets.joerl_remote_call_duration_seconds ?? CALL_BUCKETS;
    this.calls = new LabelCap('type', labelCap, () => new Histogram(callBuckets));
  }
}

/** @internal The token of a remote call: when it started, and its client span if traced. */
class RemoteCallToken {
  constructor(
    readonly startedAt: number,
    readonly call: CallToken | undefined,
  ) {}
}

/**
 * @internal Telemetry's {@link DistributionEvents}: `telemetry.distribution`, which a cluster node
 * reads when it joins.
 */
export class ClusterHooks implements DistributionEvents {
  readonly peers: LabelCap<PeerStats>;
  /** failures of sends to nodes never seen */
  readonly unknown: PeerStats;
  readonly codecErrors = new Float64Array(2 * CODEC_ERROR_REASONS.length);
  readonly sentSizes: Histogram;
  readonly receivedSizes: Histogram;
  /** Whether a distribution ever reported: until then the system is a single node, with no cluster series. */
  attached = false;
  transportConnected = 0;
  reconnects = 0;

  constructor(
    private readonly tracing: Tracing | null,
    /** `clock.now()` of the system, in ms */
    private readonly now: () => number,
    private readonly spanSampled: () => boolean,
    buckets: BucketOverrides,
    labelCap: number,
  ) {
    this.peers = new LabelCap('peer', labelCap, (peer) => new PeerStats(peer, buckets, labelCap));
    this.unknown = new PeerStats(UNKNOWN_TYPE, buckets, labelCap);
    const sizes = buckets.joerl_remote_message_size_bytes ?? SIZE_BUCKETS;
    this.sentSizes = new Histogram(sizes);
    this.receivedSizes = new Histogram(sizes);
  }

  /** The stats of a peer incarnation, found once and kept in its `stats` slot. */
  private of(node: RemoteNode): PeerStats {
    let p = node.stats as PeerStats | undefined;
    if (p === undefined) {
      p = this.peers.get(node.name);
      p.seen = true;
      node.stats = p;
    }
    return p;
  }

  // hot: every frame sent to another node
  remoteSent(node: RemoteNode, bytes: number, message: boolean): void {
    const p = this.of(node);
    p.bytesSent += bytes;
    if (message) {
      p.messagesSent++;
      this.sentSizes.observe(bytes);
    }
  }

  // hot: every frame received from another node
  remoteReceived(node: RemoteNode, bytes: number, message: boolean, queueWaitSeconds: number): void {
    const p = this.of(node);
    p.bytesReceived += bytes;
    if (message) {
      p.messagesReceived++;
      this.receivedSizes.observe(bytes);
    }
    if (!Number.isNaN(queueWaitSeconds)) p.queueWait.observe(queueWaitSeconds);
  }

  remoteSendFailed(node: RemoteNode | null, reason: RemoteSendFailure): void {
    inc((node === null ? this.unknown : this.of(node)).sendFailures, FAILURE_INDEX[reason]);
  }

  codecError(direction: CodecDirection, reason: CodecErrorReason): void {
    inc(this.codecErrors, CODEC_INDEX(direction, reason));
  }

  /** @internal codec errors counted so far of one kind */
  codecErrorCount(direction: CodecDirection, reason: CodecErrorReason): number {
    return this.codecErrors[CODEC_INDEX(direction, reason)] as number;
  }

  nodeUp(node: RemoteNode): void {
    const p = this.of(node);
    p.up++;
    p.ups++;
  }

  nodeDown(node: RemoteNode, _reason: string): void {
    const p = this.of(node);
    p.up--;
    p.downs++;
  }

  transport(event: TransportEvent): void {
    this.attached = true;
    switch (event) {
      case 'connected':
        this.transportConnected = 1;
        return;
      case 'disconnected':
        this.transportConnected = 0;
        return;
      case 'reconnected':
        this.transportConnected = 1;
        this.reconnects++;
        return;
      default:
        event satisfies never;
    }
  }

  heartbeatsMissed(node: RemoteNode, count: number): void {
    this.of(node).heartbeatsMissed += count;
  }

  heartbeatRtt(node: RemoteNode, seconds: number): void {
    this.of(node).rtt.observe(seconds);
  }

  remoteCallStarted(node: RemoteNode, caller: ActorHandle | null): unknown {
    const call = this.tracing === null ? undefined : this.tracing.startRemoteCall(node.name, caller, this.spanSampled());
    return new RemoteCallToken(this.now(), call);
  }

  callTrace(token: unknown): RemoteTrace | undefined {
    const call = (token as RemoteCallToken).call;
    return call === undefined ? undefined : (this.tracing as Tracing).traceOf(call);
  }

  remoteCallEnded(node: RemoteNode, token: unknown, serverType: string | null, outcome: CallOutcome): void {
    const t = token as RemoteCallToken;
    this.of(node)
      .calls.get(serverType ?? UNKNOWN_TYPE)
      .observe((this.now() - t.startedAt) / 1000);
    if (t.call !== undefined) (this.tracing as Tracing).endCall(t.call, outcome);
  }

  traceOut(sender: ActorHandle | null): RemoteTrace | undefined {
    return this.tracing === null ? undefined : this.tracing.traceOut(sender);
  }

  traceIn(trace: RemoteTrace, call: boolean): unknown {
    return this.tracing === null ? undefined : this.tracing.traceIn(trace, call);
  }

  traceEnd(previous: unknown): void {
    if (this.tracing !== null) this.tracing.traceEnd(previous);
  }
}
