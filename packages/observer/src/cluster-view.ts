/**
 * The cluster view: when the observed system is a node of a cluster (`@joerl/cluster`, which
 * the observer never imports: it takes the cluster as a structurally typed option), the page
 * lists the nodes with their connection status, and every read-only view can show another node.
 * Each node's observer serves its views to the others through a named GenServer,
 * {@link OBSERVER_AGENT}, called over the cluster's distribution. Actions are never forwarded:
 * an action acts only on the node whose observer receives it.
 *
 * @module
 */
import { type ActorSystem, formatValue } from '@joerl/core';
import { GenServer, type ServerRef } from '@joerl/gen';

/** The registered name of the GenServer through which a node's observer serves its views to the other nodes. */
export const OBSERVER_AGENT = 'joerl_observer';
/** How long a view of another node may take, ms; then the page shows the error. */
export const REMOTE_VIEW_TIMEOUT_MS = 2000;

/**
 * A cluster membership, shaped like `@joerl/cluster`'s `Cluster` (only `node()` and `stats()`
 * are read), so the observer works without that package installed.
 * @since 0.1.0
 */
export interface ClusterSource {
  /** This node's name. */
  node(): string;
  stats(): { readonly peers: readonly { readonly node: string; readonly up: boolean; readonly framesSent?: number; readonly framesReceived?: number }[] };
}

/**
 * One node of the cluster, as the cluster view lists it.
 * @since 0.1.0
 */
export interface ClusterNodeView {
  readonly node: string;
  /** This observer's own node. */
  readonly self: boolean;
  /** Connected now (heartbeats arriving). */
  readonly up: boolean;
  /** Frames exchanged with it (null for this node). */
  readonly framesSent: number | null;
  readonly framesReceived: number | null;
}

/**
 * The cluster as `GET /api/cluster` returns it: `node` null when the system is not a node.
 * @since 0.1.0
 */
export interface ClusterView {
  readonly node: string | null;
  readonly nodes: readonly ClusterNodeView[];
}

/** @internal a read-only view of one node, by path (the same on every node) */
export type ViewRequest =
  | { readonly kind: 'overview' | 'tree' | 'state-machines' | 'crashes' }
  | { readonly kind: 'actors'; readonly query: string }
  | { readonly kind: 'actor' | 'trace'; readonly pid: number };

/** @internal a view's HTTP status and JSON body */
export interface ViewResult {
  readonly status: number;
  readonly body: unknown;
}

/** @internal the view a GET path names, or null */
export function viewOfPath(path: string, search: string): ViewRequest | null {
  switch (path) {
    case '/api/overview':
    case '/api/tree':
    case '/api/state-machines':
    case '/api/crashes':
      return { kind: path.slice(5) as 'overview' | 'tree' | 'state-machines' | 'crashes' };
    case '/api/actors':
      return { kind: 'actors', query: search };
    default: {
      const m = /^\/api\/(actors|traces)\/(\d{1,15})$/.exec(path);
      if (m === null) return null;
      return { kind: m[1] === 'actors' ? 'actor' : 'trace', pid: Number(m[2]) };
    }
  }
}

/** @internal a view request from another node (anything may arrive: checked like untrusted JSON) */
export function parseViewRequest(value: unknown): ViewRequest | null {
  if (typeof value !== 'object' || value === null) return null;
  try {
    const v = value as Record<string, unknown>;
    switch (v.kind) {
      case 'overview':
      case 'tree':
      case 'state-machines':
      case 'crashes':
        return { kind: v.kind };
      case 'actors':
        return typeof v.query === 'string' && v.query.length <= 2048 ? { kind: 'actors', query: v.query } : null;
      case 'actor':
      case 'trace':
        return typeof v.pid === 'number' && Number.isSafeInteger(v.pid) && v.pid >= 0 ? { kind: v.kind, pid: v.pid } : null;
      default:
        return null;
    }
  } catch {
    return null;
  }
}

/** @internal the nodes, this one first, then the others by name */
export function clusterView(cluster: ClusterSource | null, onError: (error: unknown) => void): ClusterView {
  if (cluster === null) return { node: null, nodes: [] };
  try {
    const self = String(cluster.node());
    const peers = cluster.stats().peers.filter((p) => p.node !== self);
    const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? n : null);
    return {
      node: self,
      nodes: [
        { node: self, self: true, up: true, framesSent: null, framesReceived: null },
        ...peers
          .map((p) => ({ node: String(p.node), self: false, up: p.up === true, framesSent: count(p.framesSent), framesReceived: count(p.framesReceived) }))
          .sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0)),
      ],
    };
  } catch (error) {
    onError(error);
    return { node: null, nodes: [] };
  }
}

/** @internal asks another node's observer for a view */
export async function remoteView(system: ActorSystem, node: string, request: ViewRequest): Promise<ViewResult> {
  const dist = system.distribution;
  if (dist === null) return { status: 404, body: { error: `unknown node '${formatValue(node, 100)}'` } };
  try {
    const result = (await dist.call({ name: OBSERVER_AGENT, node }, request, REMOTE_VIEW_TIMEOUT_MS, null)) as Partial<ViewResult> | null;
    if (typeof result !== 'object' || result === null || typeof result.status !== 'number') return { status: 502, body: { error: `node '${node}' answered something else than a view` } };
    return { status: result.status, body: result.body };
  } catch (error) {
    return { status: 502, body: { error: `node '${node}': ${formatValue(error, 300)}` } };
  }
}

/** @internal starts the agent serving this node's views to the others */
export async function startAgent(system: ActorSystem, serve: (request: ViewRequest) => Promise<ViewResult>): Promise<ServerRef<unknown>> {
  return GenServer.start(
    system,
    {
      type: OBSERVER_AGENT,
      init: () => GenServer.ok(null),
      handleCall: async (request: unknown, _from, state: null) => {
        const view = parseViewRequest(request);
        return GenServer.reply(view === null ? { status: 400, body: { error: 'not a view request' } } : await serve(view), state);
      },
    },
    null,
    { name: OBSERVER_AGENT },
  );
}
