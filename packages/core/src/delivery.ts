/**
 * Delivery: sends, overflow policies and backpressure waiters — plain functions over the actor
 * record, owned by {@link ActorSystem}.
 *
 * @module
 */
import type { Destination } from './behavior.js';
import { type Mailbox, MetaEnvelope } from './mailbox.js';
import { isRemoteName } from './distribution.js';
import { isPid, type Pid, RemotePid } from './pid.js';
import type { ActorProcess } from './process.js';
import type { ActorType } from './actor-type.js';
import { SendWaiter, WaiterQueue } from './waiters.js';
import type { ActorSystem } from './system.js';

/**
 * The flags of `process.ts` this hot path tests, declared again here: a constant of this module
 * is a plain context load, while an imported one is a module-cell load plus a hole check at
 * every use (measured: a fifth of the instructions of a ping-pong). `flags.test.ts` checks that
 * these copies match.
 */
const QUEUED = 4;
const SUSPENDED = 8;
const ALIVE = 1;

/** @internal the mirror, for `flags.test.ts` */
export const DELIVERY_FLAGS: Readonly<Record<string, number>> = { QUEUED, SUSPENDED, ALIVE };

/** @internal */
// hot: every send
export function sendFrom(sys: ActorSystem, sender: ActorProcess | null, dest: Destination<unknown>, message: unknown): boolean {
  const proc = resolve(sys, dest);
  if (proc === null) {
    // Another node's actor: the distribution carries it (and counts its own failures).
    if (sys.dist !== null && (dest instanceof RemotePid || isRemoteName(dest))) {
      const events = sys.distEvents;
      return sys.dist.send(sender === null ? null : sender.pid, dest, message, events === null ? undefined : events.traceOut(sender));
    }
    sys.refusedCount++;
    if (sys.ins !== null) sys.ins.sendFailed('noproc', typeOfDest(dest), sender);
    return false;
  }
  const box: Mailbox = proc;
  if (box.len >= box.capacity) return overflow(sys, proc, message, sender);
  const ins = sys.ins;
  if (ins === null) box.push(message);
  else pushWithMeta(box, message, ins.messageSent(proc, sender, message));
  proc.enqueued++;
  if ((proc.flags & (QUEUED | SUSPENDED)) === 0) sys.scheduler.enqueue(proc);
  return true;
}

/**
 * `sendAsync` once its arguments are checked: sends at once unless the destination's mailbox is
 * full under `backpressure`; then waits in its queue, with a deadline (`Infinity`: none).
 */
export function sendOrWait(sys: ActorSystem, dest: Destination<unknown>, message: unknown, timeoutMs: number): Promise<boolean> {
  const proc = resolve(sys, dest);
  if (proc === null || proc.len < proc.capacity || proc.overflow !== 'backpressure') {
    return Promise.resolve(sendFrom(sys, null, dest, message));
  }
  if (sys.ins !== null) sys.ins.mailboxFull(proc);
  return new Promise<boolean>((resolve) => {
    const waiter = new SendWaiter(message, null, resolve, proc);
    (proc.waiters ??= new WaiterQueue()).push(waiter);
    sys.deadlines.add(waiter, timeoutMs);
  });
}

/** A waiter's deadline passed (the deadline has already marked it settled). */
export function waiterTimedOut(sys: ActorSystem, w: SendWaiter): void {
  const proc = w.proc;
  const queue = proc.waiters;
  if (queue !== null) {
    queue.forget();
    if (queue.live === 0) proc.waiters = null;
  }
  sys.refusedCount++;
  if (sys.ins !== null) sys.ins.sendFailed('timeout', proc.actorType, w.sender);
  w.resolve(false);
}

export function overflow(sys: ActorSystem, proc: ActorProcess, message: unknown, sender: ActorProcess | null): boolean {
  const ins = sys.ins;
  if (ins !== null) ins.mailboxFull(proc);
  const box: Mailbox = proc;
  if (box.overflow !== 'drop-oldest') {
    sys.refusedCount++;
    if (ins !== null) ins.sendFailed('mailbox_full', proc.actorType, sender);
    return false;
  }
  box.shift();
  proc.consumed++;
  proc.ext().dropped++;
  sys.droppedCount++;
  if (ins !== null) ins.sendFailed('dropped', proc.actorType, sender);
  if (ins === null) box.push(message);
  else pushWithMeta(box, message, ins.messageSent(proc, sender, message));
  proc.enqueued++;
  if ((proc.flags & (QUEUED | SUSPENDED)) === 0) sys.scheduler.enqueue(proc);
  return true;
}

export function admitWaiter(sys: ActorSystem, proc: ActorProcess): void {
  if (proc.len >= proc.capacity) return;
  const queue = proc.waiters as WaiterQueue;
  const w = queue.take();
  if (queue.live === 0) proc.waiters = null;
  if (w === undefined) return;
  w.settled = true;
  sys.deadlines.cancel(w);
  const ins = sys.ins;
  if (ins === null) proc.push(w.message);
  else pushWithMeta(proc, w.message, ins.messageSent(proc, w.sender, w.message));
  proc.enqueued++;
  w.resolve(true);
}

// hot: resolves every destination
export function resolve(sys: ActorSystem, dest: Destination<unknown>): ActorProcess | null {
  const proc = isPid(dest) ? dest.proc : typeof dest === 'string' ? sys.registry.get(dest) : undefined;
  return proc !== null && proc !== undefined && proc.status <= ALIVE && proc.system === sys ? proc : null;
}

export function liveProc(sys: ActorSystem, pid: Pid): ActorProcess | null {
  const proc = pid.proc;
  return proc !== null && proc.status <= ALIVE && proc.system === sys ? proc : null;
}

/**
 * Queues a message with the instrumentation's meta for it: none, bare; a timestamp (an int32),
 * in the mailbox's stamp ring, allocating nothing; anything else (a trace context), in an envelope.
 */
export function pushWithMeta(box: Mailbox, message: unknown, meta: unknown): void {
  if (meta === undefined) box.push(message);
  else if (typeof meta === 'number' && (meta | 0) === meta) box.pushStamped(message, meta);
  else box.push(new MetaEnvelope(message, meta));
}

/** The type of a pid destination (null for a name, or anything else). */
export function typeOfDest(dest: Destination<unknown>): ActorType | null {
  return isPid(dest) ? dest.actorType : null;
}
