/**
 * The supervision hooks of telemetry: supervisors started, restarts, and supervisors giving up.
 *
 * @module
 */
import type { ActorHandle, SupervisorProbe } from '@joerl/core';
import { SupervisorSlot } from './actor-slots.js';
import { BehaviourHooks } from './behaviour-hooks.js';
import type { TypeStats } from './type-stats.js';

/** One layer of {@link Telemetry}: its hooks for this seam (see telemetry-state.ts). Not exported: use `Telemetry`. */
export abstract class SupervisionHooks extends BehaviourHooks {
  supervisorStarted(actor: ActorHandle, probe: SupervisorProbe): void {
    actor.slot = new SupervisorSlot(probe);
    if (this.tracing !== null) this.tracing.supervising(actor);
  }

  supervisorRestarted(actor: ActorHandle, strategy: string, childType: string, durationMs: number): void {
    const folded = this.types.get(childType).type;
    this.restarts.get(`${strategy}\u0000${folded}`).count++;
    this.restartDuration.observe(durationMs / 1000);
    if (this.tracing !== null) this.tracing.restarted(actor, strategy, childType, durationMs);
    const hooks = this.hooks.onSupervisorRestart;
    if (hooks.length !== 0) {
      const event = { supervisorType: actor.type, supervisor: actor.pid, strategy, childType, durationMs };
      for (const p of hooks) this.guard(p, () => p.onSupervisorRestart?.(event));
    }
  }

  supervisorIntensityExceeded(actor: ActorHandle): void {
    this.intensityExceeded.get((actor.actorType.slot as TypeStats).type).count++;
    if (this.tracing !== null) this.tracing.intensityExceeded(actor);
  }
}
