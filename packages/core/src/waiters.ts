/**
 * Backpressure waiters: `sendAsync` callers waiting for room in a full `backpressure` mailbox,
 * queued per actor.
 *
 * Every operation is O(1): a waiter that times out is only marked (it leaves its actor's queue
 * when it reaches the head), and its deadline is one entry in the system's {@link DeadlineQueue},
 * so 100k waiters timing out together cost one timer and one pass over them.
 *
 * @module
 */
import { Deadline } from './deadlines.js';
import type { ActorProcess } from './process.js';

/** @internal one `sendAsync` waiting for room (its deadline armed in the system's queue). */
export class SendWaiter extends Deadline {
  /** Set once it is admitted, timed out, or refused: a settled waiter is skipped everywhere. */
  settled = false;
  constructor(
    readonly message: unknown,
    readonly sender: ActorProcess | null,
    readonly resolve: (ok: boolean) => void,
    readonly proc: ActorProcess,
  ) {
    super();
  }
}

const COMPACT_ABOVE = 1024;

/** @internal the waiters of one actor, oldest first, with lazy removal. */
export class WaiterQueue {
  private items: (SendWaiter | undefined)[] = [];
  private head = 0;
  /** Waiters not yet settled. */
  live = 0;

  push(waiter: SendWaiter): void {
    this.items.push(waiter);
    this.live++;
  }

  /** A waiter settled while queued (it timed out): it is skipped when reached. */
  forget(): void {
    this.live--;
  }

  /** Removes and returns the oldest unsettled waiter, or undefined. */
  take(): SendWaiter | undefined {
    const items = this.items;
    while (this.head < items.length) {
      const w = items[this.head] as SendWaiter;
      items[this.head++] = undefined;
      if (!w.settled) {
        this.live--;
        if (this.head > COMPACT_ABOVE && this.head * 2 > items.length) {
          this.items = items.slice(this.head);
          this.head = 0;
        }
        return w;
      }
    }
    this.items = [];
    this.head = 0;
    return undefined;
  }

  /** Every unsettled waiter, oldest first; empties the queue. */
  drain(): SendWaiter[] {
    const out: SendWaiter[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const w = this.items[i] as SendWaiter;
      if (!w.settled) out.push(w);
    }
    this.items = [];
    this.head = 0;
    this.live = 0;
    return out;
  }
}
