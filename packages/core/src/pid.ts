/**
 * Process identifiers, which are also the typed references actors are sent messages through.
 *
 * @module
 */
import type { SendAsyncOptions } from './actor-ref.js';
import type { ActorType } from './actor-type.js';
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
  /** @internal the actor's type (and through it, its system), kept after exit so failed sends can still be labelled. */
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

  /** The node (actor system) this pid belongs to. Local systems number from 0. */
  get node(): number {
    return this.actorType.system.nodeId;
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

  /** True when both name the same process. */
  equals(other: Pid<unknown>): boolean {
    return this === other || (this.node === other.node && this.id === other.id);
  }

  /** Orders pids as Erlang does: by node, then id. Returns a negative, zero or positive number. */
  static compare(a: Pid<unknown>, b: Pid<unknown>): number {
    return a.node - b.node || a.id - b.id;
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

/** True when `value` is a {@link Pid}. Never throws (a revoked Proxy is simply not a pid). */
// hot: resolves every send's destination
export function isPid(value: unknown): value is Pid {
  try {
    return value instanceof Pid;
  } catch {
    return false; // `instanceof` on a revoked Proxy throws
  }
}
