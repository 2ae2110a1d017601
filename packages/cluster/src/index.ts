/**
 * `@joerl/cluster`: joerl nodes over NATS. Pids of other nodes work like local ones (send, link,
 * monitor, exit, `GenServer.call`); node-down fires `noconnection`; global names live in NATS KV;
 * behaviours registered by name can be spawned remotely.
 *
 * @packageDocumentation
 */
export { Cluster } from './cluster.js';
export type { BehaviourFactory, ClusterStats, NodeDownReason, NodeEvent, RemoteSendFailure } from './cluster-node.js';
export { type Codec, jsonCodec, MAX_DEPTH, type PidTranslator, type WirePid } from './codec.js';
export {
  ClusterUnavailableError,
  MalformedFrameError,
  NodeDownError,
  RemoteSpawnError,
  UnencodableError,
  UnknownBehaviourError,
} from './errors.js';
export { DEFAULT_HEARTBEAT_TIMEOUT_MS, joinCluster, type JoinOptions } from './join.js';
export type { PeerStats } from './peer.js';
export { startWorkerNodes, workerNode, type WorkerNodes, type WorkerNodesOptions } from './worker-nodes.js';
