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
   * The fraction of the sizes this peer runs (1: the same as joerl). The peers run a tenth: at
   * full sizes a default run would take hours (comedy spawning 100,000 actors kept alive ran for
   * more than 8 minutes in one process, XState ~40 s a run). Rates are per second either way;
   * the smaller run favours the peer where live actors pile up (spawn kept alive: less heap).
   */
  readonly scale: number;
  /** Per-scenario exceptions to {@link Peer.scale}. */
  readonly scaleFor?: Partial<Record<ScenarioId, number>>;
  /** The peer's version of each scenario it has. */
  readonly runs: Partial<Record<ScenarioId, Run>>;
  /** Why a scenario is missing: the library has no such concept. */
  readonly notApplicable: Partial<Record<ScenarioId, string>>;
}

/** A peer's scenarios as written (one spawn for both kept and discarded); optional ones may be n/a. */
export interface PeerScenarios {
  readonly oneActor: Run;
  readonly pingPong: Run;
  readonly spawn: (keep: boolean) => Run;
  readonly fanIn: Run;
  readonly requestReply: Run;
  readonly callBetweenActors?: Run;
  readonly callFromOutside?: Run;
  readonly restart?: Run;
}

/** The runs of {@link PeerScenarios}, keyed by scenario id. */
export function byScenario(s: PeerScenarios): Partial<Record<ScenarioId, Run>> {
  const runs: Partial<Record<ScenarioId, Run>> = {
    'one-actor': s.oneActor,
    'ping-pong': s.pingPong,
    'spawn-kept': s.spawn(true),
    'spawn-discarded': s.spawn(false),
    'fan-in': s.fanIn,
    'request-reply': s.requestReply,
  };
  if (s.callBetweenActors !== undefined) runs['call-between-actors'] = s.callBetweenActors;
  if (s.callFromOutside !== undefined) runs['call-from-outside'] = s.callFromOutside;
  if (s.restart !== undefined) runs.restart = s.restart;
  return runs;
}
