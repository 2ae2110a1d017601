/**
 * The event-loop heartbeat liveness relies on: a real-time timer that measures how late it
 * fires. Telemetry's p99 over a 10 s window is too slow (and too averaged) to say "the loop was
 * just blocked for 3 s"; this is.
 *
 * @module
 */
import { type Clock, InvalidConfigError, type TimerHandle } from '@joerl/core';

/**
 * Options of liveness's event-loop stall detection.
 *
 * @example
 * ```ts
 * new SystemHealth({ system, liveness: { stallMs: 5000, windowMs: 30_000 } });
 * ```
 * @since 0.1.0
 */
export interface LivenessOptions {
  /** A heartbeat this late (ms) is a stall, and fails liveness (default 2000). */
  readonly stallMs?: number;
  /** How long a stall keeps failing liveness after it ended, ms (default 10 000). */
  readonly windowMs?: number;
  /** Heartbeat period, ms (default 250). */
  readonly intervalMs?: number;
  /**
   * The real-time clock the heartbeat runs on (default: `performance.now()` and the timers
   * present when this module loaded, unref'd, so fake timers in tests do not stop it). Replace
   * it only to simulate stalls in tests.
   */
  readonly clock?: Clock;
}

/** What the heartbeat saw. */
export interface StallReading {
  /** The longest stall within the window (or the current overdue time, if longer), ms; 0 if none. */
  readonly worstMs: number;
  /** Milliseconds since that stall ended (0 when it is the heartbeat overdue right now). */
  readonly agoMs: number;
}

// Captured at load: fake timers installed by tests must not stop (or fake) the heartbeat.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const realNow: () => number = performance.now.bind(performance);

/** @internal Real time and real, unref'd timers: a heartbeat never keeps the process alive. */
export const realTimeClock: Clock = Object.freeze({
  now: realNow,
  setTimeout<T>(callback: (arg: T) => void, ms: number, arg: T): TimerHandle {
    const t = realSetTimeout(callback, ms, arg);
    t.unref();
    return t;
  },
  clearTimeout(handle: TimerHandle): void {
    realClearTimeout(handle as ReturnType<typeof setTimeout>);
  },
});

/**
 * @internal Schedules a heartbeat every `intervalMs`; one that fires `stallMs` or more late
 * records a stall, remembered for `windowMs`.
 */
export class StallDetector {
  readonly stallMs: number;
  readonly windowMs: number;
  readonly intervalMs: number;
  private readonly clock: Clock;
  private readonly beatBound = (): void => this.beat();
  private timer: TimerHandle = null;
  private running = false;
  private dueAt = 0;
  /** Recent stalls: end time and length, oldest first. */
  private readonly stallEnds: number[] = [];
  private readonly stallLengths: number[] = [];

  constructor(options: LivenessOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new InvalidConfigError('liveness', options, 'an object { stallMs?, windowMs?, intervalMs? }');
    this.stallMs = positive(options.stallMs ?? 2000, 'liveness.stallMs');
    this.windowMs = positive(options.windowMs ?? 10_000, 'liveness.windowMs');
    this.intervalMs = positive(options.intervalMs ?? 250, 'liveness.intervalMs');
    if (this.intervalMs >= this.stallMs) {
      throw new InvalidConfigError('liveness.intervalMs', this.intervalMs, `less than liveness.stallMs (${this.stallMs}): the heartbeat must beat more often than a stall lasts`);
    }
    this.clock = options.clock ?? realTimeClock;
  }

  /** Starts the heartbeat (idempotent). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  /** Stops the heartbeat. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** The worst stall in the window, counting a heartbeat overdue right now as one in progress. */
  read(): StallReading {
    const now = this.clock.now();
    this.prune(now);
    let worstMs = 0;
    let agoMs = 0;
    for (let i = 0; i < this.stallLengths.length; i++) {
      const len = this.stallLengths[i] as number;
      if (len >= worstMs) {
        worstMs = len;
        agoMs = now - (this.stallEnds[i] as number);
      }
    }
    // We run, so the loop is free now; but if the heartbeat is overdue, whatever ran before us
    // blocked it, and the heartbeat has not had its turn to say so yet.
    const overdue = this.running ? now - this.dueAt : 0;
    if (overdue > worstMs) {
      worstMs = overdue;
      agoMs = 0;
    }
    return { worstMs, agoMs };
  }

  private schedule(): void {
    this.dueAt = this.clock.now() + this.intervalMs;
    this.timer = this.clock.setTimeout(this.beatBound, this.intervalMs, undefined);
  }

  private beat(): void {
    const now = this.clock.now();
    const late = now - this.dueAt;
    if (late >= this.stallMs) {
      this.stallEnds.push(now);
      this.stallLengths.push(late);
    }
    this.prune(now);
    this.schedule();
  }

  private prune(now: number): void {
    const limit = now - this.windowMs;
    let drop = 0;
    while (drop < this.stallEnds.length && (this.stallEnds[drop] as number) < limit) drop++;
    if (drop > 0) {
      this.stallEnds.splice(0, drop);
      this.stallLengths.splice(0, drop);
    }
  }
}

function positive(value: unknown, setting: string): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw new InvalidConfigError(setting, value, 'a positive, finite number of milliseconds');
  return value;
}
