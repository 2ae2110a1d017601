/**
 * Deterministic samplers: no randomness, so tests are exact and a 1% rate takes exactly one in a hundred.
 *
 * @module
 */
import { InvalidConfigError } from '@joerl/core';

/**
 * Takes a steady fraction of events: with rate `r`, `take()` returns true for exactly
 * `floor(n × r)` (or one more) of any `n` consecutive calls, evenly spread.
 * @since 0.1.0
 */
export class Sampler {
  /** calls since the last sample */
  private n = 0;
  /** calls between samples, from the next one's point of view */
  private gap = Number.POSITIVE_INFINITY;
  private acc = 0;
  private r: number;

  constructor(rate: number, setting = 'sampling') {
    this.r = checkRate(rate, setting);
    this.plan();
  }

  /** The rate, 0..1. */
  get rate(): number {
    return this.r;
  }

  set rate(value: number) {
    this.r = checkRate(value, 'sampling');
    this.n = 0;
    this.acc = 0;
    this.plan();
  }

  // hot: every message when telemetry is on — one increment and one compare
  take(): boolean {
    if (++this.n < this.gap) return false;
    this.n = 0;
    this.plan();
    return true;
  }

  /** How many calls until the next sample: the accumulator spreads a fractional period evenly. */
  private plan(): void {
    if (this.r === 0) {
      this.gap = Number.POSITIVE_INFINITY;
      return;
    }
    // the next sample is taken on the call where acc + k·r first reaches 1
    const k = Math.max(1, Math.ceil((1 - this.acc) / this.r - 1e-9));
    this.acc = this.acc + k * this.r - 1;
    this.gap = k;
  }
}

/** @internal Validates a sampling rate, throwing an error that names the setting. */
export function checkRate(rate: unknown, setting: string): number {
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    throw new InvalidConfigError(setting, rate, 'a sampling rate between 0 and 1 (e.g. 0.01 for 1%)');
  }
  return rate;
}
