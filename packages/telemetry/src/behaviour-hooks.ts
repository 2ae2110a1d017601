/**
 * The behaviour hooks of telemetry: GenServer and GenStatem calls and casts, and state machines.
 *
 * @module
 */
import { type ActorHandle, type ActorType, type CallOutcome } from '@joerl/core';
import { StatemSlot } from './actor-slots.js';
import { type Histogram, inc } from './histogram.js';
import { MessageHooks } from './message-hooks.js';
import { elapsed } from './telemetry-state.js';
import { CallToken } from './trace-state.js';
import type { Tracing } from './tracing.js';
import { FAILURE_INDEX, OUTCOME_INDEX, type TypeStats } from './type-stats.js';

/** One layer of {@link Telemetry}: its hooks for this seam (see telemetry-state.ts). Not exported: use `Telemetry`. */
export abstract class BehaviourHooks extends MessageHooks {
  // ---------------------------------------------------------------------------------------
  // Instrumentation: behaviours

  callRefused(kind: 'call' | 'cast', serverType: ActorType | null, _caller: ActorHandle | null): void {
    const t = serverType === null ? this.unknown : ((serverType.slot as TypeStats | undefined) ?? this.unknown);
    if (kind === 'call') inc(t.calls, OUTCOME_INDEX.noproc);
    else inc(t.sendFailed, FAILURE_INDEX.noproc);
  }

  callStarted(server: ActorHandle, caller: ActorHandle | null): unknown {
    const t = server.actorType.slot as TypeStats;
    t.callsInFlight++;
    const timed = this.calls.take();
    if (this.tracing !== null) {
      const at = timed ? this.stamp() : Number.NaN;
      const token = this.tracing.startCall(server, caller, this.spans.rate > 0 && this.spans.take(), at);
      return token !== undefined ? token : timed ? at : undefined;
    }
    return timed ? this.stamp() : undefined;
  }

  callEnded(server: ActorHandle, token: unknown, outcome: CallOutcome): void {
    const t = server.actorType.slot as TypeStats;
    t.callsInFlight--;
    inc(t.calls, OUTCOME_INDEX[outcome]);
    if (token === undefined) return;
    if (typeof token === 'number') {
      t.callHistogram().observe(elapsed(token, this.stamp()));
    } else if (token instanceof CallToken) {
      if (!Number.isNaN(token.startedAt)) t.callHistogram().observe(elapsed(token.startedAt, this.stamp()));
      (this.tracing as Tracing).endCall(token, outcome);
    }
  }

  castSent(server: ActorHandle): void {
    (server.actorType.slot as TypeStats).casts++;
  }

  stateMachineStarted(actor: ActorHandle, states: readonly string[], initial: string): void {
    const stats = (actor.actorType.slot as TypeStats).statemFor(states.slice(0, this.labelCap), this.labelCap);
    actor.slot = new StatemSlot(stats, stats.index.get(initial) ?? 0, this.clockNow());
  }

  stateChanged(actor: ActorHandle, from: string, to: string): void {
    const slot = actor.slot;
    if (!(slot instanceof StatemSlot)) return;
    const stats = slot.stats;
    const now = this.clockNow();
    const f = stats.index.get(from) ?? slot.state;
    const next = stats.index.get(to);
    if (next === undefined) return;
    (stats.durations[f] as Histogram).observe((now - slot.enteredAt) / 1000);
    inc(stats.transitions, f * stats.states.length + next);
    slot.state = next;
    slot.enteredAt = now;
  }

  invalidTransition(actor: ActorHandle, state: string, event: string): void {
    const slot = actor.slot;
    if (!(slot instanceof StatemSlot)) return;
    slot.stats.invalidFor(slot.stats.index.get(state) ?? slot.state, event).count++;
  }
}
