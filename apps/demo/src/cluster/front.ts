/**
 * `demo:cluster` as a library: the order service across 3 nodes on a nats-server it starts on
 * loopback. This process is the front end (`front`: API, load, rate limiter, audit log, orders);
 * `stock` (inventory) and `pay` (payments_sup → payment) are separate processes that the front
 * end's `nodes_sup` keeps running. Orders call `{ name: 'inventory', node: 'stock' }` and
 * `{ name: 'payment', node: 'pay' }`.
 *
 * Why processes rather than worker threads: killing a node is then `kill -9` of a process, as a
 * crashed machine or container is in production: its NATS connection drops without a goodbye,
 * and only the heartbeats notice. Each node has its own heap, event loop and `/metrics` port,
 * scraped separately, the Prometheus way.
 */
import { EventEmitter } from 'node:events';
import type { Server, ServerResponse } from 'node:http';
import type { Cluster, NodeEvent } from '@joerl/cluster';
import { CalleeExitedError, GenServer, Supervisor } from '@joerl/gen';
import { NatsServer } from '@joerl/test-utils';
import { type App, start } from 'joerl';
import { DEFAULT_FAULTS, type Faults } from '../faults.js';
import { apiHandler, json, listenApi } from '../http-api.js';
import { type LoadGenerator, startLoad } from '../load.js';
import { type Shop, startShop } from '../orders/tree.js';
import { type LaunchedNode, NodeLauncher } from './node-launcher.js';
import { type KeeperCall, keeperChild } from './node-keeper.js';
import { CLUSTER, DEFAULT_METRICS_PORTS, DEMO_HEARTBEAT, FRONT, SERVICE_NODES, type ServiceNode } from './settings.js';

export interface ClusterDemoOptions {
  /** HTTP API port (default 8080; 0 picks a free one). */
  readonly apiPort?: number;
  /** Prometheus ports of front, stock and pay (default {@link DEFAULT_METRICS_PORTS}; 0 picks free ones). */
  readonly metricsPorts?: Readonly<Record<typeof FRONT | ServiceNode, number>>;
  /** Orders the load generator places per second (default 20; 0 turns it off). */
  readonly ordersPerSecond?: number;
  /** Initial faults. */
  readonly faults?: Partial<Faults>;
  /** The node program and its Node flags (the tests run it from TypeScript sources). */
  readonly nodeProgram?: { readonly entry: URL; readonly execArgv: readonly string[] };
}

/** What the front end knows of one service node. */
export interface NodeStatus {
  readonly node: ServiceNode;
  readonly up: boolean;
  /** How many incarnations the front end has seen come up. */
  readonly incarnations: number;
  /** Why it last went down, if it did. */
  readonly lastDown: string | null;
  /** Its Prometheus endpoint (of its current or last incarnation). */
  readonly metrics: string;
  /** Its process id (of its current or last incarnation), 0 before it started. */
  readonly pid: number;
}

/** What a {@link ClusterDemo} emits, for whoever watches it (the smoke test). */
export interface ClusterDemoEvents {
  /** An order entered a state. */
  order: [id: string, state: string];
  /** A service node came up or went down, as the front end saw it. */
  node: [event: NodeEvent];
  /** A node keeper finished starting its node (process `pid`): the node is up and linked to. */
  started: [node: ServiceNode, pid: number];
}

/** Counters of what the cluster did, for the summary. */
export interface ClusterCounters {
  nodeDowns: number;
  nodeUps: number;
  /** Calls from orders that failed with reason `noconnection` (their node was down). */
  noconnection: number;
}

export interface ClusterDemo {
  readonly app: App;
  readonly cluster: Cluster;
  readonly nats: NatsServer;
  readonly shop: Shop;
  readonly load: LoadGenerator | null;
  readonly faults: Faults;
  readonly counters: ClusterCounters;
  /** Orders entering states, nodes going up and down. */
  readonly events: EventEmitter<ClusterDemoEvents>;
  readonly urls: {
    readonly api: string;
    readonly nats: string;
    /** Each node's own Prometheus endpoint. */
    readonly metrics: Readonly<Record<typeof FRONT | ServiceNode, string>>;
    /** One endpoint for every node's series (worker-thread aggregation); null: these nodes are processes, scraped one by one. */
    readonly aggregated: string | null;
  };
  /** The service nodes, as the front end sees them now. */
  nodes(): NodeStatus[];
  /** The fault switch: `kill -9` of a service node's process. False if it is not running. */
  killNode(node: ServiceNode): Promise<boolean>;
  /** Stops everything: load, API, the supervision tree (which stops the node processes), the cluster, nats-server. */
  stop(): Promise<void>;
}

