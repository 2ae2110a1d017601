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

/** @internal A slot of the stamp ring with no stamp (a real stamp of this value is stored as one more). */
export const NO_STAMP = -2147483648;

function stampSlots(n: number): Int32Array {
  return new Int32Array(n).fill(NO_STAMP);
}

/** @internal A mailbox's limits, shared by every actor spawned with the same options. */
export class MailboxConfig {
  readonly capacity: number;
  readonly overflow: OverflowPolicy;
  constructor(capacity: number, overflow: OverflowPolicy) {
    this.capacity = capacity;
    this.overflow = overflow;
  }
}

/**
 * @internal A message that carries instrumentation meta (a timestamp, a trace context). Only
 * messages with meta are wrapped — with 1% timing sampling, one in a hundred — and users can
 * never construct one, so a queued item is an envelope exactly when it is `instanceof` this.
 */
export class MetaEnvelope {
  constructor(
    readonly message: unknown,
    readonly meta: unknown,
  ) {}
}

/** @internal Whether a queued item is an envelope; never throws (a revoked Proxy sent as a message is not). */
// hot: every message of an instrumented system
export function isEnvelope(item: unknown): item is MetaEnvelope {
  try {
    return item instanceof MetaEnvelope;
  } catch {
    return false;
  }
}

/**
 * @internal The mailbox of one actor. The caller checks `len < capacity` before `push`.
 *
 * Most actors hold at most one message at a time, so that message lives in a field and the ring
 * buffer is allocated only when a second one queues behind it (and kept afterwards, unless it
 * grew large).
 */
export class Mailbox {
  buf: unknown[] = NONE;
  one: unknown = undefined;
  head = 0;
  len = 0;
  /**
   * The instrumentation's stamps of queued messages (a 32-bit time), parallel to `buf`, so that
   * a timed message allocates nothing; null until a stamped message queues.
   */
  stamps: Int32Array | null = null;
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

  // hot: every send. `item` is the message, or a MetaEnvelope around it.
  push(item: unknown): void {
    if (this.buf === NONE) {
      if (this.len === 0) {
        this.one = item;
        this.len = 1;
        return;
      }
      this.spill();
    } else if (this.len === this.buf.length) {
      this.grow();
    }
    this.buf[(this.head + this.len) & (this.buf.length - 1)] = item;
    this.len++;
  }

  /**
   * Queues a timed message with its stamp (an int32). Once the mailbox has a ring buffer the
   * stamp goes into a ring beside it, so a deep queue of timed messages allocates nothing per
   * message; before that (most actors hold one message at a time) the message and its stamp
   * share one envelope, which costs less than a ring per actor.
   */
  // hot: every timed send of an instrumented system
  pushStamped(item: unknown, stamp: number): void {
    if (this.buf === NONE) {
      this.push(new MetaEnvelope(item, stamp));
      return;
    }
    if (this.len === this.buf.length) this.grow();
    const stamps = (this.stamps ??= stampSlots(this.buf.length));
    const i = (this.head + this.len) & (this.buf.length - 1);
    this.buf[i] = item;
    stamps[i] = stamp === NO_STAMP ? NO_STAMP + 1 : stamp;
    this.len++;
  }

  /** The stamp of the message `shift` returns next ({@link NO_STAMP} if none); call it only when `stamps` is set. */
  peekStamp(): number {
    return (this.stamps as Int32Array)[this.head] as number;
  }

  // hot: every receive
  shift(): unknown {
    if (this.buf === NONE) {
      const item = this.one;
      this.one = undefined;
      this.len = 0;
      return item;
    }
    const i = this.head;
    const item = this.buf[i];
    this.buf[i] = undefined;
    if (this.stamps !== null) this.stamps[i] = NO_STAMP;
    this.head = (i + 1) & (this.buf.length - 1);
    if (--this.len === 0) {
      this.head = 0;
      if (this.buf.length > SHRINK_ABOVE) this.reset();
    }
    return item;
  }

  /** Removes every message; returns how many there were. */
  clear(): number {
    const n = this.len;
    this.reset();
    return n;
  }

  private reset(): void {
    this.buf = NONE;
    this.one = undefined;
    this.head = 0;
    this.len = 0;
    this.stamps = null;
  }

  /** A second message arrives: move the single one into a fresh ring buffer. */
  private spill(): void {
    this.buf = slots(INITIAL_SLOTS);
    this.buf[0] = this.one;
    this.one = undefined;
    this.head = 0;
  }

  private grow(): void {
    const old = this.buf;
    const mask = old.length - 1;
    const buf = slots(old.length * 2);
    for (let k = 0; k < this.len; k++) buf[k] = old[(this.head + k) & mask];
    const stamps = this.stamps;
    if (stamps !== null) {
      const next = stampSlots(buf.length);
      for (let k = 0; k < this.len; k++) next[k] = stamps[(this.head + k) & mask] as number;
      this.stamps = next;
    }
    this.buf = buf;
    this.head = 0;
  }
}
