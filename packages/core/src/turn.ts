/**
 * The turn: what one actor does when the scheduler runs it (init, signals, messages, async
 * handlers and crashes).
 *
 * @module
 */
import { checkExitReason } from './arguments.js';
import type { Behavior } from './behavior.js';
import { ExitReason as Exit, type ExitReason } from './exit-reason.js';
import { formatValue } from './format.js';
import type { CrashPhase, Instrumentation } from './instrumentation.js';
import { isEnvelope, type Mailbox } from './mailbox.js';
import {
  type ActorProcess,
  DEAD,
  EXITING,
  PHASE_INIT,
  PHASE_MESSAGE,
  PHASE_NONE,
  PHASE_SIGNAL,
  type QueuedSignal,
  STARTING,
} from './process.js';
import { admitWaiter } from './delivery.js';
import { setPendingExit } from './exit-signals.js';
import { beginExit } from './exit.js';
import type { ActorSystem } from './system.js';

/**
 * The flags of `process.ts` this hot path tests, declared again here: a constant of this module
 * is a plain context load, while an imported one is a module-cell load plus a hole check at
 * every use (measured: a fifth of the instructions of a ping-pong). `flags.test.ts` checks that
 * these copies match.
 */
const ALIVE = 1;
const TRAPPING = 32;
const SUSPENDED = 8;
const PENDING_EXIT = 256;
const HAS_SIGNALS = 512;
const HAS_WAITERS = 1024;
const STATUS_BITS = 3;
const INIT_PENDING = 16;
/** mailbox.ts's NO_STAMP, declared here for the same reason */
const NO_STAMP = -2147483648;

/** @internal the mirror, for `flags.test.ts` */
export const TURN_FLAGS: Readonly<Record<string, number>> = { ALIVE, TRAPPING, SUSPENDED, PENDING_EXIT, HAS_SIGNALS, HAS_WAITERS, STATUS_BITS, INIT_PENDING, NO_STAMP };

/** @internal Runs one turn of `proc`; returns whether it still has work. */
// hot: every scheduled actor
export function runTurn(sys: ActorSystem, proc: ActorProcess, budget: number): boolean {
  // The common case — alive, nothing pending — skips every special case with one compare.
  if ((proc.flags & ~TRAPPING) !== ALIVE) {
    if (!prepareTurn(sys, proc)) return wantsToRun(sys, proc);
  }
  const sched = sys.scheduler;
  sched.current = proc;
  const box: Mailbox = proc;
  const behavior = proc.behavior;
  const ins = sys.ins;
  for (let n = 0; n < budget; n++) {
    // the slice is checked between messages (the scheduler counts the turn's first one)
    if (n !== 0 && --sched.countdown <= 0 && sched.overSlice()) break;
    const flags = proc.flags;
    // one test for the common case: nothing awaited, no exit due, no signal or waiter queued
    if ((flags & (SUSPENDED | PENDING_EXIT | HAS_SIGNALS | HAS_WAITERS)) !== 0) {
      if ((flags & (SUSPENDED | PENDING_EXIT)) !== 0) break;
      if ((flags & HAS_SIGNALS) !== 0 && ((proc.signals as QueuedSignal[])[0] as QueuedSignal).after <= proc.consumed) {
        runSignal(sys, proc);
        continue;
      }
    }
    if (box.len === 0) break;
    // a timed message's stamp sits beside it in the mailbox (no stamps: never instrumented)
    const stamp = box.stamps === null ? NO_STAMP : box.peekStamp();
    const item = box.shift();
    proc.consumed++;
    if ((flags & HAS_WAITERS) !== 0) admitWaiter(sys, proc);
    // Without instrumentation, or for a message it does not want to see, the plain path.
    if (ins === null || (!ins.perMessage && stamp === NO_STAMP && !isEnvelope(item))) {
      let result: unknown;
      let then: unknown;
      try {
        result = behavior.receive(item, proc);
        // read inside the try: a result whose `then` getter throws is a crash like any other
        if (result !== undefined && result !== null) then = (result as { then?: unknown }).then;
      } catch (error) {
        crash(sys, proc, error, 'receive');
        break;
      }
      if (typeof then === 'function') {
        if (ins !== null) proc.ext().curSeen = false;
        suspend(sys, proc, result, then, PHASE_MESSAGE);
        break;
      }
    } else if (
      stamp !== NO_STAMP
        ? !runInstrumented(sys, proc, behavior, item, stamp, ins)
        : isEnvelope(item)
          ? !runInstrumented(sys, proc, behavior, item.message, item.meta, ins)
          : !runInstrumented(sys, proc, behavior, item, undefined, ins)
    ) {
      break;
    }
  }
  sched.current = null;
  const flags = proc.flags;
  // the common end: alive, nothing due but messages (wantsToRun's answer, with one test)
  if ((flags & (STATUS_BITS | SUSPENDED | INIT_PENDING | PENDING_EXIT | HAS_SIGNALS)) === ALIVE) return box.len > 0;
  if ((flags & PENDING_EXIT) !== 0) beginExit(sys, proc, proc.pendingExit as ExitReason);
  return wantsToRun(sys, proc);
}

