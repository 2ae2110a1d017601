/**
 * The overview: the system's vital signs now, and a bounded history of them for the charts.
 *
 * @module
 */
import type { ActorSystem } from '@joerl/core';
import type { Telemetry } from '@joerl/telemetry';
import type { SupervisionLog } from './supervision-log.js';

/** Samples kept for the charts (one per update: five minutes at one a second). */
export const HISTORY_LENGTH = 300;

/**
 * The system's vital signs at one moment.
 * @since 0.1.0
 */
export interface OverviewSample {
  /** `Date.now()` of the sample. */
  readonly at: number;
  readonly actors: number;
  /** Messages handled per second since the previous sample. */
  readonly messagesPerSecond: number;
  /** Messages queued now, over all mailboxes. */
  readonly mailboxTotal: number;
  /** The deepest mailbox now. */
  readonly mailboxMax: number;
  readonly runQueue: number;
  /** Restart events since the observer started. */
  readonly restarts: number;
  /** Event-loop delay, ms (p99 and max over telemetry's window). */
  readonly eventLoopP99Ms: number;
  readonly eventLoopMaxMs: number;
  readonly heapUsed: number;
  readonly heapLimit: number;
  readonly rss: number;
}

/** @internal takes samples and keeps the last {@link HISTORY_LENGTH} */
export class OverviewSampler {
  private readonly history: OverviewSample[] = [];
  private lastProcessed = -1;
  private lastAt = 0;

  constructor(
    private readonly system: ActorSystem,
    private readonly telemetry: Telemetry,
    private readonly log: SupervisionLog,
  ) {}

  /** Takes a sample (O(actors): one pass over mailbox depths) and remembers it. */
  sample(): OverviewSample {
    const stats = this.system.stats();
    const now = Date.now();
    let total = 0;
    let max = 0;
    for (const h of this.system.handles()) {
      const d = h.mailboxDepth;
      total += d;
      if (d > max) max = d;
    }
    const elapsed = (now - this.lastAt) / 1000;
    const rate = this.lastProcessed < 0 || elapsed <= 0 ? 0 : (stats.processed - this.lastProcessed) / elapsed;
    this.lastProcessed = stats.processed;
    this.lastAt = now;
    const loop = this.telemetry.eventLoopDelay();
    const mem = this.telemetry.memoryUsage();
    const s: OverviewSample = {
      at: now,
      actors: stats.actors,
      messagesPerSecond: Math.round(rate),
      mailboxTotal: total,
      mailboxMax: max,
      runQueue: stats.runQueueLength,
      restarts: this.log.restarts,
      eventLoopP99Ms: round(loop.p99 * 1000),
      eventLoopMaxMs: round(loop.max * 1000),
      heapUsed: mem.heapUsed,
      heapLimit: mem.heapLimit,
      rss: mem.rss,
    };
    this.history.push(s);
    if (this.history.length > HISTORY_LENGTH) this.history.shift();
    return s;
  }

  /** The samples kept, oldest first. */
  recent(): readonly OverviewSample[] {
    return this.history;
  }

  latest(): OverviewSample {
    return this.history[this.history.length - 1] ?? this.sample();
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
