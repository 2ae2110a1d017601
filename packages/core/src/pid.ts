/**
 * Process identifiers, which are also the typed references actors are sent messages through.
 *
 * @module
 */
import type { SendAsyncOptions } from './actor-ref.js';
import type { ActorType } from './actor-type.js';
import type { RemoteNode } from './distribution.js';
import type { ActorProcess } from './process.js';
import type { ActorSystem } from './system.js';

const inspect = Symbol.for('nodejs.util.inspect.custom');

/**
 * A process identifier: opaque, comparable, printed the Erlang way (`<node.id.serial>`), and the
 * thing you send messages to. `Pid<M>` (also spelled {@link ActorRef}`<M>`) is a pid known to
 * accept messages of type `M`; a bare `Pid` accepts `unknown`.
 *
 * A pid names one actor for the whole life of its {@link ActorSystem}: it is never reused, so
 * holding the pid of a dead actor is safe (sends to it return `false`). There is exactly one
 * `Pid` object per actor, so `===` works; {@link Pid.equals} and {@link Pid.compare} exist for
 * code that prefers to be explicit.
 *
 * @typeParam M the messages the actor accepts.
 * @example
 * ```ts
 * const ref = system.spawn<number>((n) => console.log(n), { type: 'printer' });
 * String(ref);  // '<0.1.0>'
 * ref.send(42); // true
 * ```
 * @since 0.1.0
 */
export class Pid<M = unknown> {
  /** Unique within its node, never reused. */
  readonly id: number;
  /** @internal the live process, or null once it exited (sends fail fast). */
  proc: ActorProcess | null;
  /** The actor's type record, kept after it exited: a failed send or call can still be labelled with its type (instrumentation reads it). */
  readonly actorType: ActorType;

  /** @internal pids are minted by the actor system only. */
  constructor(id: number, proc: ActorProcess | null, actorType: ActorType) {
    this.id = id;
    this.proc = proc;
    this.actorType = actorType;
  }

  /** @internal the system that minted it */
  get system(): ActorSystem {
    return this.actorType.system;
  }

  /**
   * The number printed first: the local system's node id (local systems number from 0), or,
   * for a {@link RemotePid}, the index this node gave the pid's node.
   */
  get node(): number {
    return this.actorType.system.nodeId;
  }

  /** The name of the node the actor lives on (`'nonode@nohost'` for a system not in a cluster, as Erlang's `node(Pid)`). */
  get nodeName(): string {
    return this.actorType.system.nodeName;
  }

  /** The incarnation of that node (Erlang's *creation*): 0 for a system not in a cluster. */
  get creation(): number {
    return this.actorType.system.creation;
  }

  /** True for a pid of an actor on another node. */
  get isRemote(): boolean {
    return false;
  }

  /** Erlang's third pid field. Ids are never reused (they would wrap after 2^53 spawns), so it is always 0. */
  get serial(): number {
    return 0;
  }

  /** This pid (so a ref and a pid read alike: `ref.pid`). */
  get pid(): Pid<M> {
    return this;
  }

  /**
   * Sends a message. Returns false, and never throws, if the actor is dead or its mailbox
   * refused the message (see {@link OverflowPolicy}).
   */
  send(message: M): boolean {
    return this.system.send(this, message);
  }

  /**
   * Sends a message, waiting for room if the mailbox is full and its policy is `backpressure`.
   * Resolves true once enqueued; false if the actor is dead, the mailbox refused it, or the
   * timeout passed.
   */
  sendAsync(message: M, options?: SendAsyncOptions): Promise<boolean> {
    return this.system.sendAsync(this, message, options);
  }

  /** Whether the actor is alive (an actor that is exiting is not). */
  isAlive(): boolean {
    return this.system.isAlive(this);
  }

  /** True when both name the same process (same node name, incarnation, node number and id). */
  equals(other: Pid<unknown>): boolean {
    return (
      this === other ||
      (this.id === other.id && this.node === other.node && this.nodeName === other.nodeName && this.creation === other.creation)
    );
  }

  /** Orders pids as Erlang does: by node, then id. Returns a negative, zero or positive number. */
  static compare(a: Pid<unknown>, b: Pid<unknown>): number {
    const an = a.nodeName;
    const bn = b.nodeName;
    if (an !== bn) return an < bn ? -1 : 1;
    return a.creation - b.creation || a.node - b.node || a.id - b.id;
  }

  /** `<node.id.serial>`, e.g. `<0.42.0>`. */
  toString(): string {
    return `<${this.node}.${this.id}.0>`;
  }

  /** Pids serialize as their printed form. */
  toJSON(): string {
    return this.toString();
  }

  /** @internal */
  [inspect](): string {
    return `Pid${this.toString()}`;
  }
}

/**
 * The pid of an actor on another node. Made by a distribution (decoding a message, or a reply to
 * `spawnOn`), never by `spawn`; it prints with the index this node gave the remote node, e.g.
 * `<3.42.0>`. Sending to it goes through the system's {@link Distribution}. It keeps its node's
 * incarnation: after that node restarts, sends to it are dropped, as Erlang's are.
 * @since 0.1.0
 */
export class RemotePid<M = unknown> extends Pid<M> {
  /** The node incarnation the actor lives on. */
  readonly home: RemoteNode;

  /** @internal pids are minted by the distribution only; `actorType` is the local system's type for remote pids. */
  constructor(id: number, home: RemoteNode, actorType: ActorType) {
    super(id, null, actorType);
    this.home = home;
  }

  override get node(): number {
    return this.home.index;
  }

  override get nodeName(): string {
    return this.home.name;
  }

  override get creation(): number {
    return this.home.creation;
  }

  override get isRemote(): boolean {
    return true;
  }
}

/** True when `value` is a {@link Pid}. Never throws (a revoked Proxy is simply not a pid). */
// hot: resolves every send's destination
export function isPid(value: unknown): value is Pid {
  try {
    return value instanceof Pid;
  } catch {
    return false; // `instanceof` on a revoked Proxy throws
  }
}
