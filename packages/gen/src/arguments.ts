/**
 * Checking the arguments of the public API: typed errors naming the argument, thrown
 * synchronously, and safe on any value (a revoked Proxy throws even on `instanceof`).
 *
 * @module
 */
import { type ActorContext, ActorSystem, formatValue, InvalidArgumentError, isExitReason, Pid, type RemoteName } from '@joerl/core';

/** @internal `value instanceof type`, false where even asking throws (a revoked Proxy). */
export function isInstance<T>(value: unknown, type: abstract new (...args: never[]) => T): value is T {
  try {
    return value instanceof type;
  } catch {
    return false;
  }
}

/** @internal Checks a `system` argument. */
export function checkSystem(fn: string, system: unknown): void {
  if (!isInstance(system, ActorSystem)) throw new InvalidArgumentError(fn, 'system', system, 'an ActorSystem');
}

/** @internal Checks a registered-name argument. */
export function checkName(fn: string, name: unknown): void {
  if (typeof name !== 'string' || name.length === 0) throw new InvalidArgumentError(fn, 'name', name, 'a non-empty string');
}

/**
 * @internal Checks a server name argument: a registered name, or `{ name, node }` (a name on a
 * node). Returns it, a `{ name, node }` copied and frozen (so a getter is read once, here).
 */
export function checkServerName(fn: string, value: unknown): string | RemoteName {
  if (typeof value === 'string') {
    checkName(fn, value);
    return value;
  }
  let name: unknown, node: unknown;
  try {
    ({ name, node } = typeof value === 'object' && value !== null && !(value instanceof Pid) ? (value as Record<string, unknown>) : {});
  } catch {
    name = node = undefined; // a revoked Proxy, a throwing getter
  }
  if (typeof name !== 'string' || name.length === 0 || typeof node !== 'string' || node.length === 0) {
    throw new InvalidArgumentError(fn, 'name', value, "a registered name, or { name, node } for a name on another node (both non-empty strings)");
  }
  return Object.freeze({ name, node });
}

/** @internal Checks a pid argument. */
export function checkPid(fn: string, argument: string, pid: unknown): void {
  if (!isInstance(pid, Pid)) throw new InvalidArgumentError(fn, argument, pid, 'a Pid');
}

/**
 * @internal Checks the first argument of a start: an ActorSystem or an actor's ctx.
 * @throws InvalidArgumentError
 */
export function checkStarter(fn: string, starter: unknown): void {
  if (isInstance(starter, ActorSystem)) return;
  let system: unknown;
  try {
    system = typeof starter === 'object' && starter !== null ? (starter as ActorContext<unknown>).system : undefined;
  } catch {
    system = undefined; // a revoked Proxy, a throwing getter
  }
  if (!isInstance(system, ActorSystem)) throw new InvalidArgumentError(fn, 'starter', starter, "an ActorSystem, or an actor's ctx");
}

/** @internal Checks start options: an object or undefined, `name` a string, `link` a boolean or pid. */
export function checkStartOptions(fn: string, options: unknown): void {
  if (options === undefined) return;
  const expected = 'an object { name?, link?, type?, trapExit?, mailbox? }';
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(fn, 'options', options, expected);
  let name: unknown, type: unknown, trapExit: unknown;
  try {
    ({ name, type, trapExit } = options as Record<string, unknown>);
  } catch {
    throw new InvalidArgumentError(fn, 'options', options, `${expected} that can be read`);
  }
  if (name !== undefined && typeof name !== 'string') throw new InvalidArgumentError(fn, 'options.name', name, 'a string');
  if (type !== undefined && typeof type !== 'string') throw new InvalidArgumentError(fn, 'options.type', type, 'a string');
  if (trapExit !== undefined && typeof trapExit !== 'boolean') throw new InvalidArgumentError(fn, 'options.trapExit', trapExit, 'a boolean');
}

/** @internal An Error for any thrown value, its message made safely. */
export function asError(error: unknown): Error {
  return isInstance(error, Error) ? error : new Error(formatValue(error));
}

/** @internal Checks an exit reason argument: one of core's `ExitReason` union. */
export function checkExitReason(fn: string, reason: unknown): void {
  let ok: boolean;
  try {
    ok = isExitReason(reason);
  } catch {
    ok = false; // a revoked Proxy, a throwing getter
  }
  if (!ok) throw new InvalidArgumentError(fn, 'reason', reason, "an ExitReason, e.g. ExitReason.normal, ExitReason.shutdown() or ExitReason.custom('why')");
}

/** @internal Checks the options object of a `childSpec` helper. */
export function checkChildSpecOptions(fn: string, options: unknown): void {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(fn, 'options', options, 'an object { id?, name?, type?, restart?, shutdown? }');
}
