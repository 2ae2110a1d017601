/**
 * Who may stop a server with an exit signal: its parent, as in OTP.
 *
 * OTP's parent is the process that called `start_link`. Ours is the actor whose `ctx` started
 * the server (core's `parent`; a supervisor for its children). A server started from plain code
 * (`GenServer.start(system, ...)`) has no parent: an exit signal sent with `system.exit` reaches
 * a trapping server's `handleInfo` like any other. Two signals from the system stop any server,
 * since they are the system's own stop: those of `system.shutdown()`, and the one `ref.stop()`
 * falls back to when the server's mailbox is full.
 *
 * @module
 */
import type { ActorContext, ExitSignal, Pid, Signal } from '@joerl/core';

/** Servers `ref.stop()` asked to stop by exit signal (their mailbox refused the stop request). */
const stopRequested = new WeakSet<Pid>();

/** @internal Marks `pid`: the exit signal the system sends it next is a stop request. */
export function requestStop(pid: Pid): void {
  stopRequested.add(pid);
}

/** @internal Whether `signal` is an exit that stops the server (OTP: an exit from its parent). */
export function isParentExit(signal: Signal, ctx: ActorContext<unknown>): boolean {
  if (signal.kind !== 'exit') return false;
  if (ctx.parent !== null && signal.from === ctx.parent) return true;
  const system = ctx.system;
  return signal.from === system.rootPid && (system.status !== 'running' || stopRequested.has(ctx.self));
}

/** @internal Whether an info message is an exit signal; false for anything else, however hostile. */
export function isExitSignal(message: unknown): message is ExitSignal {
  try {
    return typeof message === 'object' && message !== null && (message as { kind?: unknown }).kind === 'exit';
  } catch {
    return false; // a revoked Proxy or a throwing getter sent as a plain message
  }
}
