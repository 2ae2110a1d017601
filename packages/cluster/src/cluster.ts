/**
 * The handle a node gets from `joinCluster`: names, node monitoring, global names, remote spawn.
 *
 * @module
 */
import { type ActorSystem, InvalidArgumentError, isPid, type Pid, type RemotePid } from '@joerl/core';
import type { NatsConnection } from '@nats-io/transport-node';
import type { BehaviourFactory, ClusterNode, ClusterStats, NodeEvent } from './cluster-node.js';
import { ClusterUnavailableError } from './errors.js';
import type { GlobalNames } from './global-names.js';

/**
 * This node's membership of a cluster. Sends, links, monitors and `GenServer` calls to remote
 * pids need nothing from it (they go through the system as for local pids); it holds what is
 * specific to a cluster.
 *
 * @example
 * ```ts
 * const cluster = await joinCluster(system, { servers: 'nats://127.0.0.1:4222', node: 'orders-1' });
 * cluster.monitorNode('payments-1', (e) => console.log(e.kind, e.node));
 * await cluster.registerGlobal('order-book', pid);
 * ```
 * @since 0.1.0
 */
export class Cluster {
  /** The system that is this node. */
  readonly system: ActorSystem;
  /** The NATS connection (yours to read, e.g. its `status()`; `leave()` closes it). */
  readonly connection: NatsConnection;
  private readonly impl: ClusterNode;
  private readonly globals: GlobalNames | null;

  /** @internal made by `joinCluster`. */
  constructor(impl: ClusterNode, globals: GlobalNames | null) {
    this.impl = impl;
    this.system = impl.system;
    this.connection = impl.nc;
    this.globals = globals;
  }

  /** This node's name (Erlang's `node()`). */
  node(): string {
    return this.impl.node;
  }

  /** This node's incarnation (Erlang's creation): different each time a node joins. */
  get creation(): number {
    return this.impl.creation;
  }

  /** The other nodes that are up, sorted by name (Erlang's `nodes()`). */
  nodes(): string[] {
    return this.impl.nodes();
  }

  /**
   * Watches a node: `nodeup` when it comes up (or back), `nodedown` (with why) when it goes
   * down. `target` is a pid (sent the {@link NodeEvent} as a message, as Erlang's
   * `monitor_node`) or a function. Returns a function that stops watching.
   *
   * @throws InvalidArgumentError for a target that is neither.
   * @example
   * ```ts
   * const stop = cluster.monitorNode('b', (e) => { if (e.kind === 'nodedown') failover(); });
   * ```
   */
  monitorNode(node: string, target: Pid | ((event: NodeEvent) => void)): () => void {
    if (typeof node !== 'string') throw new InvalidArgumentError('monitorNode', 'node', node, 'a node name');
    if (typeof target === 'function') return this.impl.onNodeEvent(node, target);
    if (!isPid(target)) throw new InvalidArgumentError('monitorNode', 'target', target, 'a pid or a function');
    return this.impl.onNodeEvent(node, (event) => this.system.send(target, event));
  }

  /** Resolves once `node` is up (at once if it is); rejects after `timeoutMs` (default 10000). */
  waitForNode(node: string, timeoutMs = 10_000): Promise<void> {
    if (this.impl.isUp(node)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`node '${node}' did not come up within ${timeoutMs} ms`));
      }, timeoutMs);
      const stop = this.impl.onNodeEvent(node, (event) => {
        if (event.kind !== 'nodeup') return;
        clearTimeout(timer);
        stop();
        resolve();
      });
    });
  }

  /**
   * Lets other nodes spawn `factory(...args)` here under `name` ({@link Cluster.spawnOn}).
   * Behaviours cross the wire by name; closures never do. The name is also the actors' type.
   */
  registerBehaviour(name: string, factory: BehaviourFactory): void {
    if (typeof name !== 'string' || name.length === 0) throw new InvalidArgumentError('registerBehaviour', 'name', name, 'a non-empty string');
    if (typeof factory !== 'function') throw new InvalidArgumentError('registerBehaviour', 'factory', factory, 'a function returning a behaviour');
    this.impl.registerBehaviour(name, factory);
  }

  /**
   * Spawns the behaviour registered as `behaviour` on `node`, with `args`, and resolves with its
   * pid. Rejects with NodeDownError (node not up), UnknownBehaviourError, UnencodableError (args),
   * or RemoteSpawnError (the factory or spawn failed there, or no answer in time).
   */
  spawnOn(node: string, behaviour: string, args: readonly unknown[] = []): Promise<RemotePid> {
    return this.impl.spawnOn(node, behaviour, args, null);
  }

  /** As {@link Cluster.spawnOn}, linked to local actor `linkTo` before the new actor runs. */
  spawnLinkOn(linkTo: Pid, node: string, behaviour: string, args: readonly unknown[] = []): Promise<RemotePid> {
    if (!isPid(linkTo)) throw new InvalidArgumentError('spawnLinkOn', 'linkTo', linkTo, 'the pid of a local actor');
    return this.impl.spawnOn(node, behaviour, args, linkTo);
  }

  /**
   * Claims `name` for `pid` across the cluster. Resolves true if this call won the name, false if
   * it is taken. The name is released when the actor exits or its node goes down.
   * @throws InvalidNameError for a name that is not a valid NATS KV key, ClusterUnavailableError
   *   when global names are off (no JetStream, or `globalNames: false`).
   */
  registerGlobal(name: string, pid: Pid): Promise<boolean> {
    return this.names().register(name, pid);
  }

  /** The pid holding `name` across the cluster, or undefined. */
  whereisGlobal(name: string): Promise<Pid | undefined> {
    return this.names().whereis(name);
  }

  /** Releases `name`; true if it was held. */
  unregisterGlobal(name: string): Promise<boolean> {
    return this.names().unregister(name);
  }

  /** Every global name held now. */
  registeredGlobal(): Promise<string[]> {
    return this.names().registered();
  }

  /** Counters: messages, send failures by reason, malformed frames, per-peer traffic. */
  stats(): ClusterStats {
    return this.impl.stats();
  }

  /**
   * Leaves the cluster: other nodes see this one go down (reason `left`), its links and
   * monitors to other nodes fire with `noconnection`, and the NATS connection is drained and closed.
   */
  async leave(): Promise<void> {
    await this.impl.leave();
    await this.connection.drain().catch(() => undefined);
  }

  private names(): GlobalNames {
    if (this.globals === null) {
      throw new ClusterUnavailableError('global names are off', new Error('joinCluster({ globalNames: false }) or no JetStream on the NATS server (start it with -js)'));
    }
    return this.globals;
  }
}