export async function startClusterDemo(options: ClusterDemoOptions = {}): Promise<ClusterDemo> {
  const faults: Faults = { ...DEFAULT_FAULTS, ...options.faults };
  const ports = options.metricsPorts ?? DEFAULT_METRICS_PORTS;
  const nats = await NatsServer.start();
  let app: App;
  try {
    app = await start({
      service: 'joerl-demo-front',
      env: { JOERL_TELEMETRY: 'prometheus' },
      system: { logger: null }, // crashes are injected on purpose: count them, do not print them
      telemetry: { sampling: { timing: 0.05 } },
      prometheus: { port: ports.front, defaultMetrics: true },
      health: false,
      cluster: { servers: nats.url, node: FRONT, cluster: CLUSTER, ...DEMO_HEARTBEAT, logger: null },
      logger: null,
    });
  } catch (error) {
    await nats.dispose();
    throw error;
  }
  const cluster = app.cluster as unknown as Cluster;
  const counters: ClusterCounters = { nodeDowns: 0, nodeUps: 0, noconnection: 0 };
  const events = new EventEmitter<ClusterDemoEvents>();
  const status = new Map<ServiceNode, { up: boolean; incarnations: number; lastDown: string | null; metrics: string; pid: number }>();
  for (const node of SERVICE_NODES) {
    status.set(node, { up: false, incarnations: 0, lastDown: null, metrics: ports[node] === 0 ? '' : `http://127.0.0.1:${ports[node]}/metrics`, pid: 0 });
    cluster.monitorNode(node, (event: NodeEvent) => {
      const s = status.get(node)!;
      if (event.kind === 'nodeup') {
        counters.nodeUps++;
        s.up = true;
        s.incarnations++;
      } else {
        counters.nodeDowns++;
        s.up = false;
        s.lastDown = event.reason;
      }
      events.emit('node', event);
    });
  }
  const launcher = new NodeLauncher({
    servers: nats.url,
    metricsPorts: { stock: ports.stock, pay: ports.pay },
    faults,
    ...(options.nodeProgram === undefined ? {} : { entry: options.nodeProgram.entry, execArgv: options.nodeProgram.execArgv }),
  });
  const launched = (l: LaunchedNode): void => {
    const s = status.get(l.node)!;
    s.metrics = l.metrics;
    s.pid = l.process.pid ?? 0;
    events.emit('started', l.node, s.pid);
  };
  const nodesSup = Supervisor.childSpec(
    // A node that keeps dying is given up on after 10 restarts in a minute (then shop_sup restarts nodes_sup).
    { strategy: 'one_for_one', intensity: 10, periodMs: 60_000, children: SERVICE_NODES.map((node) => keeperChild(node, cluster, launcher, launched)) },
    { id: 'nodes_sup', type: 'nodes_sup', name: 'nodes_sup' },
  );

  let shop: Shop;
  try {
    shop = await startShop(app.system, {
      faults,
      admitPerSecond: 60,
      lingerMs: 2000,
      remote: { inventoryNode: 'stock', paymentNode: 'pay', nodes: nodesSup },
      orderEntered: (id, state) => events.emit('order', id, state),
      callFailed: (_service, error) => {
        if (error instanceof CalleeExitedError && error.reason.kind === 'noconnection') counters.noconnection++;
      },
    });
  } catch (error) {
    await app.shutdown();
    await launcher.stopAll();
    await nats.dispose();
    throw error;
  }

  const keeper = (node: ServiceNode) => GenServer.named<KeeperCall>(app.system, `keeper_${node}`);
  const isNode = (name: string | undefined): name is ServiceNode => (SERVICE_NODES as readonly string[]).includes(name ?? '');
  const killNode = async (node: ServiceNode): Promise<boolean> => keeper(node).call({ kind: 'kill' }, { timeoutMs: 1000 }).catch(() => false);
  const nodes = (): NodeStatus[] => SERVICE_NODES.map((node) => ({ node, ...status.get(node)! }));

  const routes = async (parts: readonly string[], method: string, res: ServerResponse): Promise<boolean> => {
    if (parts[0] !== 'nodes') return false;
    if (parts.length === 1 && method === 'GET') json(res, 200, nodes());
    else if (parts.length === 3 && parts[2] === 'kill' && isNode(parts[1]) && method === 'POST') {
      const killed = await killNode(parts[1]);
      json(res, killed ? 202 : 409, killed ? { killed: parts[1], watch: 'node-down within 2 s, then nodes_sup restarts its keeper, which starts a new incarnation' } : { error: `${parts[1]} is not running now` });
    } else return false;
    return true;
  };
  const api: Server = await listenApi(
    apiHandler(app.system, shop, faults, () => help(urls), { routes, faultsChanged: (f) => launcher.tell({ kind: 'faults', faults: { ...f } }) }),
    options.apiPort ?? 8080,
    '127.0.0.1',
  );
  const rate = options.ordersPerSecond ?? 20;
  const load = rate > 0 ? startLoad(app.system, shop, faults, rate) : null;
  const metrics = {
    front: app.urls.metrics ?? '',
    get stock() {
      return status.get('stock')!.metrics;
    },
    get pay() {
      return status.get('pay')!.metrics;
    },
  };
  const urls = { api: `http://127.0.0.1:${(api.address() as { port: number }).port}`, nats: nats.url, metrics, aggregated: null };

  let stopping: Promise<void> | null = null;
  return {
    app,
    cluster,
    nats,
    shop,
    load,
    faults,
    counters,
    events,
    urls,
    nodes,
    killNode,
    stop() {
      stopping ??= (async () => {
        load?.stop();
        await new Promise<void>((resolve) => api.close(() => resolve()));
        // The tree stops in reverse order: orders, then nodes_sup (each keeper stops its node), then the rest.
        await app.shutdown({ timeoutMs: 8000 });
        await launcher.stopAll(); // whatever a killed keeper left behind
        await nats.dispose();
      })();
      return stopping;
    },
  };
}

function help(urls: ClusterDemo['urls']): string {
  return `joerl demo:cluster: the order service across 3 nodes (front, stock, pay)

  POST ${urls.api}/orders              {"sku":"mug","qty":2}
  GET  ${urls.api}/orders/<id>
  GET  ${urls.api}/nodes               the service nodes: up, incarnations, metrics URL
  POST ${urls.api}/nodes/pay/kill      the fault switch: kill -9 a node (stock or pay)
  GET  ${urls.api}/faults              POST it {"crashRate":0.2,"slowMs":250}

  metrics front ${urls.metrics.front}
          stock ${urls.metrics.stock}
          pay   ${urls.metrics.pay}
`;
}
