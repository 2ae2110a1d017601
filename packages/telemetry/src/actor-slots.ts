/**
 * What telemetry keeps per live actor (`ActorHandle.slot`) and per restart label.
 *
 * @module
 */
import type { SupervisorProbe } from '@joerl/core';
import type { StatemStats } from './type-stats.js';

/** @internal the per-actor slot of a state machine */
export class StatemSlot {
  constructor(
    readonly stats: StatemStats,
    public state: number,
    public enteredAt: number,
  ) {}
}

/** @internal the per-actor slot of a supervisor */
export class SupervisorSlot {
  constructor(readonly probe: SupervisorProbe) {}
}

/** Restarts counted for one strategy and child type (not exported). */
export interface RestartCount {
  readonly strategy: string;
  readonly childType: string;
  count: number;
}
