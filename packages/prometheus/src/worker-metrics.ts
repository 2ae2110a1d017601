/**
 * One scrape for nodes that are `worker_threads` of one process: each worker answers over its
 * message port with its telemetry's families and node name; the main thread's exporter gathers
 * them at each scrape and serves them next to its own, every sample labelled with its node (never
 * summed), as prom-client's `AggregatorRegistry` does for the `cluster` module. Separate
 * processes are scraped separately, the Prometheus way.
 *
 * The transport is injected: any pair of ports with `postMessage` and `on`/`off('message')`
 * (a `Worker` and the worker's `parentPort`, or a `MessageChannel`). This package knows nothing of
 * `@joerl/cluster`.
 *
 * @module
 */
import { InvalidConfigError, NO_NODE } from '@joerl/core';
import type { MetricFamily, Telemetry } from '@joerl/telemetry';

/**
 * The side of a message port this protocol uses: Node's `Worker`, `MessagePort` and
 * `parentPort` all have it.
 * @since 0.1.0
 */
export interface MetricsPort {
  postMessage(value: unknown): void;
  on(event: 'message', listener: (value: unknown) => void): unknown;
  off(event: 'message', listener: (value: unknown) => void): unknown;
}

/**
 * What one worker node reported at one scrape.
 * @since 0.1.0
 */
export interface NodeFamilies {
  /** The worker's node name (its samples' node label). */
  readonly node: string;
  readonly families: readonly MetricFamily[];
}

/**
 * Gathers every worker node's families, for {@link PrometheusOptions.workers}; a worker that does
 * not answer in time is left out of that scrape.
 * @since 0.1.0
 */
export type GatherWorkers = () => Promise<readonly NodeFamilies[]>;

/** The tag of this protocol's messages, so they never mix with a user's own. */
const TAG = '@joerl/prometheus';

/** How long a scrape waits for a worker's answer by default. */
export const DEFAULT_WORKER_TIMEOUT_MS = 2000;

interface Request {
  readonly [TAG]: 'gather';
  readonly id: number;
}

interface Reply {
  readonly [TAG]: 'families';
  readonly id: number;
  readonly node: string;
  readonly families: readonly MetricFamily[];
}

function tagged(value: unknown, kind: string): boolean {
  try {
    return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[TAG] === kind;
  } catch {
    return false; // not ours
  }
}

/**
 * In a worker node: answers the main thread's gathers on `port` (the worker's `parentPort`) with
 * `telemetry`'s families and its node name. Returns a function that stops answering.
 *
 * @throws InvalidConfigError for a port without `postMessage`/`on`/`off`.
 * @example
 * ```ts
 * import { parentPort } from 'node:worker_threads';
 * serveWorkerMetrics(telemetry, parentPort!);
 * ```
 * @since 0.1.0
 */
export function serveWorkerMetrics(telemetry: Telemetry, port: MetricsPort): () => void {
  checkedBy(() => checkPort(port, 'port'), 'port', port, 'a MessagePort (postMessage, on and off)');
  const listener = (value: unknown): void => {
    if (!tagged(value, 'gather')) return;
    let id: number;
    try {
      id = (value as Request).id;
    } catch {
      return; // a request that cannot be read
    }
    if (typeof id !== 'number') return;
    const node = telemetry.actorSystem?.nodeName ?? NO_NODE;
    let families: readonly MetricFamily[];
    try {
      families = telemetry.collect();
    } catch {
      families = [];
    }
    const reply: Reply = { [TAG]: 'families', id, node, families };
    port.postMessage(reply);
  };
  port.on('message', listener);
  return () => void port.off('message', listener);
}

/**
 * In the main thread: a {@link GatherWorkers} asking each of `ports` (the `Worker`s, e.g.
 * `startWorkerNodes(...).workers`) for its families at each scrape.
 *
 * @throws InvalidConfigError for a port without `postMessage`/`on`/`off`, or a bad timeout.
 * @example
 * ```ts
 * const pool = startWorkerNodes({ count: 3, entry });
 * prometheus({ telemetry, workers: gatherFromWorkers(pool.workers) });
 * ```
 * @since 0.1.0
 */
export function gatherFromWorkers(ports: readonly MetricsPort[], options: { readonly timeoutMs?: number } = {}): GatherWorkers {
  const checked = checkedBy(() => {
    if (!Array.isArray(ports)) throw new InvalidConfigError('ports', ports, 'an array of Workers or MessagePorts');
    const list: MetricsPort[] = [...(ports as readonly MetricsPort[])];
    list.forEach((p, i) => checkPort(p, `ports[${i}]`));
    return list;
  }, 'ports', ports, 'an array of Workers or MessagePorts');
  const timeoutMs = checkedBy(() => (typeof options === 'object' && options !== null ? options.timeoutMs : undefined) ?? DEFAULT_WORKER_TIMEOUT_MS, 'options', options, '{ timeoutMs }');
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw new InvalidConfigError('timeoutMs', timeoutMs, 'a positive number of milliseconds');
  let nextId = 1;
  const ask = (port: MetricsPort): Promise<NodeFamilies | null> =>
    new Promise((resolve) => {
      const id = nextId++;
      const done = (result: NodeFamilies | null): void => {
        clearTimeout(timer);
        port.off('message', listener);
        resolve(result);
      };
      const listener = (value: unknown): void => {
        try {
          if (!tagged(value, 'families') || (value as Reply).id !== id) return;
          const reply = value as Reply;
          done(typeof reply.node === 'string' && Array.isArray(reply.families) ? { node: reply.node, families: reply.families } : null);
        } catch {
          done(null); // an answer that cannot be read
        }
      };
      const timer = setTimeout(() => done(null), timeoutMs);
      port.on('message', listener);
      try {
        port.postMessage({ [TAG]: 'gather', id } satisfies Request);
      } catch {
        done(null); // an exited worker
      }
    });
  return async () => (await Promise.all(checked.map(ask))).filter((r): r is NodeFamilies => r !== null);
}

/** Runs a check; anything but an InvalidConfigError it throws (a revoked Proxy, a throwing getter) becomes one. */
function checkedBy<T>(check: () => T, setting: string, value: unknown, expected: string): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof InvalidConfigError) throw error;
    throw new InvalidConfigError(setting, value, expected);
  }
}

function checkPort(port: unknown, name: string): void {
  const p = port as Partial<MetricsPort> | null;
  if (typeof p !== 'object' || p === null || typeof p.postMessage !== 'function' || typeof p.on !== 'function' || typeof p.off !== 'function') {
    throw new InvalidConfigError(name, port, 'a Worker or MessagePort (postMessage, on and off)');
  }
}
