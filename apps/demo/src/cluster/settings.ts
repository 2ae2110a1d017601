/**
 * What the nodes of `demo:cluster` share: their names, the cluster's, heartbeat timing, and the
 * configuration the front end hands each node process it starts.
 */
import type { Faults } from '../faults.js';

/** The cluster's name on the NATS server. */
export const CLUSTER = 'shop';

/** The order front end: API, load, orders, and the supervisor of the other nodes. */
export const FRONT = 'front';

/** The nodes the front end starts, and what each runs. */
export const SERVICE_NODES = ['stock', 'pay'] as const;
export type ServiceNode = (typeof SERVICE_NODES)[number];

/**
 * Heartbeats of the demo's nodes: a killed node is down within 2 s (the default is 5 s), so its
 * node-down, `noconnection` and the supervisors' reaction show up quickly in the summary.
 */
export const DEMO_HEARTBEAT = Object.freeze({ heartbeatMs: 250, heartbeatTimeoutMs: 2000 });

/** Prometheus ports of `pnpm demo:cluster` (front, stock, pay): fixed, so a restarted node keeps its URL. */
export const DEFAULT_METRICS_PORTS: Readonly<Record<typeof FRONT | ServiceNode, number>> = Object.freeze({ front: 9464, stock: 9467, pay: 9468 });

/** What a node process is started with (as JSON in argv). */
export interface NodeConfig {
  readonly servers: string;
  readonly node: ServiceNode;
  /** Its Prometheus port (0: a free one). */
  readonly metricsPort: number;
  readonly faults: Faults;
}

/** What a node process tells the front end over IPC. */
export type NodeReport = { readonly kind: 'ready'; readonly metrics: string; readonly creation: number };

/** What the front end tells a node process over IPC. */
export type NodeCommand = { readonly kind: 'faults'; readonly faults: Faults } | { readonly kind: 'stop' };
