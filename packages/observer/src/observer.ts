/**
 * `observer()`: the web UI and its JSON API over one actor system, as a `node:http` handler.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatValue } from '@joerl/core';
import { parseAction, runAction } from './actions.js';
import { actorDetail, findHandle } from './actor-detail.js';
import { actorsPage, parseActorsQuery } from './actors-table.js';
import { clusterView, remoteView, startAgent, type ViewRequest, type ViewResult, viewOfPath } from './cluster-view.js';
import { checkAction, hostName, SECURITY_HEADERS } from './http-security.js';
import { LiveUpdates } from './live-updates.js';
import { FlowRates } from './message-flow.js';
import { MessageRates } from './message-rates.js';
import { MessageTraces } from './message-trace.js';
import { listenObserver, type ObserverListenOptions, type ObserverServer } from './observer-server.js';
import { type ObserverOptions, resolveOptions } from './options.js';
import { OverviewSampler } from './overview.js';
import { stateMachines } from './state-machines.js';
import { SupervisionLog } from './supervision-log.js';
import { supervisionTree } from './supervision-tree.js';
import { UI_ASSETS } from './ui-assets.js';

/** Largest action body read, bytes. */
export const MAX_ACTION_BODY = 4096;

/**
 * A running observer.
 * @since 0.1.0
 */
export interface Observer {
  /** The request handler: mount it on a server of your own, or call {@link Observer.listen}. */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** Whether actions are enabled. */
  readonly actions: boolean;
  /** The token actions need (header `x-joerl-token`); print it only to the operator. */
  readonly token: string;
  /** Starts a server for {@link Observer.handler}, on loopback unless told otherwise. */
  listen(options: ObserverListenOptions): Promise<ObserverServer>;
  /** Stops live updates, closes servers started by `listen`, and detaches from telemetry (idempotent). */
  close(): Promise<void>;
}

let instances = 0;

/**
 * Creates the observer of a system: a live web UI of its supervision trees, actors, metrics and
 * state machines, with a JSON API under `/api/` and live updates over Server-Sent Events.
 * Read-only unless `actions: true`.
 *
 * @throws InvalidConfigError for bad options.
 * @example
 * ```ts
 * const obs = observer({ system, telemetry });
 * const server = await obs.listen({ port: 9466 });
 * console.log(`observer ${server.url}`);
 * ```
 * @since 0.1.0
 */
