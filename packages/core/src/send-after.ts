/**
 * `sendAfter` timers: firing, and cancelling those of an actor that exits.
 *
 * @module
 */
import type { ActorExtras, ActorProcess } from './process.js';
import type { TimerRef } from './timers.js';
import { sendFrom } from './delivery.js';
import type { ActorSystem } from './system.js';

export function fireTimer(sys: ActorSystem, timer: TimerRef): void {
  if (!timer.active) return;
  timer.active = false;
  sys.timersActive--;
  timer.owner?.x?.timers?.delete(timer);
  timer.owner = null;
  sendFrom(sys, null, timer.dest, timer.message);
}

export function cancelTimersOf(sys: ActorSystem, proc: ActorProcess): void {
  const timers = proc.x?.timers;
  if (timers === undefined || timers === null) return;
  (proc.x as ActorExtras).timers = null;
  for (const t of timers) {
    t.owner = null;
    sys.cancelTimer(t);
  }
}
