/**
 * Exiting: `terminate`, then the actor's end — freeing its name, counting what it left in its
 * mailbox, and telling links, monitors, joiners and waiters.
 *
 * @module
 */
import { ExitReason as Exit, type ExitReason } from './exit-reason.js';
import { formatValue } from './format.js';
import { type ActorProcess, ALIVE, DEAD, EXITING, PHASE_MESSAGE, PHASE_NONE } from './process.js';
import type { DownSignal } from './signal.js';
import { deliverExit, notifyListener, queueSignal } from './exit-signals.js';
import { cancelTimersOf } from './send-after.js';
import type { ActorSystem } from './system.js';

/**
 * The reason an actor gets from the untrappable `'kill'` signal. It reads `{ kind: 'killed' }`
 * like any other, but only this object skips `terminate`: an actor that *chooses* to stop with
 * `killed` (say, because its trapped parent was killed) still runs it, as OTP does.
 */
export const KILL: ExitReason = Object.freeze({ kind: 'killed' });

export function beginExit(sys: ActorSystem, proc: ActorProcess, reason: ExitReason): void {
  proc.pendingExit = null;
  if (proc.status === DEAD) return;
  if (proc.status === EXITING) {
    // Only a kill interrupts a terminate in progress.
    if (reason === KILL) finalize(sys, proc, KILL);
    return;
  }
  if (proc.phase === PHASE_MESSAGE && sys.ins !== null && proc.ext().curSeen) {
    // The async handler it awaited is abandoned: close its measurement as failed.
    const x = proc.ext();
    sys.ins.messageEnd(proc, x.curMeta, x.curToken, true, undefined);
    x.curMeta = undefined;
    x.curToken = undefined;
  }
  proc.status = EXITING;
  proc.phase = PHASE_NONE;
  proc.suspended = false;
  cancelTimersOf(sys, proc);
  const behavior = proc.behavior;
  if (reason !== KILL && typeof behavior.terminate === 'function') {
    // OTP (gen_server, gen_statem): a crash in terminate replaces the exit reason, so that
    // links, monitors and supervisors see the error.
    let result: unknown;
    let then: unknown;
    try {
      result = behavior.terminate(reason, proc);
      if (result !== undefined && result !== null) then = (result as { then?: unknown }).then;
    } catch (error) {
      terminateFailed(sys, proc, error);
      finalize(sys, proc, Exit.error(error));
      return;
    }
    if (typeof then === 'function') {
      proc.suspended = true;
      const failed = (error: unknown): void => {
        if (proc.status !== EXITING) return;
        terminateFailed(sys, proc, error);
        finalize(sys, proc, Exit.error(error));
      };
      try {
        (then as PromiseLike<void>['then']).call(result, () => finalize(sys, proc, reason), failed);
      } catch (error) {
        failed(error);
      }
      return;
    }
  }
  finalize(sys, proc, reason);
}

function terminateFailed(sys: ActorSystem, proc: ActorProcess, error: unknown): void {
  if (sys.ins !== null) sys.ins.actorCrashed(proc, error, 'terminate');
  if (sys.logger !== null) {
    sys.report('error', `actor ${proc.pid} (type '${proc.actorType.name}') crashed in terminate: ${formatValue(error)}`, {
      pid: proc.pid.toString(),
      type: proc.actorType.name,
      phase: 'terminate',
      error,
    });
  }
}

function finalize(sys: ActorSystem, proc: ActorProcess, reason: ExitReason): void {
  if (proc.status === DEAD) return;
  proc.status = DEAD;
  proc.suspended = false;
  proc.pendingExit = null;
  sys.removeLive(proc);
  sys.processedCount += proc.processed;
  sys.enqueuedCount += proc.enqueued;
  if (proc.name !== undefined) sys.registry.remove(proc.name);
  proc.pid.proc = null;
  const ins = sys.ins;
  const discarded = proc.len;
  sys.discardedCount += discarded;
  if (ins !== null) {
    if (discarded > 0) ins.messagesDiscarded(proc, discarded);
    ins.actorStopped(proc, reason, sys.clock.now() - proc.spawnedAt);
  }
  proc.clear();
  proc.signals = null;
  const x = proc.x;
  if (x === null) return; // no links, monitors, joiners or waiters: nobody to tell
  const queue = proc.waiters;
  if (queue !== null) {
    proc.waiters = null;
    for (const w of queue.drain()) {
      w.settled = true;
      sys.deadlines.cancel(w);
      sys.refusedCount++;
      if (ins !== null) ins.sendFailed('noproc', proc.actorType, w.sender);
      w.resolve(false);
    }
  }
  // Monitors sys actor held die with it.
  if (x.monitors !== null) {
    for (const m of x.monitors.values()) m.target.x?.monitoredBy?.delete(m.ref.id);
    x.monitors = null;
  }
  if (x.links !== null) {
    const links = x.links;
    x.links = null;
    // Linked actors see `killed`, but as an ordinary reason: if it ends them, their terminate runs.
    const propagated = reason === KILL ? Exit.killed : reason;
    for (const other of links) {
      other.x?.links?.delete(proc);
      deliverExit(sys, proc.pid, proc, other, propagated, false);
    }
  }
  if (x.monitoredBy !== null) {
    const monitors = x.monitoredBy;
    x.monitoredBy = null;
    for (const m of monitors.values()) {
      const down: DownSignal = { kind: 'down', ref: m.ref, pid: proc.pid, reason };
      if (m.watcher !== null) {
        m.watcher.x?.monitors?.delete(m.ref.id);
        if (m.watcher.status <= ALIVE) {
          if (ins !== null) ins.signalSent(proc, m.watcher, 'down', reason);
          queueSignal(sys, m.watcher, down);
        }
      } else if (m.listener !== null) {
        notifyListener(sys, m.listener, down);
      }
    }
  }
  if (x.joiners !== null) {
    const joiners = x.joiners;
    x.joiners = null;
    for (const j of joiners) j(reason);
  }
}
