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
// No buffer: until two messages are queued at once, the one message sits in a field.
const NONE: unknown[] = [];

function slots(n: number): unknown[] {
  return new Array<unknown>(n).fill(undefined);
}

/** @internal A mailbox's limits, shared by every actor spawned with the same options. */
export class MailboxConfig {
  readonly capacity: number;
  readonly overflow: OverflowPolicy;
  /** Whether messages carry instrumentation meta (the system has instrumentation). */
  readonly withMeta: boolean;
  constructor(capacity: number, overflow: OverflowPolicy, withMeta: boolean) {
    this.capacity = capacity;
    this.overflow = overflow;
    this.withMeta = withMeta;
  }
}

/**
 * @internal The mailbox of one actor. The caller checks `len < capacity` before `push`.
 *
 * Most actors hold at most one message at a time, so that message lives in a field and the ring
 * buffer is allocated only when a second one queues behind it (and kept afterwards, unless it
 * grew large). `meta` runs parallel to the buffer and exists only with instrumentation.
 */
export class Mailbox {
  buf: unknown[] = NONE;
  /**
   * With instrumentation: the metas parallel to `buf` once it exists; before that, the meta of
   * the single message in `one`. Without instrumentation: always null.
   */
  meta: unknown = null;
  one: unknown = undefined;
  head = 0;
  len = 0;
  readonly config: MailboxConfig;

  constructor(config: MailboxConfig) {
    this.config = config;
  }

  get capacity(): number {
    return this.config.capacity;
  }

  get overflow(): OverflowPolicy {
    return this.config.overflow;
  }

  // hot: every send
  push(msg: unknown, meta: unknown): void {
    if (this.buf === NONE) {
      if (this.len === 0) {
        this.one = msg;
        if (this.config.withMeta) this.meta = meta;
        this.len = 1;
        return;
      }
      this.spill();
    } else if (this.len === this.buf.length) {
      this.grow();
    }
    const i = (this.head + this.len) & (this.buf.length - 1);
    this.buf[i] = msg;
    if (this.meta !== null) (this.meta as unknown[])[i] = meta;
    this.len++;
  }

  /** The meta of the head message (call before {@link Mailbox.shift}). */
  headMeta(): unknown {
    if (this.buf === NONE) return this.meta;
    return this.meta === null ? undefined : (this.meta as unknown[])[this.head];
  }

  // hot: every receive
  shift(): unknown {
    if (this.buf === NONE) {
      const msg = this.one;
      this.one = undefined;
      if (this.meta !== null) this.meta = undefined;
      this.len = 0;
      return msg;
    }
    const i = this.head;
    const msg = this.buf[i];
    this.buf[i] = undefined;
    if (this.meta !== null) (this.meta as unknown[])[i] = undefined;
    this.head = (i + 1) & (this.buf.length - 1);
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
    this.buf = NONE;
    this.meta = null;
    this.one = undefined;
    this.head = 0;
    this.len = 0;
  }

  /** A second message arrives: move the single one into a fresh ring buffer. */
  private spill(): void {
    this.buf = slots(INITIAL_SLOTS);
    this.buf[0] = this.one;
    if (this.config.withMeta) {
      const meta = slots(INITIAL_SLOTS);
      meta[0] = this.meta;
      this.meta = meta;
    }
    this.one = undefined;
    this.head = 0;
  }

  private grow(): void {
    const old = this.buf;
    const mask = old.length - 1;
    const size = old.length * 2;
    const buf = slots(size);
    const meta = this.meta === null ? null : slots(size);
    for (let k = 0; k < this.len; k++) {
      const from = (this.head + k) & mask;
      buf[k] = old[from];
      if (meta !== null) meta[k] = (this.meta as unknown[])[from];
    }
    this.buf = buf;
    this.meta = meta;
    this.head = 0;
  }
}
