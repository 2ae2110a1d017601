/**
 * `sendAfter` timers: starting, firing, cancelling, and cancelling those of an actor that exits.
 *
 * @module
 */
import type { Destination } from './behavior.js';
import { resolve, sendFrom, typeOfDest } from './delivery.js';
import { isRemoteName } from './distribution.js';
import { RemotePid } from './pid.js';
import type { ActorExtras, ActorProcess } from './process.js';
import { TimerRef } from './timers.js';
import type { ActorSystem } from './system.js';

/** @internal a timer fell due: send, unless it was cancelled. */
export function fireTimer(sys: ActorSystem, timer: TimerRef): void {
  if (!timer.active) return;
  timer.active = false;
  sys.timersActive--;
  timer.owner?.x?.timers?.delete(timer);
  timer.owner = null;
  sendFrom(sys, null, timer.dest, timer.message);
}

/** @internal the actor a timer was aimed at exits: its timers die with it. */
export function cancelTimersOf(sys: ActorSystem, proc: ActorProcess): void {
  const timers = proc.x?.timers;
  if (timers === undefined || timers === null) return;
  (proc.x as ActorExtras).timers = null;
  for (const t of timers) {
    t.owner = null;
    cancel(sys, t);
  }
}

/** @internal `sendAfter` once its arguments are checked. */
export function startTimer(sys: ActorSystem, dest: Destination<unknown>, message: unknown, ms: number): TimerRef {
  const owner = typeof dest === 'string' ? null : resolve(sys, dest);
  const timer = new TimerRef(sys.nextTimerId++, dest, message, sys.clock.now() + ms, owner);
  const remote = sys.dist !== null && (dest instanceof RemotePid || isRemoteName(dest));
  if (owner === null && typeof dest !== 'string' && !remote) {
    // A timer to a dead pid would never deliver: do not even set it (it is a refused send).
    timer.active = false;
    sys.refusedCount++;
    if (sys.ins !== null) sys.ins.sendFailed('noproc', typeOfDest(dest), null);
    return timer;
  }
  timer.handle = sys.clock.setTimeout(sys.fireTimerBound, ms, timer);
  if (owner !== null) (owner.ext().timers ??= new Set()).add(timer);
  sys.timersActive++;
  return timer;
}

/** @internal `cancelTimer` once its argument is checked: the ms it had left, or false. */
export function cancel(sys: ActorSystem, timer: TimerRef): number | false {
  if (!timer.active) return false;
  timer.active = false;
  sys.timersActive--;
  sys.clock.clearTimeout(timer.handle);
  timer.owner?.x?.timers?.delete(timer);
  timer.owner = null;
  return Math.max(0, timer.fireAt - sys.clock.now());
}
