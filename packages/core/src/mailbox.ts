/**
 * A bounded FIFO mailbox: a growable ring buffer of messages.
 *
 * @module
 */

/**
 * What happens to a send when the mailbox is full.
 *
 * - `reject` (default): `send` returns `false`; `sendAsync` resolves `false` at once.
 * - `drop-oldest`: the oldest queued message is dropped to make room; `send` returns `true`.
 * - `backpressure`: `send` returns `false`, but `sendAsync` waits (up to its timeout) for room.
 *
 * Every refused or dropped message is reported to the instrumentation. Signals never count
 * against capacity and are never dropped.
 */
export type OverflowPolicy = 'reject' | 'drop-oldest' | 'backpressure';

/** Mailbox options of a spawn. */
export interface MailboxOptions {
  /** Most messages queued at once: a positive integer, or `Infinity` for unbounded (default {@link DEFAULT_MAILBOX_CAPACITY}). */
  readonly capacity?: number;
  /** What a send does when the mailbox is full (default `'reject'`). */
  readonly overflow?: OverflowPolicy;
}

/** The default mailbox capacity: 10,000 messages. */
export const DEFAULT_MAILBOX_CAPACITY = 10_000;

const INITIAL_SLOTS = 4;
const SHRINK_ABOVE = 1024;

function slots(n: number): unknown[] {
  const a: unknown[] = [];
  for (let i = 0; i < n; i++) a.push(undefined);
  return a;
}

/**
 * @internal The mailbox of one actor. The caller checks `len < capacity` before `push`.
 * `meta` runs parallel to the messages and exists only when the system has instrumentation.
 */
export class Mailbox {
  buf: unknown[];
  meta: unknown[] | null;
  head = 0;
  len = 0;
  mask: number;
  readonly capacity: number;
  readonly overflow: OverflowPolicy;

  constructor(capacity: number, overflow: OverflowPolicy, withMeta: boolean) {
    this.capacity = capacity;
    this.overflow = overflow;
    this.buf = slots(INITIAL_SLOTS);
    this.meta = withMeta ? slots(INITIAL_SLOTS) : null;
    this.mask = INITIAL_SLOTS - 1;
  }

  // hot: every send
  push(msg: unknown, meta: unknown): void {
    if (this.len === this.buf.length) this.grow();
    const i = (this.head + this.len) & this.mask;
    this.buf[i] = msg;
    if (this.meta !== null) this.meta[i] = meta;
    this.len++;
  }

  /** The meta of the head message (call before {@link Mailbox.shift}). */
  headMeta(): unknown {
    return this.meta === null ? undefined : this.meta[this.head];
  }

  // hot: every receive
  shift(): unknown {
    const i = this.head;
    const msg = this.buf[i];
    this.buf[i] = undefined;
    if (this.meta !== null) this.meta[i] = undefined;
    this.head = (i + 1) & this.mask;
    if (--this.len === 0) {
      this.head = 0;
      if (this.buf.length > SHRINK_ABOVE) this.reset();
    }
    return msg;
  }

  /** Removes every message; returns how many there were. */
  clear(): number {
    const n = this.len;
    this.reset();
    return n;
  }

  private reset(): void {
    this.buf = slots(INITIAL_SLOTS);
    if (this.meta !== null) this.meta = slots(INITIAL_SLOTS);
    this.mask = INITIAL_SLOTS - 1;
    this.head = 0;
    this.len = 0;
  }

  private grow(): void {
    const size = this.buf.length * 2;
    const buf = slots(size);
    const meta = this.meta === null ? null : slots(size);
    for (let k = 0; k < this.len; k++) {
      const from = (this.head + k) & this.mask;
      buf[k] = this.buf[from];
      if (meta !== null) meta[k] = (this.meta as unknown[])[from];
    }
    this.buf = buf;
    this.meta = meta;
    this.head = 0;
    this.mask = size - 1;
  }
}
