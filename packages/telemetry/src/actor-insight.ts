/**
 * What telemetry knows about one live actor beyond core's counters: the state of a GenStatem,
 * the restart budget of a supervisor. Read on demand (by `@joerl/observer`), never per message.
 *
 * @module
 */
import type { ActorHandle } from '@joerl/core';
import { StatemSlot, SupervisorSlot } from './actor-slots.js';

/**
 * What {@link actorInsight} reports: a state machine, a supervisor, or nothing more than core knows.
 * @since 0.1.0
 */
export type ActorInsight =
  | {
      readonly kind: 'gen_statem';
      /** Its declared states (capped like the metric labels). */
      readonly states: readonly string[];
      /** The state it is in now. */
      readonly state: string;
      /** `clock.now()` when it entered that state. */
      readonly enteredAt: number;
    }
  | {
      readonly kind: 'supervisor';
      /** `'one_for_one'`, `'one_for_all'`, `'rest_for_one'`, or `'dynamic'`. */
      readonly strategy: string;
      readonly intensity: number;
      readonly periodMs: number;
      /** Restarts within the current window divided by `intensity`. */
      readonly intensityUsage: number;
    };

/**
 * What telemetry recorded about a live actor, when the actor's system is instrumented by a
 * {@link Telemetry}: a GenStatem's current state, a supervisor's strategy and restart budget.
 * Null for any other actor, or without telemetry.
 *
 * @example
 * ```ts
 * const handle = system.handle(pid);
 * const insight = handle === undefined ? null : actorInsight(handle);
 * if (insight?.kind === 'gen_statem') console.log(insight.state);
 * ```
 * @since 0.1.0
 */
export function actorInsight(actor: ActorHandle): ActorInsight | null {
  const slot = actor.slot;
  if (slot instanceof StatemSlot) {
    const states = slot.stats.states;
    return { kind: 'gen_statem', states, state: states[slot.state] ?? '', enteredAt: slot.enteredAt };
  }
  if (slot instanceof SupervisorSlot) {
    const p = slot.probe;
    return { kind: 'supervisor', strategy: p.strategy, intensity: p.intensity, periodMs: p.periodMs, intensityUsage: p.intensityUsage() };
  }
  return null;
}
