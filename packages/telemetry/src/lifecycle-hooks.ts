/**
 * The lifecycle hooks of telemetry: attach and detach, spawns, exits and crashes.
 *
 * @module
 */
import { type ActorHandle, type ActorSystem, type CrashPhase, type ExitReason, InvalidConfigError, systemClock } from '@joerl/core';
import { StatemSlot } from './actor-slots.js';
import { type Histogram, inc } from './histogram.js';
import { perfNow, TelemetryState } from './telemetry-state.js';
import { REASON_INDEX, type TypeStats } from './type-stats.js';

/** One layer of {@link Telemetry}: its hooks for this seam (see telemetry-state.ts). Not exported: use `Telemetry`. */
export abstract class LifecycleHooks extends TelemetryState {
  // ---------------------------------------------------------------------------------------
  // Instrumentation: lifecycle

  attached(system: ActorSystem): void {
    if (this.system !== null) {
      throw new InvalidConfigError(
        'instrumentation',
        'a telemetry instance already in use',
        'one telemetry instance per ActorSystem: call createTelemetry() once for each system',
      );
    }
    this.system = system;
    const clock = system.clock;
    // The default clock is performance.now(): call it directly, skipping two indirections per timing.
    this.clockNow = clock === systemClock ? perfNow : () => clock.now();
    if (this.eventLoop !== false) this.runtime.start(this.eventLoop);
  }

  detached(_system: ActorSystem): void {
    this.runtime.stop();
    for (const p of [...this.providers]) void this.guardAsync(p, () => p.shutdown?.());
  }

  actorSpawned(actor: ActorHandle): void {
    const t = this.statsOf(actor.actorType);
    t.spawned++;
    t.active++;
    if (this.tracing !== null) this.tracing.spawned(actor);
    const hooks = this.hooks.onActorSpawned;
    if (hooks.length !== 0) {
      const event = { type: t.type, pid: actor.pid, name: actor.name, parent: actor.parent };
      for (const p of hooks) this.guard(p, () => p.onActorSpawned?.(event));
    }
  }

  messagesDiscarded(actor: ActorHandle, count: number): void {
    (actor.actorType.slot as TypeStats).discarded += count;
  }

  actorStopped(actor: ActorHandle, reason: ExitReason, lifetimeMs: number): void {
    const t = actor.actorType.slot as TypeStats;
    t.active--;
    t.sentByExited += actor.messagesReceived;
    t.processedByExited += actor.messagesProcessed;
    inc(t.stopped, REASON_INDEX[reason.kind]);
    t.lifetime.observe(lifetimeMs / 1000);
    if (lifetimeMs < this.shortLivedMs) t.shortLived++;
    if (this.tracing !== null) this.tracing.stopped(actor);
    if (this.actorTraces.actors.length !== 0 && this.actorTraces.traces(actor)) this.traceEvent(actor, { kind: 'exit', at: Date.now(), reason }, true);
    const slot = actor.slot;
    if (slot instanceof StatemSlot) {
      // Stopping exits the current state: one more state-duration observation.
      (slot.stats.durations[slot.state] as Histogram).observe((this.clockNow() - slot.enteredAt) / 1000);
    }
    const hooks = this.hooks.onActorStopped;
    if (hooks.length !== 0) {
      const event = { type: t.type, pid: actor.pid, reason, lifetimeMs };
      for (const p of hooks) this.guard(p, () => p.onActorStopped?.(event));
    }
  }

  actorCrashed(actor: ActorHandle, error: unknown, phase: CrashPhase): void {
    const t = actor.actorType.slot as TypeStats;
    t.panicked++;
    if (this.tracing !== null && phase !== 'receive') {
      // (a crash in receive is already recorded on the message's span)
      this.tracing.event(true, 'joerl.actor.crashed', { 'joerl.actor.type': actor.type, 'joerl.actor.pid': actor.pid.toString(), 'joerl.crash.phase': phase });
    }
    const hooks = this.hooks.onActorPanicked;
    if (hooks.length !== 0) {
      const event = { type: t.type, pid: actor.pid, error, phase };
      for (const p of hooks) this.guard(p, () => p.onActorPanicked?.(event));
    }
  }
}
