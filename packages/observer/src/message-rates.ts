/**
 * Per-actor message rates: messages each actor handled per second between two passes over the
 * live actors. A pass runs with each live update (only while a page is open) and, when the last
 * is older than an update interval, before an actors page is built; between passes the rates
 * hold still, so sorting and paging by rate stay consistent.
 *
 * @module
 */
import type { ActorHandle, ActorSystem } from '@joerl/core';

class Sample {
  constructor(
    public processed: number,
    public at: number,
    public perSecond: number,
  ) {}
}

/** @internal */
export class MessageRates {
  // weak: an exited actor's sample goes with it
  private readonly samples = new WeakMap<ActorHandle, Sample>();
  private lastPass = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly system: ActorSystem,
    private readonly minIntervalMs: number,
  ) {}

  /** One pass over the live actors, unless the last one is under the update interval old. */
  refresh(): void {
    const now = this.system.clock.now();
    if (now - this.lastPass < this.minIntervalMs) return;
    this.lastPass = now;
    for (const h of this.system.handles()) {
      const s = this.samples.get(h);
      if (s === undefined) {
        this.samples.set(h, new Sample(h.messagesProcessed, now, 0));
        continue;
      }
      const dt = now - s.at;
      if (dt <= 0) continue;
      s.perSecond = ((h.messagesProcessed - s.processed) * 1000) / dt;
      s.processed = h.messagesProcessed;
      s.at = now;
    }
  }

  /** Messages per second `h` handled between the last two passes (0 before its second). */
  rateOf(h: ActorHandle): number {
    return this.samples.get(h)?.perSecond ?? 0;
  }
}
