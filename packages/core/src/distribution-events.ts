/**
 * What a distribution reports to instrumentation: traffic with each peer node, node and transport
 * events, heartbeat round trips, remote calls, codec errors, and the W3C trace context that
 * travels with remote messages.
 *
 * Core owns the interface, as it owns {@link Instrumentation}; a distribution (`@joerl/cluster`)
 * calls it, an instrumentation (`@joerl/telemetry`) implements it and exposes it as
 * {@link Instrumentation.distribution}. A distribution reads it once when it attaches: without
 * one, each event costs one `null` check.
 *
 * @module
 */
import type { RemoteNode } from './distribution.js';
import type { ActorHandle, CallOutcome } from './instrumentation.js';

/** Why a send to another node failed: a closed set, safe as a metric label. */
export type RemoteSendFailure =
  /** the message could not be encoded */
  | 'encode'
  /** the transport refused it (connection closed) */
  | 'publish'
  /** no node of that name was ever seen by this node */
  | 'no_route'
  /** the node is known but not up, or the pid is of an earlier incarnation */
  | 'node_down';

/** Every {@link RemoteSendFailure}. */
export const REMOTE_SEND_FAILURES: readonly RemoteSendFailure[] = Object.freeze(['encode', 'publish', 'no_route', 'node_down']);

/** Which way a codec failed. */
export type CodecDirection = 'encode' | 'decode';

/** Why a codec failed: a closed set. */
export type CodecErrorReason =
  /** encode: a value that cannot cross the wire (a function, a symbol, a cycle, too deep) */
  | 'unencodable'
  /** decode: bytes that are not a frame */
  | 'malformed'
  /** either way: the codec threw something else */
  | 'codec_error';

/** Every {@link CodecErrorReason}. */
export const CODEC_ERROR_REASONS: readonly CodecErrorReason[] = Object.freeze(['unencodable', 'malformed', 'codec_error']);

/** What happened to the connection to the transport (the NATS server). */
export type TransportEvent = 'connected' | 'disconnected' | 'reconnected';

/**
 * A W3C trace context, as it travels in a remote message's headers
 * (`traceparent`, and `tracestate` when there is one).
 * @since 0.1.0
 */
export interface RemoteTrace {
  readonly traceparent: string;
  readonly tracestate: string | undefined;
}

/**
 * The distribution's events, called synchronously by the distribution; implementations must not
 * throw. Every `node` is one incarnation of a peer; its {@link RemoteNode.stats} slot is the
 * implementation's, so per-peer state is found without a lookup by name.
 * @since 0.1.0
 */
export interface DistributionEvents {
  /**
   * A frame was handed to the transport for `node`. `message` is true for what an actor sent
   * (a message, a call, a reply, a cast), false for signals and control frames. `bytes` is the
   * encoded size.
   */
  remoteSent(node: RemoteNode, bytes: number, message: boolean): void;
  /**
   * A frame from `node` was decoded. `queueWaitSeconds` is, for a timestamped message, the time
   * from its send to now corrected by the estimated clock offset; NaN otherwise.
   */
  remoteReceived(node: RemoteNode, bytes: number, message: boolean, queueWaitSeconds: number): void;
  /** A send, call, cast or signal to another node failed; `node` is null for a node never seen. */
  remoteSendFailed(node: RemoteNode | null, reason: RemoteSendFailure): void;
  /** A codec failed (the frame was then not sent, or dropped). */
  codecError(direction: CodecDirection, reason: CodecErrorReason): void;
  /** `node` came up (first seen, or back after it was down). */
  nodeUp(node: RemoteNode): void;
  /** `node` went down; `reason` is the distribution's (e.g. `heartbeat_timeout`, `left`). */
  nodeDown(node: RemoteNode, reason: string): void;
  /** The connection to the transport changed. */
  transport(event: TransportEvent): void;
  /** `count` heartbeats of `node` did not arrive when expected. */
  heartbeatsMissed(node: RemoteNode, count: number): void;
  /** A heartbeat round trip to `node` took `seconds`. */
  heartbeatRtt(node: RemoteNode, seconds: number): void;
  /**
   * A `GenServer.call` to a server on `node` began; `caller` is null outside actors. Returns a
   * token handed back to {@link DistributionEvents.remoteCallEnded} and
   * {@link DistributionEvents.callTrace}.
   */
  remoteCallStarted(node: RemoteNode, caller: ActorHandle | null): unknown;
  /** The trace context the call's request carries, if it is traced. */
  callTrace(token: unknown): RemoteTrace | undefined;
  /** A remote call ended, as the caller saw it; `serverType` is the server's actor type when its node answered. */
  remoteCallEnded(node: RemoteNode, token: unknown, serverType: string | null, outcome: CallOutcome): void;
  /** The trace context a message `sender` (null outside actors) sends to another node carries, if any. Called by core on each remote send. */
  traceOut(sender: ActorHandle | null): RemoteTrace | undefined;
  /**
   * A message (or, with `call`, a call request) arrived with a trace context: what the system
   * does next, synchronously, continues that trace. Returns what {@link DistributionEvents.traceEnd} restores.
   */
  traceIn(trace: RemoteTrace, call: boolean): unknown;
  /** The arrival that {@link DistributionEvents.traceIn} began is handled. */
  traceEnd(previous: unknown): void;
}
