/**
 * Typed handles to actors.
 *
 * @module
 */
import type { Pid } from './pid.js';
import type { ActorSystem } from './system.js';

/** Options of {@link ActorRef.sendAsync}. */
export interface SendAsyncOptions {
  /** How long to wait for room in a full `backpressure` mailbox (default 5000 ms). */
  readonly timeoutMs?: number;
}

/**
 * A typed handle to an actor: its pid plus a `send` that only accepts its message type.
 *
 * @typeParam M the messages the actor accepts.
 * @example
 * ```ts
 * const ref: ActorRef<{ kind: 'add'; n: number }> = system.spawn(adder, { type: 'adder' });
 * ref.send({ kind: 'add', n: 1 }); // true
 * ```
 * @since 0.1.0
 */
export class ActorRef<M = unknown> {
  /** The actor's pid. */
  readonly pid: Pid;
  /** @internal */
  readonly system: ActorSystem;

  /** @internal refs come from `spawn` and `system.ref()`. */
  constructor(system: ActorSystem, pid: Pid) {
    this.system = system;
    this.pid = pid;
  }

  /**
   * Sends a message. Returns false, and never throws, if the actor is dead or its mailbox
   * refused the message (see {@link OverflowPolicy}).
   */
  send(message: M): boolean {
    return this.system.send(this.pid, message);
  }

  /**
   * Sends a message, waiting for room if the mailbox is full and its policy is `backpressure`.
   * Resolves true once enqueued, false if the actor is dead, the mailbox refused it, or the
   * timeout passed.
   */
  sendAsync(message: M, options?: SendAsyncOptions): Promise<boolean> {
    return this.system.sendAsync(this.pid, message, options);
  }

  /** Whether the actor is alive. */
  isAlive(): boolean {
    return this.system.isAlive(this.pid);
  }

  /** The pid, printed. */
  toString(): string {
    return this.pid.toString();
  }
}
