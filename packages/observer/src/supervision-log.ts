/**
 * What the observer remembers between snapshots, fed by telemetry's provider hooks (none of
 * them per message): restarts per supervisor and child type, and the last crashes.
 *
 * @module
 */
import { formatValue, type Pid } from '@joerl/core';
import type { ActorPanickedEvent, SupervisorRestartEvent, TelemetryProvider } from '@joerl/telemetry';

/** Crashes remembered (oldest forgotten first). */
export const MAX_CRASHES = 1000;
/** Restart counters kept (supervisor × child type); past it, new pairs are not counted per child. */
export const MAX_RESTART_KEYS = 10_000;

/**
 * A crash the observer remembers: a handler that threw or rejected.
 * @since 0.1.0
 */
export interface Crash {
  readonly pid: string;
  readonly type: string;
  /** Where it crashed: `init`, `receive`, `signal` or `terminate`. */
  readonly phase: string;
  /** The error, as bounded text. */
  readonly reason: string;
  /** `Date.now()` of the crash. */
  readonly at: number;
}

/** @internal */
export class SupervisionLog implements TelemetryProvider {
  /** Restart events seen since the observer started. */
  restarts = 0;
  private readonly restartsBy = new Map<string, number>();
  private readonly crashes = new Map<number, Crash>();

  constructor(
    /** The provider's name (unique per telemetry). */
    readonly name: string,
    private readonly now: () => number,
  ) {}

  onSupervisorRestart(event: SupervisorRestartEvent): void {
    this.restarts++;
    const key = restartKey(event.supervisor, event.childType);
    const n = this.restartsBy.get(key);
    if (n !== undefined) this.restartsBy.set(key, n + 1);
    else if (this.restartsBy.size < MAX_RESTART_KEYS) this.restartsBy.set(key, 1);
  }

  onActorPanicked(event: ActorPanickedEvent): void {
    const id = event.pid.id;
    this.crashes.delete(id);
    this.crashes.set(id, { pid: event.pid.toString(), type: event.type, phase: event.phase, reason: formatValue(event.error, 500), at: this.now() });
    if (this.crashes.size > MAX_CRASHES) {
      const oldest = this.crashes.keys().next().value;
      if (oldest !== undefined) this.crashes.delete(oldest);
    }
  }

  /** Restarts a supervisor made of children of a type. */
  restartsOf(supervisor: Pid, childType: string): number {
    return this.restartsBy.get(restartKey(supervisor, childType)) ?? 0;
  }

  crashOf(pid: Pid): Crash | undefined {
    return this.crashes.get(pid.id);
  }

  /** The most recent crashes, newest first. */
  recentCrashes(limit: number): Crash[] {
    return [...this.crashes.values()].slice(-limit).reverse();
  }
}

function restartKey(supervisor: Pid, childType: string): string {
  return `${supervisor.id}\u0000${childType}`;
}
