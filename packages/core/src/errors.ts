/**
 * Errors thrown by joerl. Every error has a stable `code` to branch on.
 *
 * Runtime conditions that are normal in an actor system (a send to a dead pid, a full
 * mailbox) are returned as values; these errors are for programmer mistakes and for
 * promises that cannot be fulfilled (a call that timed out).
 *
 * @module
 */
import type { Pid } from './pid.js';

/**
 * The base class of every error joerl throws or rejects with.
 *
 * @example
 * ```ts
 * try { system.register('db', pid); }
 * catch (e) { if (e instanceof JoerlError && e.code === 'NAME_TAKEN') ... }
 * ```
 * @since 0.1.0
 */
export class JoerlError extends Error {
  /** A stable, machine-readable code, e.g. `'NAME_TAKEN'`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Thrown when a name is already registered to another live actor. Code `NAME_TAKEN`. */
export class NameTakenError extends JoerlError {
  declare readonly code: 'NAME_TAKEN';
  /** The contested name. */
  readonly actorName: string;
  /** Printed pid of the current holder. */
  readonly holder: string;
  constructor(actorName: string, holder: string) {
    super(
      'NAME_TAKEN',
      `the name '${actorName}' is already registered to ${holder}; pick another name, or unregister it (or let that actor exit) first`,
    );
    this.actorName = actorName;
    this.holder = holder;
  }
}

/** Thrown for a name that cannot be registered. Code `INVALID_NAME`. */
export class InvalidNameError extends JoerlError {
  declare readonly code: 'INVALID_NAME';
  /** The rejected value. */
  readonly value: unknown;
  constructor(value: unknown, why: string) {
    super('INVALID_NAME', `invalid actor name ${describe(value)}: ${why}`);
    this.value = value;
  }
}

/** Thrown for a bad option or configuration value; `setting` names it. Code `INVALID_CONFIG`. */
export class InvalidConfigError extends JoerlError {
  declare readonly code: 'INVALID_CONFIG';
  /** The option path, e.g. `'mailbox.capacity'`. */
  readonly setting: string;
  /** The rejected value. */
  readonly value: unknown;
  constructor(setting: string, value: unknown, expected: string) {
    super('INVALID_CONFIG', `invalid ${setting}: got ${describe(value)}; expected ${expected}`);
    this.setting = setting;
    this.value = value;
  }
}

/**
 * Thrown synchronously when a public API gets an argument of the wrong type or out of range;
 * `argument` names it (e.g. `'pid'`, `'ms'`, `'options.trapExit'`). Code `INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * try { system.sendAfter(pid, 'tick', -1); }
 * catch (e) { if (e instanceof InvalidArgumentError) console.log(e.argument); } // 'ms'
 * ```
 * @since 0.2.0
 */
export class InvalidArgumentError extends JoerlError {
  declare readonly code: 'INVALID_ARGUMENT';
  /** The argument's name as the API documents it. */
  readonly argument: string;
  /** The rejected value. */
  readonly value: unknown;
  constructor(fn: string, argument: string, value: unknown, expected: string) {
    super('INVALID_ARGUMENT', `${fn}: invalid ${argument}: got ${describe(value)}; expected ${expected}`);
    this.argument = argument;
    this.value = value;
  }
}

/**
 * Thrown by `ctx.link(pid)` when `pid` is not alive and the caller does not trap exits, as
 * Erlang's `link/1` raises `noproc`. (A caller that traps exits gets `true` and then an `exit`
 * signal with reason `noproc` instead.) Code `NOPROC`.
 *
 * @example
 * ```ts
 * try { ctx.link(pid); } catch (e) { if (e instanceof LinkNoProcError) console.log(String(e.pid)); }
 * ```
 * @since 0.2.0
 */
export class LinkNoProcError extends JoerlError {
  declare readonly code: 'NOPROC';
  /** The pid that was not alive. */
  readonly pid: Pid;
  constructor(pid: Pid) {
    super('NOPROC', `cannot link to ${String(pid)}: it is not alive; trap exits to get an exit signal with reason noproc instead, or monitor it`);
    this.pid = pid;
  }
}

/** Thrown when the system has been shut down and cannot spawn. Code `SYSTEM_STOPPED`. */
export class SystemStoppedError extends JoerlError {
  declare readonly code: 'SYSTEM_STOPPED';
  constructor(what: string) {
    super('SYSTEM_STOPPED', `cannot ${what}: the actor system has been shut down; create a new ActorSystem`);
  }
}

/** @internal a short, safe rendering of a value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'function') return 'a function';
  try {
    if (Array.isArray(value)) return 'an array';
  } catch {
    // a revoked Proxy throws even here
  }
  return 'an object';
}