/** The uncommon starts of a turn: a due exit, a suspended or dead actor, a pending init. Returns whether messages may run. */
function prepareTurn(sys: ActorSystem, proc: ActorProcess): boolean {
  if (proc.pendingExit !== null) {
    beginExit(sys, proc, proc.pendingExit);
    return false;
  }
  if (proc.suspended || proc.status > ALIVE) return false;
  if (proc.initPending) {
    proc.initPending = false;
    sys.scheduler.current = proc;
    runInit(sys, proc);
    sys.scheduler.current = null;
    if (proc.pendingExit !== null) {
      beginExit(sys, proc, proc.pendingExit);
      return false;
    }
    if (proc.suspended) return false;
  }
  return true;
}

/** Whether `proc` has work the scheduler should queue it for. */
function wantsToRun(sys: ActorSystem, proc: ActorProcess): boolean {
  const flags = proc.flags;
  if ((flags & PENDING_EXIT) !== 0) return true;
  if ((flags & SUSPENDED) !== 0 || (flags & STATUS_BITS) > ALIVE) return false;
  return (
    (flags & INIT_PENDING) !== 0 ||
    proc.len > 0 ||
    ((flags & HAS_SIGNALS) !== 0 && ((proc.signals as QueuedSignal[])[0] as QueuedSignal).after <= proc.consumed)
  );
}

/** Handles one message with instrumentation; returns false if the turn must end. */
function runInstrumented(
  sys: ActorSystem,
  proc: ActorProcess,
  behavior: Behavior<unknown>,
  message: unknown,
  meta: unknown,
  ins: Instrumentation,
): boolean {
  const token = ins.messageStart(proc, meta);
  let result: unknown;
  let then: unknown;
  try {
    result =
      token === undefined
        ? behavior.receive(message, proc)
        : // eslint-disable-next-line @typescript-eslint/unbound-method -- invoke calls it with thisArg = behavior
          ins.invoke(token, behavior.receive, behavior, message, proc);
    if (result !== undefined && result !== null) then = (result as { then?: unknown }).then;
  } catch (error) {
    ins.messageEnd(proc, meta, token, true, error);
    crash(sys, proc, error, 'receive');
    return false;
  }
  if (typeof then === 'function') {
    const x = proc.ext();
    x.curMeta = meta;
    x.curToken = token;
    x.curSeen = true;
    suspend(sys, proc, result, then, PHASE_MESSAGE);
    return false;
  }
  ins.messageEnd(proc, meta, token, false, undefined);
  return true;
}

