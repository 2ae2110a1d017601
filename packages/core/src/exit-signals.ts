/**
 * Exit signals, links and monitors: how one actor's exit reaches others.
 *
 * @module
 */
import { checkExitSignalReason, checkPid } from './arguments.js';
import { LinkNoProcError } from './errors.js';
import { ExitReason as Exit, type ExitReason, type ExitSignalReason, normalizeSignalReason } from './exit-reason.js';
import { formatValue } from './format.js';
import { type Pid, RemotePid } from './pid.js';
import { type ActorProcess, ALIVE, DEAD, EXITING, type Monitor, type QueuedSignal } from './process.js';
import { type DownSignal, MonitorRef, type Signal, type SignalKind } from './signal.js';
import { KILL } from './exit.js';
import type { ActorSystem } from './system.js';

/** @internal */
export function exitFrom(sys: ActorSystem, sender: ActorProcess | null, pid: Pid, reason: ExitSignalReason): boolean {
  checkPid('exit', 'pid', pid);
  checkExitSignalReason('exit', 'reason', reason);
  if (pid instanceof RemotePid) return sys.dist !== null && sys.dist.exit(sender === null ? sys.rootPid : sender.pid, pid, reason);
  const target = pid.proc;
  if (target === null || target.status === DEAD || target.system !== sys) return false;
  const from = sender === null ? sys.rootPid : sender.pid;
  if (reason === 'kill') {
    deliverExit(sys, from, sender, target, Exit.killed, true);
  } else {
    const r = normalizeSignalReason(reason);
    if (target === sender && r.kind === 'normal' && !target.trapping) {
      // exit(self(), normal) ends the caller, as in Erlang.
      if (sys.ins !== null) sys.ins.signalReceived(target, 'exit', r, 'terminated');
      setPendingExit(sys, target, r);
    } else {
      deliverExit(sys, from, sender, target, r, false);
    }
  }
  return true;
}

/** Delivers an exit signal (from a link, `exit()`, or `kill`) to one receiver. */
export function deliverExit(sys: ActorSystem, from: Pid, fromProc: ActorProcess | null, to: ActorProcess, reason: ExitReason, kill: boolean): void {
  if (to.status === DEAD) return;
  const ins = sys.ins;
  const kind: SignalKind = kill ? 'kill' : 'exit';
  if (ins !== null) ins.signalSent(fromProc, to, kind, reason);
  if (kill) {
    if (ins !== null) ins.signalReceived(to, kind, reason, 'terminated');
    setPendingExit(sys, to, KILL);
  } else if (to.status === EXITING) {
    if (ins !== null) ins.signalReceived(to, kind, reason, 'ignored');
  } else if (to.trapping) {
    queueSignal(sys, to, { kind: 'exit', from, reason });
  } else if (reason.kind === 'normal') {
    if (ins !== null) ins.signalReceived(to, kind, reason, 'ignored');
  } else {
    if (ins !== null) ins.signalReceived(to, kind, reason, 'terminated');
    setPendingExit(sys, to, reason);
  }
}

export function setPendingExit(sys: ActorSystem, proc: ActorProcess, reason: ExitReason): void {
  if (proc.pendingExit === null || reason === KILL) proc.pendingExit = reason;
  sys.scheduler.enqueue(proc);
}

export function queueSignal(sys: ActorSystem, proc: ActorProcess, signal: Signal): void {
  const entry: QueuedSignal = { signal, after: proc.enqueued };
  const list = proc.signals;
  if (list === null) proc.signals = [entry];
  else list.push(entry);
  if (!proc.queued && !proc.suspended && proc.status <= ALIVE) sys.scheduler.enqueue(proc);
}

/**
 * @internal `link/1` as in Erlang: to a dead pid, a caller trapping exits gets `true` and an
 * `exit` signal with reason `noproc`; one not trapping exits gets {@link LinkNoProcError}.
 */
