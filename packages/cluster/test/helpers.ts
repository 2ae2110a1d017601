import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ActorSystem, type Pid, type RemotePid } from '@joerl/core';
import { afterAll, beforeAll } from 'vitest';
import { type Cluster, joinCluster, type JoinOptions } from '../src/index.js';

import { spawnProbe, within } from '../../test-utils/src/index.js';

export { deferred, freePort, hostileValue, spawnProbe, within } from '../../test-utils/src/index.js';
import { NatsServer } from './support/nats-server.js';

export { NatsServer };

/** Heartbeats in tests: a node silent for this long is down. */
export const HEARTBEAT_TIMEOUT_MS = 600;
export const HEARTBEAT_MS = 100;

let clusters = 0;
/** A fresh cluster name per suite, so suites sharing nothing never see each other's nodes. */
export function clusterName(): string {
  return `t${process.pid}_${++clusters}`;
}

/** A node in this process (of `system`, default a fresh one). */
export async function localNode(servers: string, cluster: string, node: string, options: Partial<JoinOptions> = {}, system = new ActorSystem({ logger: null })): Promise<Cluster> {
  return joinCluster(system, { servers, cluster, node, heartbeatMs: HEARTBEAT_MS, heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS, logger: null, ...options });
}

/** How often nodes beat, and how long silence means down. */
export interface Timing {
  readonly heartbeatMs: number;
  readonly heartbeatTimeoutMs: number;
}

/** The timing of most suites: node-down within a second. */
export const FAST: Timing = { heartbeatMs: HEARTBEAT_MS, heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS };

/** What an agent node runs with besides its cluster settings: its timing (default FAST), and telemetry. */
export interface AgentOptions extends Partial<Timing> {
  /** Telemetry as its instrumentation (read with the 'value' and 'histogram' commands). */
  readonly telemetry?: boolean;
}

/** A node in its own process, running test/support/node-agent.ts. */
export class AgentNode {
  readonly name: string;
  readonly process: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();
  readonly ready: Promise<{ creation: number }>;
  readonly exited: Promise<number | null>;

  constructor(servers: string, cluster: string, name: string, extra: AgentOptions = {}) {
    this.name = name;
    const agent = fileURLToPath(new URL('./support/node-agent.ts', import.meta.url));
    const register = new URL('./support/register-ts.mjs', import.meta.url).href;
    const config = { servers, cluster, node: name, ...FAST, ...extra };
    this.process = fork(agent, [JSON.stringify(config)], {
      execArgv: ['--conditions=@joerl/source', '--import', register],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exited = new Promise((resolve) => this.process.once('exit', (code) => resolve(code)));
    this.ready = new Promise((resolve, reject) => {
      this.process.once('exit', (code) => reject(new Error(`node ${name} exited (${code}) before it was ready`)));
      this.process.on('message', (raw) => {
        const msg = raw as { ready?: boolean; creation?: number; id?: number; result?: unknown };
        if (msg.ready === true) resolve({ creation: msg.creation as number });
        else if (typeof msg.id === 'number') {
          this.pending.get(msg.id)?.(msg.result);
          this.pending.delete(msg.id);
        }
      });
    });
  }

  /** Sends a command over IPC and resolves with the agent's answer. */
  command<T = unknown>(cmd: string, extra: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve) => {
      this.pending.set(id, resolve as (r: unknown) => void);
      this.process.send({ id, cmd, ...extra });
    });
  }

  /** `kill -9`, resolving once the process is gone. */
  async kill(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
    await this.exited;
  }
}

/** Starts agent nodes and waits until `observer` sees each of them up. */
export async function startAgents(observer: Cluster, servers: string, cluster: string, names: string[], options: AgentOptions = {}): Promise<AgentNode[]> {
  // The first one fills the transpile cache; the others then start in parallel from it.
  const first = new AgentNode(servers, cluster, names[0] as string, options);
  await first.ready;
  const agents = [first, ...names.slice(1).map((n) => new AgentNode(servers, cluster, n, options))];
  await Promise.all(agents.map((a) => a.ready));
  await Promise.all(names.map((n) => observer.waitForNode(n, 20_000)));
  return agents;
}

/** What one suite's cluster is made of: its nats-server, this process's node 'test', and agent nodes. */
export interface ClusterSuite {
  readonly nats: NatsServer;
  readonly me: Cluster;
  /** The agents; a test may push more (started with {@link startAgents}): all are killed after the suite. */
  readonly agents: AgentNode[];
}

/** How a suite's nodes are made. */
export interface SuiteOptions {
  /** The system of this process's node `'test'` (default a fresh, quiet one). */
  readonly system?: () => ActorSystem;
  /** The agents' options. */
  readonly agents?: AgentOptions;
  /** How every node of the suite beats (default FAST). */
  readonly timing?: Timing;
}

/**
 * Registers one suite's cluster: before it, a nats-server, this process as node `'test'`, and an
 * agent node per name (all beating at `timing`), handed to `ready`; after it, every agent killed, the node left and the
 * server stopped (whatever of it was started).
 */
export function clusterSuite(cluster: string, agentNames: string[], ready: (suite: ClusterSuite) => void, options: SuiteOptions = {}): void {
  let nats: NatsServer | undefined;
  let me: Cluster | undefined;
  const agents: AgentNode[] = [];
  beforeAll(async () => {
    nats = await NatsServer.start();
    const timing = options.timing ?? FAST;
    me = await localNode(nats.url, cluster, 'test', timing, options.system?.());
    if (agentNames.length > 0) agents.push(...(await startAgents(me, nats.url, cluster, agentNames, { ...timing, ...options.agents })));
    ready({ nats, me, agents });
  });
  afterAll(async () => {
    for (const a of agents) await a.kill();
    await me?.leave();
    await nats?.dispose();
  });
}

/** The pid of the agent actor `pong` on `node`, learnt from a pong (also a round trip that orders what `me` sent before). */
export async function pongOf(me: Cluster, node: string): Promise<RemotePid> {
  const probe = spawnProbe<{ self: Pid }>(me.system);
  me.system.send({ name: 'pong', node }, { ping: 0, from: probe.ref });
  const [reply] = await within(probe.waitForMessages(1), 10_000, `the pong of ${node}`);
  return reply!.self as RemotePid;
}
