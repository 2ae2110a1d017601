/**
 * Recent probe reports, so that a burst of probe requests costs one evaluation: requests that
 * arrive while one is running share it, and later ones reuse its report for a short while.
 *
 * @module
 */
import type { HealthReport } from './report.js';

/** How many distinct probe questions (probe, check, exclusions) are remembered at most. */
const MAX_ENTRIES = 32;

interface Entry {
  /** When the evaluation started, by the health clock. */
  readonly at: number;
  readonly report: Promise<HealthReport>;
}

/** @internal Reports by question, each with the time its evaluation started. */
export class ProbeCache {
  private readonly entries = new Map<string, Entry>();

  /**
   * The report for `key` if one started at most `maxAgeMs` before `now` (running or done), else
   * the one `evaluate` starts, remembered for the next caller. A rejected evaluation is forgotten.
   */
  get(key: string, now: number, maxAgeMs: number, evaluate: () => Promise<HealthReport>): Promise<HealthReport> {
    const hit = this.entries.get(key);
    if (hit !== undefined && now - hit.at <= maxAgeMs && now >= hit.at) return hit.report;
    const report = evaluate();
    const entry: Entry = { at: now, report };
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) {
      // Maps iterate in insertion order: the first key is the oldest evaluation.
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, entry);
    report.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return report;
  }

  /** Forgets every report: the state they were computed from changed. */
  clear(): void {
    this.entries.clear();
  }
}
