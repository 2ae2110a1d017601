/**
 * `joinCluster`: makes an actor system a node of a cluster over NATS.
 *
 * @module
 */
import { randomInt } from 'node:crypto';
import { type ActorSystem, formatValue, InvalidConfigError, type Logger } from '@joerl/core';
import { Kvm } from '@nats-io/kv';
import { connect, type NodeConnectionOptions } from '@nats-io/transport-node';
import { Cluster } from './cluster.js';
import { ClusterNode } from './cluster-node.js';
import { type Codec, jsonCodec } from './codec.js';
import { ClusterUnavailableError } from './errors.js';
import { GlobalNames } from './global-names.js';

/** How long a node may stay silent before the others consider it down (default). */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 5000;

/**
 * Options of {@link joinCluster}. Every other NATS connection option (authentication, TLS,
 * reconnect tuning...) passes through to `@nats-io/transport-node`'s `connect`.
 * @since 0.1.0
 */
export interface JoinOptions extends Omit<NodeConnectionOptions, 'servers' | 'name'> {
  /** The NATS server(s), e.g. `'nats://127.0.0.1:4222'`. */
  readonly servers: string | string[];
  /** This node's name: unique in the cluster; letters, digits, `_`, `-`, `@` (a NATS subject token). */
  readonly node: string;
  /** The cluster's name (default `'joerl'`): nodes of different clusters on one NATS server do not see each other. */
  readonly cluster?: string;
  /** How values cross the wire (default {@link jsonCodec}). */
  readonly codec?: Codec;
  /** A node silent for this long is down: its links and monitors fire with `noconnection` (default {@link DEFAULT_HEARTBEAT_TIMEOUT_MS}). */
  readonly heartbeatTimeoutMs?: number;
  /** How often this node says it is alive (default a quarter of the timeout). */
  readonly heartbeatMs?: number;
  /** How long `spawnOn` waits for the remote node's answer (default 5000 ms). */
  readonly spawnTimeoutMs?: number;
  /** Global names on NATS KV (default true: needs JetStream, `nats-server -js`). */
  readonly globalNames?: boolean;
  /** Where warnings go (default: the console; `null` for silence). */
  readonly logger?: Logger | null;
}

const TOKEN = /^[A-Za-z0-9_@-]{1,128}$/;

function positive(setting: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new InvalidConfigError(setting, value, 'a positive number of milliseconds');
  return value;
}

const consoleWarn: Logger = {
  warn: (m) => console.warn(`[joerl/cluster] ${m}`),
  error: (m) => console.error(`[joerl/cluster] ${m}`),
};

/**
 * Connects to NATS and makes `system` a node of the cluster: from then on, pids of other nodes
 * work with `send`, `link`, `monitor`, `exit` and `GenServer.call`/`cast` like local ones.
 *
 * @throws InvalidConfigError for bad options (synchronously, as a rejection); rejects with
 *   ClusterUnavailableError if NATS cannot be reached.
 * @example
 * ```ts
 * import { ActorSystem } from '@joerl/core';
 * import { joinCluster } from '@joerl/cluster';
 *
 * const system = new ActorSystem();
 * const cluster = await joinCluster(system, { servers: 'nats://127.0.0.1:4222', node: 'orders-1', cluster: 'shop' });
 * console.log(cluster.node(), cluster.nodes());
 * ```
 * @since 0.1.0
 */
export async function joinCluster(system: ActorSystem, options: JoinOptions): Promise<Cluster> {
  if (typeof options !== 'object' || options === null) throw new InvalidConfigError('joinCluster options', options, 'an object { servers, node, ... }');
  const { servers, node, cluster = 'joerl', codec = jsonCodec, heartbeatTimeoutMs, heartbeatMs, spawnTimeoutMs, globalNames = true, logger, ...nats } = options;
  if (typeof node !== 'string' || !TOKEN.test(node)) throw new InvalidConfigError('node', node, "a node name of 1-128 letters, digits, '_', '-' or '@'");
  if (typeof cluster !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(cluster)) throw new InvalidConfigError('cluster', cluster, "a cluster name of 1-64 letters, digits, '_' or '-'");
  if (typeof servers !== 'string' && !(Array.isArray(servers) && servers.every((s) => typeof s === 'string'))) {
    throw new InvalidConfigError('servers', servers, "a NATS server URL or a list of them, e.g. 'nats://127.0.0.1:4222'");
  }
  if (typeof codec?.encode !== 'function' || typeof codec.decode !== 'function') throw new InvalidConfigError('codec', codec, 'a Codec { name, encode, decode }');
  const timeout = positive('heartbeatTimeoutMs', heartbeatTimeoutMs, DEFAULT_HEARTBEAT_TIMEOUT_MS);
  const interval = positive('heartbeatMs', heartbeatMs, timeout / 4);
  if (interval >= timeout) throw new InvalidConfigError('heartbeatMs', interval, `less than heartbeatTimeoutMs (${timeout})`);
  const spawnTimeout = positive('spawnTimeoutMs', spawnTimeoutMs, 5000);
  const log = logger === undefined ? consoleWarn : logger;

  let nc;
  try {
    nc = await connect({ maxReconnectAttempts: -1, ...nats, servers, name: `joerl:${cluster}:${node}` });
  } catch (error) {
    throw new ClusterUnavailableError('cannot connect to NATS', error);
  }
  const impl = new ClusterNode(
    system,
    nc,
    { node, cluster, codec, heartbeatMs: interval, heartbeatTimeoutMs: timeout, spawnTimeoutMs: spawnTimeout, logger: log },
    randomInt(1, 2 ** 32 - 1),
  );
  let globals: GlobalNames | null = null;
  if (globalNames) {
    try {
      const kv = await new Kvm(nc).create(`joerl_${cluster}_names`, { history: 1 });
      globals = new GlobalNames(kv, impl);
    } catch (error) {
      log?.warn(`global names are off: NATS KV is unavailable (${formatValue(error)}); start nats-server with -js`);
    }
  }
  try {
    impl.start();
  } catch (error) {
    await nc.close();
    throw error;
  }
  void watchStatus(nc, impl);
  return new Cluster(impl, globals);
}

async function watchStatus(nc: Awaited<ReturnType<typeof connect>>, impl: ClusterNode): Promise<void> {
  for await (const s of nc.status()) {
    if (s.type === 'disconnect') impl.disconnected();
    else if (s.type === 'reconnect') impl.reconnected();
  }
}
