/**
 * Every core of one machine: nodes as `worker_threads` of one process.
 *
 * @module
 */
import { isMainThread, Worker, workerData, type WorkerOptions } from 'node:worker_threads';
import { InvalidConfigError } from '@joerl/core';

/** Options of {@link startWorkerNodes}. */
export interface WorkerNodesOptions {
  /** How many worker nodes (e.g. `os.availableParallelism() - 1`). */
  readonly count: number;
  /** The module each worker runs: it calls `joinCluster` itself, naming its node from {@link workerNode}. */
  readonly entry: string | URL;
  /** Passed to every worker as `workerNode().data` (structured-cloned). */
  readonly data?: unknown;
  /** Passed to each `new Worker` (e.g. `execArgv`, `resourceLimits`, `env`). */
  readonly workerOptions?: Omit<WorkerOptions, 'workerData'>;
}

/** The running workers. */
export interface WorkerNodes {
  readonly workers: readonly Worker[];
  /** Resolves once every worker has exited: a worker that errored rejects it. */
  readonly exited: Promise<void>;
  /** Stops every worker (their nodes go down for the rest of the cluster) and resolves once they exited. */
  terminate(): Promise<void>;
}

interface WorkerNodeData {
  readonly '@joerl/worker-node': { readonly index: number; readonly count: number; readonly data: unknown };
}

/**
 * Starts `count` worker threads, each running `entry`, which joins the cluster as a node of its
 * own (its own event loop, so its own core). The main thread is usually a node too.
 *
 * @throws InvalidConfigError for a count that is not a positive integer.
 * @example
 * ```ts
 * const pool = startWorkerNodes({ count: 3, entry: new URL('./worker.js', import.meta.url), data: { servers } });
 * // in worker.js: const { index, data } = workerNode()!; await joinCluster(system, { servers: data.servers, node: `worker-${index}` });
 * await pool.terminate();
 * ```
 * @since 0.1.0
 */
export function startWorkerNodes(options: WorkerNodesOptions): WorkerNodes {
  const { count, entry, data, workerOptions } = options;
  if (!Number.isInteger(count) || count < 1) throw new InvalidConfigError('count', count, 'a positive integer');
  const workers: Worker[] = [];
  for (let index = 0; index < count; index++) {
    const payload: WorkerNodeData = { '@joerl/worker-node': { index, count, data } };
    workers.push(new Worker(entry, { ...workerOptions, workerData: payload }));
  }
  const exited = Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          w.once('error', reject);
          w.once('exit', () => resolve());
        }),
    ),
  ).then(() => undefined);
  return {
    workers,
    exited,
    async terminate() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/**
 * Inside a worker started by {@link startWorkerNodes}: its index (0-based), the count, and the
 * `data` given. Null elsewhere.
 * @since 0.1.0
 */
export function workerNode(): { readonly index: number; readonly count: number; readonly data: unknown } | null {
  if (isMainThread) return null;
  const d = (workerData as Partial<WorkerNodeData> | null)?.['@joerl/worker-node'];
  return d ?? null;
}
