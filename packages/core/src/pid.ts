/**
 * Process identifiers.
 *
 * @module
 */
import type { ActorType } from './actor-type.js';
import type { ActorProcess } from './process.js';

const inspect = Symbol.for('nodejs.util.inspect.custom');

/**
 * An opaque, comparable process identifier, printed the Erlang way: `<node.id.serial>`.
 *
 * A `Pid` names one actor for the whole life of its {@link ActorSystem}: it is never
 * reused, so holding a pid of a dead actor is safe (sends to it return `false`).
 * Pids are interned, so `===` works, and {@link Pid.equals} / {@link Pid.compare}
 * exist for code that prefers to be explicit.
 *
 * @example
 * ```ts
 * const ref = system.spawn({ receive() {} }, { type: 'worker' });
 * String(ref.pid); // '<0.1.0>'
 * ```
 * @since 0.1.0
 */
export class Pid {
  /** The node (actor system) this pid belongs to. Local systems number from 0. */
  readonly node: number;
  /** Unique within its node. */
  readonly id: number;
  /** Bumped when `id` wraps, as in Erlang. */
  readonly serial: number;
  /** @internal the live process, or null once it exited (sends fail fast). */
  proc: ActorProcess | null;
  /** @internal the actor's type, kept after exit so failed sends can still be labelled. */
  readonly actorType: ActorType;

  /** @internal pids are minted by the actor system only. */
  constructor(node: number, id: number, serial: number, proc: ActorProcess | null, actorType: ActorType) {
    this.node = node;
    this.id = id;
    this.serial = serial;
    this.proc = proc;
    this.actorType = actorType;
  }

  /** True when both name the same process. */
  equals(other: Pid): boolean {
    return this === other || (this.node === other.node && this.id === other.id && this.serial === other.serial);
  }

  /** Orders pids as Erlang does: by node, then serial, then id. Returns a negative, zero or positive number. */
  static compare(a: Pid, b: Pid): number {
    return a.node - b.node || a.serial - b.serial || a.id - b.id;
  }

  /** `<node.id.serial>`, e.g. `<0.42.0>`. */
  toString(): string {
    return `<${this.node}.${this.id}.${this.serial}>`;
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

/** True when `value` is a {@link Pid}. */
export function isPid(value: unknown): value is Pid {
  return value instanceof Pid;
}
