/**
 * A peer library measured as a contender: its version of each scenario, written as the library's
 * docs show, and for each scenario whose concept the library does not have, the reason.
 */
import type { Run, ScenarioId } from '../scenario.js';

export interface Peer {
  /** The contender's label (`--peers`, `--json`). */
  readonly label: string;
  /** How the actors are written, in a few words. */
  readonly describe: string;
  /** The npm package measured (its exact version is the bench's pinned devDependency). */
  readonly library: string;
  /**
   * The fraction of the sizes this peer runs (1: the same as everyone). Libraries that handle
   * a message in microseconds run a tenth, or a default run would take an hour (comedy spawning
   * 100,000 actors ran for more than 8 minutes). Rates are per second either way; a smaller
   * run favours the peer where live actors pile up (spawn kept alive: less heap to scavenge).
   */
  readonly scale: number;
  /** The peer's version of each scenario it has. */
  readonly runs: Partial<Record<ScenarioId, Run>>;
  /** Why a scenario is missing: the library has no such concept. */
  readonly notApplicable: Partial<Record<ScenarioId, string>>;
}
