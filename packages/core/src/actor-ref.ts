/**
 * Typed references to actors.
 *
 * @module
 */
import type { Pid } from './pid.js';

/** Options of {@link Pid.sendAsync}. */
export interface SendAsyncOptions {
  /** How long to wait for room in a full `backpressure` mailbox (default 5000 ms). */
  readonly timeoutMs?: number;
}

/**
 * A typed reference to an actor: its {@link Pid}, whose `send` accepts only `M`.
 *
 * A ref *is* the pid (one object per actor, nothing allocated per ref), so anything that takes
 * a pid takes a ref: `ctx.monitor(ref)`, `system.exit(ref, 'kill')`. `ref.pid` returns itself.
 *
 * @typeParam M the messages the actor accepts.
 * @example
 * ```ts
 * const adder: ActorRef<{ add: number }> = system.spawn((m: { add: number }) => console.log(m.add), { type: 'adder' });
 * adder.send({ add: 1 }); // true
 * ```
 * @since 0.1.0
 */
export type ActorRef<M = unknown> = Pid<M>;
