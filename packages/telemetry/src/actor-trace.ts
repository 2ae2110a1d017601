/**
 * Traces of single actors, like Erlang's `erlang:trace(Pid, true, ['receive'])` under
 * `sys:trace`: the messages arriving in one actor's mailbox and the signals it takes, handed to
 * a tracer as they happen. While no trace runs a send pays one boolean check for this; while
 * some do, a send compares its receiver with the (at most {@link MAX_ACTOR_TRACES}) traced actors.
 *
 * @module
 */
import type { ActorHandle, ExitReason, Pid, SignalKind, SignalOutcome } from '@joerl/core';

/** Traces running at once, per telemetry instance. */
export const MAX_ACTOR_TRACES = 16;

/**
 * What a trace reports. `at` is `Date.now()` when it happened.
 * - `message`: a message was enqueued in the traced actor's mailbox; `from` is the sending actor
 *   (null from outside any actor). `message` is the payload itself: format it at once, never keep it.
 * - `signal`: the actor took an exit, kill or down signal, with what became of it.
 * - `exit`: the actor exited; the trace is over.
 * @since 0.1.0
 */
export type TraceEvent =
  | { readonly kind: 'message'; readonly at: number; readonly from: Pid | null; readonly message: unknown }
  | { readonly kind: 'signal'; readonly at: number; readonly signal: SignalKind; readonly reason: ExitReason; readonly outcome: SignalOutcome }
  | { readonly kind: 'exit'; readonly at: number; readonly reason: ExitReason };

/**
 * Receives a trace's events, synchronously, on the traced actor's hot path: keep it short. One
 * that throws ends its trace.
 * @since 0.1.0
 */
export type Tracer = (event: TraceEvent) => void;

/** @internal the running traces, in two parallel arrays (no allocation to find one) */
export class ActorTraces {
  readonly actors: ActorHandle[] = [];
  readonly tracers: Tracer[] = [];

  add(actor: ActorHandle, tracer: Tracer): boolean {
    if (this.actors.length >= MAX_ACTOR_TRACES) return false;
    this.actors.push(actor);
    this.tracers.push(tracer);
    return true;
  }

  remove(tracer: Tracer): boolean {
    const i = this.tracers.indexOf(tracer);
    if (i < 0) return false;
    this.actors.splice(i, 1);
    this.tracers.splice(i, 1);
    return true;
  }

  // hot while a trace runs: every send and signal
  traces(actor: ActorHandle): boolean {
    const actors = this.actors;
    for (let i = 0; i < actors.length; i++) if (actors[i] === actor) return true;
    return false;
  }

  /** Hands `event` to every tracer of `actor` (ending them if `last`); returns what tracers threw (their traces ended). */
  emit(actor: ActorHandle, event: TraceEvent, last: boolean): unknown[] {
    const errors: unknown[] = [];
    for (let i = this.actors.length - 1; i >= 0; i--) {
      if (this.actors[i] !== actor) continue;
      const tracer = this.tracers[i] as Tracer;
      try {
        tracer(event);
      } catch (error) {
        errors.push(error);
        this.remove(tracer);
        continue;
      }
      if (last) this.remove(tracer);
    }
    return errors;
  }
}
