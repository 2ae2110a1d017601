/**
 * Argument checks of the public API: each throws {@link InvalidArgumentError} naming the
 * argument, synchronously, before anything changes.
 *
 * @module
 */
import { isRemoteName } from './distribution.js';
import { InvalidArgumentError } from './errors.js';
import { type ExitReason, type ExitSignalReason, isExitReason } from './exit-reason.js';
import { isPid, type Pid } from './pid.js';
import { MonitorRef } from './signal.js';
import { TimerRef } from './timers.js';

/** `instanceof` that never throws (it does on a revoked Proxy). */
function isInstance(value: unknown, type: abstract new (...args: never[]) => unknown): boolean {
  try {
    return value instanceof type;
  } catch {
    return false;
  }
}

/** @internal */
export function checkPid(fn: string, argument: string, value: unknown): asserts value is Pid {
  if (!isPid(value)) throw new InvalidArgumentError(fn, argument, value, 'a Pid (or ActorRef)');
}

/** @internal */
export function checkName(fn: string, argument: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') throw new InvalidArgumentError(fn, argument, value, 'a registered name (a string)');
}

/** @internal */
export function checkDestination(fn: string, argument: string, value: unknown): void {
  if (!isPid(value) && typeof value !== 'string' && !isRemoteName(value)) {
    throw new InvalidArgumentError(fn, argument, value, 'a Pid (or ActorRef), a registered name, or { name, node } for a name on another node');
  }
}

/** @internal */
export function checkBoolean(fn: string, argument: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean') throw new InvalidArgumentError(fn, argument, value, 'true or false');
}

/** @internal */
export function checkFunction(fn: string, argument: string, value: unknown): void {
  if (typeof value !== 'function') throw new InvalidArgumentError(fn, argument, value, 'a function');
}

/** @internal */
export function checkTimerRef(fn: string, argument: string, value: unknown): asserts value is TimerRef {
  if (!isInstance(value, TimerRef)) throw new InvalidArgumentError(fn, argument, value, 'a TimerRef returned by sendAfter');
}

/** @internal */
export function checkMonitorRef(fn: string, argument: string, value: unknown): asserts value is MonitorRef {
  if (!isInstance(value, MonitorRef)) throw new InvalidArgumentError(fn, argument, value, 'a MonitorRef returned by monitor');
}

/**
 * @internal A delay in milliseconds: a finite number >= 0, or `Infinity` where `infinity`
 * says "never" is allowed. Delays past 2^31 - 1 ms are fine: the clock re-arms in chunks.
 */
export function checkDelay(fn: string, argument: string, value: unknown, infinity: boolean): asserts value is number {
  if (typeof value === 'number' && value >= 0 && (infinity || value !== Number.POSITIVE_INFINITY)) return;
  throw new InvalidArgumentError(
    fn,
    argument,
    value,
    infinity ? 'a number of milliseconds >= 0, or Infinity for never' : 'a finite number of milliseconds >= 0',
  );
}

/** @internal An {@link ExitReason} (what `stop` takes). */
export function checkExitReason(fn: string, argument: string, value: unknown): asserts value is ExitReason {
  if (!isExitReason(value)) {
    throw new InvalidArgumentError(fn, argument, value, "an ExitReason (e.g. ExitReason.normal, ExitReason.custom('why'))");
  }
}

/** @internal An {@link ExitSignalReason} (what `exit` takes). */
export function checkExitSignalReason(fn: string, argument: string, value: unknown): asserts value is ExitSignalReason {
  if (value === 'kill' || value === 'normal' || value === 'shutdown' || isExitReason(value)) return;
  throw new InvalidArgumentError(fn, argument, value, "'kill', 'normal', 'shutdown', or an ExitReason");
}
