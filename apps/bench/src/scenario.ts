/**
 * What a scenario is: the same job written against the hand-written baseline, against joerl, and
 * against each peer library. Every implementation counts what it handled on a {@link Tally}, so a
 * contender that loses (or duplicates) messages fails loudly instead of reporting a rate.
 */
import { type ActorSystemOptions, formatValue } from '@joerl/core';

export interface Sizes {
  readonly messages: number; // one-actor and fan-in totals
  readonly roundTrips: number;
  readonly spawns: number;
  readonly senders: number;
  /** Sequential `GenServer.call`-style round trips (between actors, and from plain code). */
  readonly calls: number;
  /** Crash-and-restart cycles under a supervisor. */
  readonly restarts: number;
}

/** Stable ids, for `--only` and for `--json` consumers. */
export type ScenarioId =
  | 'one-actor'
  | 'ping-pong'
  | 'spawn-kept'
  | 'spawn-discarded'
  | 'fan-in'
  | 'request-reply'
  | 'call-between-actors'
  | 'call-from-outside'
  | 'restart';

/** Runs a scenario once: resolves once the tally is complete, with a cleanup that is not timed. */
export type Run = (sizes: Sizes, tally: Tally) => Promise<Result>;

export interface Result {
  readonly cleanup?: () => Promise<void>;
}

export interface Scenario {
  readonly id: ScenarioId;
  readonly name: string;
  readonly unit: string;
  /** Whether the telemetry configurations are measured here too (the message scenarios). */
  readonly telemetry: boolean;
  readonly baseline: Run;
  readonly joerl: (options: ActorSystemOptions) => Run;
}

/** A contender handled more or fewer units than the scenario sent it. */
export class CountMismatchError extends Error {
  constructor(
    readonly expected: number,
    readonly handled: number,
    why: string,
  ) {
    super(`handled ${handled} of ${expected} (${why}): this contender loses or duplicates work, its rate would be meaningless`);
    this.name = 'CountMismatchError';
  }
}

/**
 * Counts the units a run handled and resolves `done` when the expected number is reached.
 * `hit()` is called once per unit by every contender alike, so its cost is part of every figure.
 */
export class Tally {
  count = 0;
  expected = Number.POSITIVE_INFINITY;
  readonly done: Promise<void>;
  private resolve!: () => void;

  constructor() {
    this.done = new Promise<void>((r) => (this.resolve = r));
  }

  /** Sets how many units this run must handle; returns it. */
  expect(n: number): number {
    this.expected = n;
    return n;
  }

  /** One unit handled; true when it was the last one expected. Hot: one increment, one compare. */
  hit(): boolean {
    if (++this.count === this.expected) {
      this.resolve();
      return true;
    }
    return false;
  }

  /** Throws unless exactly the expected number of units was handled. */
  verify(): void {
    if (this.count !== this.expected) throw new CountMismatchError(this.expected, this.count, this.count > this.expected ? 'more than sent' : 'the run ended early');
  }
}

/** A reply that is not the one asked for (request/reply scenarios check every reply). */
export function checkReply(got: unknown, want: number): void {
  if (got !== want) throw new Error(`wrong reply: got ${formatValue(got, 80)}, want ${want}`);
}

/** Makes `calls` calls one after the other, checking each reply (n + 1) and counting it on the tally. */
export async function callInSequence(calls: number, tally: Tally, call: (n: number) => PromiseLike<unknown>): Promise<void> {
  for (let i = 0; i < calls; i++) {
    checkReply(await call(i), i + 1);
    tally.hit();
  }
}

/** The one error every crashing contender throws (created once: the cost of a stack trace is not the subject). */
export const CRASH = new Error('crash (bench restart scenario)');

/** A synchronous cleanup as a {@link Result} cleanup. */
export function after(cleanup: () => void): () => Promise<void> {
  return () => {
    cleanup();
    return Promise.resolve();
  };
}
