/** Faults the demo injects, changeable while it runs (POST /faults), so every metric and health state can be seen moving. */
import { InvalidConfigError } from '@joerl/core';

export interface Faults {
  /** Probability that a payment crashes the payment server (its supervisor restarts it). */
  crashRate: number;
  /** Mean payment latency, ms (a call times out after 300 ms). */
  slowMs: number;
  /** Every this many seconds, flood the audit log with 2,000 events (0: never). */
  floodEverySec: number;
  /** Share of generated orders the load generator tries to cancel after they shipped (invalid transitions). */
  lateCancelRate: number;
}

export const DEFAULT_FAULTS: Readonly<Faults> = Object.freeze({ crashRate: 0.005, slowMs: 20, floodEverySec: 15, lateCancelRate: 0.05 });

const LIMITS: Record<keyof Faults, [number, number]> = {
  crashRate: [0, 1],
  slowMs: [0, 10_000],
  floodEverySec: [0, 3600],
  lateCancelRate: [0, 1],
};

/** Applies a partial update, checking every value; throws InvalidConfigError naming the bad one. */
export function updateFaults(faults: Faults, update: unknown): Faults {
  if (typeof update !== 'object' || update === null || Array.isArray(update)) throw new InvalidConfigError('faults', update, `an object with any of ${Object.keys(LIMITS).join(', ')}`);
  for (const [key, value] of Object.entries(update)) {
    const limits = Object.hasOwn(LIMITS, key) ? LIMITS[key as keyof Faults] : undefined;
    if (limits === undefined) throw new InvalidConfigError(`faults.${key}`, key, `one of ${Object.keys(LIMITS).join(', ')}`);
    if (typeof value !== 'number' || !(value >= limits[0] && value <= limits[1])) {
      throw new InvalidConfigError(`faults.${key}`, value, `a number from ${limits[0]} to ${limits[1]}`);
    }
  }
  return Object.assign(faults, update);
}
