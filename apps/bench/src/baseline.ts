/**
 * The baseline: a minimal actor loop written by hand, with no library — a ring-buffer mailbox
 * per actor and a run queue drained in turns, yielding to the event loop now and then, as
 * joerl does. Every scenario is written against it and against joerl, and measured in one run.
 */

export type Handler = (msg: unknown, self: BaseActor) => void;

export class BaseActor {
  buf: unknown[] = [undefined, undefined, undefined, undefined];
  head = 0;
  len = 0;
  mask = 3;
  queued = false;
  readonly handler: Handler;
  readonly loop: BaseLoop;
  constructor(loop: BaseLoop, handler: Handler) {
    this.loop = loop;
    this.handler = handler;
  }
  push(msg: unknown): void {
    if (this.len === this.buf.length) {
      const size = this.buf.length * 2;
      const next: unknown[] = new Array<unknown>(size).fill(undefined);
      for (let k = 0; k < this.len; k++) next[k] = this.buf[(this.head + k) & this.mask];
      this.buf = next;
      this.head = 0;
      this.mask = size - 1;
    }
    this.buf[(this.head + this.len) & this.mask] = msg;
    this.len++;
  }
  shift(): unknown {
    const m = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.len--;
    return m;
  }
}

export class BaseLoop {
  private q: (BaseActor | undefined)[] = new Array<BaseActor | undefined>(16).fill(undefined);
  private qh = 0;
  private ql = 0;
  private qm = 15;
  private pending = false;
  private readonly drainBound = () => this.drain();

  spawn(handler: Handler): BaseActor {
    return new BaseActor(this, handler);
  }

  send(to: BaseActor, msg: unknown): void {
    to.push(msg);
    if (!to.queued) this.enqueue(to);
  }

  private enqueue(a: BaseActor): void {
    a.queued = true;
    if (this.ql === this.q.length) {
      const size = this.q.length * 2;
      const next = new Array<BaseActor | undefined>(size).fill(undefined);
      for (let k = 0; k < this.ql; k++) next[k] = this.q[(this.qh + k) & this.qm];
      this.q = next;
      this.qh = 0;
      this.qm = size - 1;
    }
    this.q[(this.qh + this.ql) & this.qm] = a;
    this.ql++;
    if (!this.pending) {
      this.pending = true;
      queueMicrotask(this.drainBound);
    }
  }

  private drain(): void {
    const start = performance.now();
    let turns = 0;
    while (this.ql > 0) {
      const a = this.q[this.qh] as BaseActor;
      this.q[this.qh] = undefined;
      this.qh = (this.qh + 1) & this.qm;
      this.ql--;
      a.queued = false;
      for (let n = 0; n < 64 && a.len > 0; n++) a.handler(a.shift(), a);
      if (a.len > 0 && !a.queued) this.enqueue(a);
      if ((++turns & 31) === 0 && performance.now() - start >= 5) {
        setImmediate(this.drainBound);
        return;
      }
    }
    this.pending = false;
  }
}