export function linkFrom(sys: ActorSystem, proc: ActorProcess, pid: Pid): boolean {
  checkPid('link', 'pid', pid);
  if (pid instanceof RemotePid && sys.dist !== null) {
    sys.dist.link(proc.pid, pid);
    return true;
  }
  const target = pid.proc;
  if (target === null || target.status === DEAD || target.system !== sys) {
    if (!proc.trapping) throw new LinkNoProcError(pid);
    queueSignal(sys, proc, { kind: 'exit', from: pid, reason: Exit.noproc });
    return true;
  }
  if (target !== proc) addLink(sys, proc, target);
  return true;
}

export function addLink(sys: ActorSystem, a: ActorProcess, b: ActorProcess): void {
  const links = (a.ext().links ??= new Set());
  if (links.has(b)) return;
  links.add(b);
  (b.ext().links ??= new Set()).add(a);
  if (sys.ins !== null) sys.ins.linkCreated(a, b);
}

/** @internal */
export function unlinkFrom(sys: ActorSystem, proc: ActorProcess, pid: Pid): void {
  checkPid('unlink', 'pid', pid);
  if (pid instanceof RemotePid && sys.dist !== null) sys.dist.unlink(proc.pid, pid);
  const target = pid.proc;
  if (target !== null && proc.x?.links?.delete(target) === true) target.x?.links?.delete(proc);
  dropSignals(sys, proc, (s) => s.kind === 'exit' && s.from === pid);
}

/** @internal */
export function monitorFrom(sys: ActorSystem, watcher: ActorProcess | null, pid: Pid, listener: ((down: DownSignal) => void) | null): MonitorRef {
  checkPid('monitor', 'pid', pid);
  const ref = new MonitorRef(sys.nextMonitorId++, pid, watcher);
  if (pid instanceof RemotePid && sys.dist !== null) {
    sys.dist.monitor(ref, watcher === null ? null : watcher.pid, listener);
    return ref;
  }
  const target = pid.proc;
  if (target === null || target.status === DEAD || target.system !== sys) {
    const down: DownSignal = { kind: 'down', ref, pid, reason: Exit.noproc };
    if (watcher !== null) queueSignal(sys, watcher, down);
    else if (listener !== null) queueMicrotask(() => notifyListener(sys, listener, down));
    return ref;
  }
  const m: Monitor = { ref, watcher, target, listener };
  (target.ext().monitoredBy ??= new Map()).set(ref.id, m);
  if (watcher !== null) (watcher.ext().monitors ??= new Map()).set(ref.id, m);
  if (sys.ins !== null) sys.ins.monitorCreated(watcher, target);
  return ref;
}

/** Removes a monitor (and its `down` signal, if queued and not yet handled). Returns true if it was active. */
export function demonitorRef(sys: ActorSystem, ref: MonitorRef): boolean {
  if (ref.target instanceof RemotePid && sys.dist !== null) {
    if (ref.watcher !== null) dropSignals(sys, ref.watcher, (s) => s.kind === 'down' && s.ref === ref);
    return sys.dist.demonitor(ref);
  }
  const target = ref.target.proc;
  const m = target?.x?.monitoredBy?.get(ref.id);
  if (m === undefined) {
    // It may have fired already: drop its down signal if not yet handled.
    if (ref.watcher !== null) dropSignals(sys, ref.watcher, (s) => s.kind === 'down' && s.ref === ref);
    return false;
  }
  target?.x?.monitoredBy?.delete(ref.id);
  m.watcher?.x?.monitors?.delete(ref.id);
  return true;
}

/** Calls a monitor listener: whatever it throws is logged, never raised. */
export function notifyListener(sys: ActorSystem, listener: (down: DownSignal) => void, down: DownSignal): void {
  try {
    listener(down);
  } catch (error) {
    sys.report('error', `a monitor listener of ${down.pid} threw: ${formatValue(error)}`, { error });
  }
}

function dropSignals(sys: ActorSystem, proc: ActorProcess, match: (s: Signal) => boolean): void {
  const list = proc.signals;
  if (list === null) return;
  const kept = list.filter((q) => !match(q.signal));
  proc.signals = kept.length === 0 ? null : kept;
}
