/**
 * Starts service node processes for the front end, and makes sure none outlives it.
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { Faults } from '../faults.js';
import type { NodeCommand, NodeConfig, NodeReport, ServiceNode } from './settings.js';

/** A node process that reported ready. */
export interface LaunchedNode {
  readonly node: ServiceNode;
  readonly process: ChildProcess;
  /** Its Prometheus endpoint. */
  readonly metrics: string;
  /** Its incarnation in the cluster. */
  readonly creation: number;
}

export interface NodeLauncherOptions {
  readonly servers: string;
  /** The node program (default: node-main.js next to this file). */
  readonly entry?: URL;
  /** Node flags for it (default none; the tests pass the TypeScript loader). */
  readonly execArgv?: readonly string[];
  /** Prometheus port per node (0: a free one). */
  readonly metricsPorts: Readonly<Record<ServiceNode, number>>;
  /** The current faults, handed to each new node. */
  readonly faults: Faults;
}

/** How long a node process may take to join and report ready. */
const READY_TIMEOUT_MS = 30_000;

export class NodeLauncher {
  private readonly options: NodeLauncherOptions;
  /** Every process started and not yet exited. */
  private readonly running = new Set<ChildProcess>();

  constructor(options: NodeLauncherOptions) {
    this.options = options;
  }

  /** Starts `node` and resolves once it joined the cluster and serves its metrics. */
  launch(node: ServiceNode): Promise<LaunchedNode> {
    const { servers, metricsPorts, faults } = this.options;
    const config: NodeConfig = { servers, node, metricsPort: metricsPorts[node], faults: { ...faults } };
    const entry = this.options.entry ?? new URL('./node-main.js', import.meta.url);
    const child = fork(entry, [JSON.stringify(config)], { execArgv: [...(this.options.execArgv ?? [])], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.running.add(child);
    child.once('exit', () => this.running.delete(child));
    return new Promise<LaunchedNode>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`node ${node} did not start within ${READY_TIMEOUT_MS} ms`));
      }, READY_TIMEOUT_MS);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`node ${node} exited (${signal ?? code}) before it was ready`));
      });
      child.on('message', (raw) => {
        const report = raw as NodeReport;
        if (report.kind !== 'ready') return;
        clearTimeout(timer);
        resolve({ node, process: child, metrics: report.metrics, creation: report.creation });
      });
    });
  }

  /** Tells every running node process (e.g. new faults). */
  tell(command: NodeCommand): void {
    for (const child of this.running) if (child.connected) child.send(command);
  }

  /** Stops every node process still running: asked first, killed after `graceMs`. */
  async stopAll(graceMs = 3000): Promise<void> {
    await Promise.all([...this.running].map((child) => stopProcess(child, graceMs)));
  }
}

/** Asks a node process to stop (it shuts its system down), then kills it if it has not exited after `graceMs`. */
export function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.send({ kind: 'stop' } satisfies NodeCommand);
    else child.kill('SIGTERM');
  });
}