function runInit(sys: ActorSystem, proc: ActorProcess): void {
  let result: unknown;
  let then: unknown;
  try {
    result = (proc.behavior as Required<Behavior<unknown>>).init(proc);
    if (result !== undefined && result !== null) then = (result as { then?: unknown }).then;
  } catch (error) {
    crash(sys, proc, error, 'init');
    return;
  }
  if (typeof then === 'function') {
    suspend(sys, proc, result, then, PHASE_INIT);
    return;
  }
  if (proc.status === STARTING) proc.status = ALIVE;
}

function runSignal(sys: ActorSystem, proc: ActorProcess): void {
  const signals = proc.signals as QueuedSignal[];
  const { signal } = signals.shift() as QueuedSignal;
  if (signals.length === 0) proc.signals = null;
  const behavior = proc.behavior;
  const ins = sys.ins;
  if (typeof behavior.handleSignal !== 'function') {
    if (ins !== null) ins.signalReceived(proc, signal.kind, signal.reason, 'ignored');
    return;
  }
  if (ins !== null) ins.signalReceived(proc, signal.kind, signal.reason, 'delivered');
  let result: unknown;
  let then: unknown;
  try {
    result = behavior.handleSignal(signal, proc);
    if (result !== undefined && result !== null) then = (result as { then?: unknown }).then;
  } catch (error) {
    crash(sys, proc, error, 'signal');
    return;
  }
  if (typeof then === 'function') suspend(sys, proc, result, then, PHASE_SIGNAL);
}

/** Awaits a handler's thenable (`then` was read once, by the caller). */
function suspend(sys: ActorSystem, proc: ActorProcess, thenable: unknown, then: unknown, phase: number): void {
  proc.suspended = true;
  proc.phase = phase;
  const x = proc.ext();
  if (x.onResolved === null) {
    x.onResolved = () => resumed(sys, proc, undefined, true);
    x.onRejected = (error: unknown) => resumed(sys, proc, error, false);
  }
  try {
    (then as PromiseLike<void>['then']).call(thenable, x.onResolved, x.onRejected);
  } catch (error) {
    // a `then` that throws is a rejection (unless it settled first: then sys is ignored)
    x.onRejected?.(error);
  }
}

function resumed(sys: ActorSystem, proc: ActorProcess, error: unknown, ok: boolean): void {
  const phase = proc.phase;
  // A phase that is over (the actor was killed, or began exiting) settles into nothing.
  if (phase === PHASE_NONE || proc.status === DEAD || proc.status === EXITING) return;
  proc.phase = PHASE_NONE;
  proc.suspended = false;
  if (phase === PHASE_MESSAGE) {
    if (sys.ins !== null && proc.ext().curSeen) {
      const x = proc.ext();
      sys.ins.messageEnd(proc, x.curMeta, x.curToken, !ok, ok ? undefined : error);
      x.curMeta = undefined;
      x.curToken = undefined;
    }
  }
  if (!ok) {
    crash(sys, proc, error, phase === PHASE_INIT ? 'init' : phase === PHASE_SIGNAL ? 'signal' : 'receive');
    sys.scheduler.enqueue(proc);
    return;
  }
  if (phase === PHASE_INIT && proc.status === STARTING) proc.status = ALIVE;
  if (wantsToRun(sys, proc)) sys.scheduler.enqueue(proc);
}

export function crash(sys: ActorSystem, proc: ActorProcess, error: unknown, phase: CrashPhase): void {
  if (sys.ins !== null) sys.ins.actorCrashed(proc, error, phase);
  if (sys.logger !== null) {
    sys.report('error', `actor ${proc.pid} (type '${proc.actorType.name}') crashed in ${phase}: ${formatValue(error)}`, {
      pid: proc.pid.toString(),
      type: proc.actorType.name,
      phase,
      error,
    });
  }
  if (proc.pendingExit === null) proc.pendingExit = Exit.error(error);
}

/** @internal */
export function stopSelf(sys: ActorSystem, proc: ActorProcess, reason: ExitReason): void {
  checkExitReason('stop', 'reason', reason);
  if (proc.status > ALIVE) return;
  setPendingExit(sys, proc, reason);
}