export function observer(options: ObserverOptions): Observer {
  const o = resolveOptions(options, () => randomBytes(32).toString('hex'));
  const log = new SupervisionLog(`observer-${++instances}`, () => Date.now());
  o.telemetry.addProvider(log);
  const sampler = new OverviewSampler(o.system, o.telemetry, log);
  const flow = new FlowRates();
  const rates = new MessageRates(o.system, o.intervalMs);
  const traces = new MessageTraces(o.system, o.telemetry, o.redact);
  let unwatchFlow: (() => void) | null = null;
  // The flow counts messages only while a page is open: nobody watching, nothing per message.
  const watching = (on: boolean) => {
    if (on && unwatchFlow === null) unwatchFlow = o.telemetry.watchMessageFlow();
    else if (!on && unwatchFlow !== null) {
      unwatchFlow();
      unwatchFlow = null;
    }
  };
  const servers = new Set<ObserverServer>();

  const health = async (): Promise<string | null> => {
    if (o.health === null) return null;
    try {
      return formatValue((await o.health.check()).status, 40);
    } catch {
      return 'unknown';
    }
  };
  const fresh = () => {
    const last = sampler.recent().at(-1);
    return last !== undefined && Date.now() - last.at < o.intervalMs ? last : sampler.sample();
  };
  const update = async () => {
    rates.refresh();
    const f = flow.sample(o.telemetry.messageFlow(), Date.now());
    return {
      overview: sampler.sample(),
      health: await health(),
      tree: await supervisionTree(o.system, log),
      stateMachines: stateMachines(o.telemetry),
      flow: f.edges,
      flowFolded: f.folded,
    };
  };
  const live = new LiveUpdates(o.intervalMs, o.maxClients, update, (error) => o.log(`observer: update failed: ${formatValue(error, 300)}`), watching);

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!o.allowedHosts.has(hostName(req))) return json(res, 421, { error: 'host not allowed' });
    const target = req.url ?? '/';
    // only origin-form targets: '//x' or 'http://x' would otherwise name another host to URL()
    if (!target.startsWith('/') || target.startsWith('//') || target.length > 2048) return json(res, 400, { error: "malformed request target: expected a path such as '/api/overview'" });
    let url: URL;
    try {
      url = new URL(target, 'http://observer.invalid');
    } catch {
      return json(res, 400, { error: "malformed request target: expected a path such as '/api/overview'" });
    }
    const path = url.pathname;
    if (req.method === 'POST' && path === '/api/actions') return action(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD, POST');
      return json(res, 405, { error: 'method not allowed' });
    }
    const asset = UI_ASSETS[path === '/' ? '/index.html' : path];
    if (asset !== undefined) {
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': asset.type });
      res.end(req.method === 'HEAD' ? undefined : asset.body);
      return;
    }
    if (path === '/api/events') {
      if (!live.add(res, SECURITY_HEADERS)) json(res, 503, { error: 'too many live-update clients' });
      return;
    }
    if (path === '/api/cluster') return json(res, 200, clusterView(o.cluster, clusterFailed));
    const view = viewOfPath(path, url.search);
    if (view === null) return json(res, 404, { error: 'not found' });
    const node = url.searchParams.get('node') ?? '';
    const here = node === '' || o.cluster === null || node === clusterView(o.cluster, clusterFailed).node;
    if (here) {
      const result = await localView(view);
      return json(res, result.status, result.body);
    }
    if (!clusterView(o.cluster, clusterFailed).nodes.some((n) => n.node === node)) return json(res, 404, { error: `unknown node '${formatValue(node, 100)}'` });
    const result = await remoteView(o.system, node, view);
    return json(res, result.status, result.body);
  };

  /** A read-only view of this node: for its own page, and for the other nodes' (through the agent). */
  const localView = async (view: ViewRequest): Promise<ViewResult> => {
    switch (view.kind) {
      case 'overview':
        return { status: 200, body: { overview: fresh(), history: sampler.recent(), health: await health(), actions: o.actions, intervalMs: o.intervalMs } };
      case 'tree':
        return { status: 200, body: await supervisionTree(o.system, log) };
      case 'actors':
        return { status: 200, body: actorsPage(o.system, rates, parseActorsQuery(new URLSearchParams(view.query))) };
      case 'state-machines':
        return { status: 200, body: stateMachines(o.telemetry) };
      case 'crashes':
        return { status: 200, body: log.recentCrashes(50) };
      case 'trace':
        // null, not 404: "never traced" is an answer, and a page asking for it is no error
        return { status: 200, body: traces.view(view.pid) ?? null };
      case 'actor': {
        const handle = findHandle(o.system, view.pid);
        const detail = handle === undefined ? undefined : actorDetail(o.system, log, handle);
        return detail === undefined ? { status: 404, body: { error: 'noproc' } } : { status: 200, body: detail };
      }
      default: {
        const never: never = view;
        return never;
      }
    }
  };
  let clusterReported = false;
  const clusterFailed = (error: unknown) => {
    if (clusterReported) return;
    clusterReported = true;
    o.log(`observer: the cluster option failed (reported once): ${formatValue(error, 300)}`);
  };
  // With a cluster, this node serves its views to the other nodes' observers.
  const agent =
    o.cluster === null
      ? null
      : startAgent(o.system, localView).catch((error: unknown) => {
          o.log(`observer: cannot serve this node's views to the cluster: ${formatValue(error, 300)}`);
          return null;
        });

  const action = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const refusal = checkAction(req, o.actions, o.token);
    if (refusal !== null) {
      req.resume();
      o.log(`observer: action refused (${refusal}) from ${formatValue(req.socket.remoteAddress ?? '?', 60)}`);
      return json(res, 403, { error: refusal });
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      req.resume();
      return json(res, 415, { error: 'expected application/json' });
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req, MAX_ACTION_BODY));
    } catch {
      return json(res, 400, { error: 'expected a JSON action' });
    }
    const act = parseAction(body);
    if (act === null) return json(res, 400, { error: 'unknown action' });
    const outcome = await runAction(o.system, traces, act);
    o.log(`observer: action ${outcome.ok ? outcome.detail : `${act.kind} failed: ${outcome.error}`}`);
    if (outcome.ok) return json(res, 200, { ok: true, detail: outcome.detail });
    return json(res, outcome.status, { error: outcome.error });
  };

  let closing: Promise<void> | null = null;
  return {
    handler(req, res) {
      route(req, res).catch((error: unknown) => {
        o.log(`observer: request failed: ${formatValue(error, 300)}`);
        if (!res.headersSent) json(res, 500, { error: 'internal error' });
        else res.end();
      });
    },
    actions: o.actions,
    token: o.token,
    async listen(listenOptions) {
      const server = await listenObserver(this.handler, listenOptions, o.actions ? `#token=${o.token}` : '');
      servers.add(server);
      return server;
    },
    close() {
      closing ??= (async () => {
        live.close();
        watching(false);
        traces.close();
        const ref = agent === null ? null : await agent;
        if (ref !== null) await ref.stop().catch(() => undefined);
        await Promise.all([...servers].map((s) => s.close()));
        await o.telemetry.removeProvider(log);
      })();
      return closing;
    },
  };
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
