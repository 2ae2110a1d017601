/**
 * User-registered checks: a function (sync or async) run with a timeout, whose every outcome
 * (a verdict, a throw, a rejection, a timeout) becomes a {@link CheckResult}, never an exception.
 *
 * @module
 */
import { assertNever, type Clock, formatValue, InvalidConfigError } from '@joerl/core';
import { type CheckResult, type Observed, verdict } from './report.js';

/**
 * What a check function may return: nothing or `true` (pass), `false` (fail), or an explicit
 * verdict with a message and an observed value.
 *
 * @example
 * ```ts
 * const v: CheckVerdict = { kind: 'warn', message: 'replica lag 12 s', observed: 12 };
 * ```
 * @since 0.1.0
 */
export type CheckVerdict =
  | void
  | boolean
  | {
      readonly kind: 'pass' | 'warn' | 'fail';
      readonly message?: string;
      readonly observed?: Observed;
    };

/**
 * A health check function. It gets an `AbortSignal` that aborts when its timeout passes, so
 * it can cancel the work (a query, a fetch) it started.
 *
 * @example
 * ```ts
 * const database: CheckFunction = async (signal) => (await pool.query('select 1', { signal })).rowCount === 1;
 * ```
 * @since 0.1.0
 */
export type CheckFunction = (signal: AbortSignal) => CheckVerdict | Promise<CheckVerdict>;

/**
 * Options of a user check.
 *
 * @example
 * ```ts
 * health.addCheck('cache', pingCache, { timeoutMs: 200, critical: false });
 * ```
 * @since 0.1.0
 */
export interface CheckOptions {
  /** How long the check may take before it counts as failed, ms (default 1000: keep it under the probe's `timeoutSeconds`). */
  readonly timeoutMs?: number;
  /**
   * Whether its failure makes the system unhealthy and not ready (default true). A non-critical
   * check that fails only degrades it: readiness stays green.
   */
  readonly critical?: boolean;
}

/**
 * A check with its name, as passed in `new SystemHealth({ checks: [...] })`.
 *
 * @example
 * ```ts
 * const spec: HealthCheckSpec = { name: 'database', check: () => db.isConnected(), critical: true };
 * ```
 * @since 0.1.0
 */
export interface HealthCheckSpec extends CheckOptions {
  readonly name: string;
  readonly check: CheckFunction;
}

/**
 * The default timeout of a custom check, ms: under Kubernetes' default probe `timeoutSeconds` (1).
 *
 * @example
 * ```ts
 * health.addCheck('database', ping, { timeoutMs: DEFAULT_CHECK_TIMEOUT_MS / 2 });
 * ```
 * @since 0.1.0
 */
export const DEFAULT_CHECK_TIMEOUT_MS = 1000;

/**
 * The longest message (and `observed` string) a custom check's result carries, in characters:
 * a check that throws a megabyte of text still gives a probe body of a few hundred bytes.
 */
const MAX_MESSAGE_LENGTH = 500;

/** Kubernetes-style names: lowercase letters, digits and dashes, starting and ending alphanumeric, at most 63. */
const NAME = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * @internal Validates a check name.
 * @throws InvalidConfigError
 */
export function checkName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new InvalidConfigError('check name', name, "lowercase letters, digits and dashes, starting and ending with a letter or digit, at most 63 characters (e.g. 'database')");
  }
  return name;
}

/** @internal One registered check and its last result (for the metrics). */
export class UserCheck {
  readonly name: string;
  readonly fn: CheckFunction;
  readonly timeoutMs: number;
  readonly critical: boolean;
  last: CheckResult | null = null;

  constructor(name: string, fn: CheckFunction, options: CheckOptions = {}) {
    this.name = checkName(name);
    if (typeof fn !== 'function') throw new InvalidConfigError(`checks.${name}`, fn, 'a function (signal) => boolean | void | verdict, sync or async');
    if (typeof options !== 'object' || options === null) throw new InvalidConfigError(`checks.${name} options`, options, 'an object { timeoutMs?, critical? }');
    const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
    if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
      throw new InvalidConfigError(`checks.${name}.timeoutMs`, timeoutMs, 'a positive, finite number of milliseconds');
    }
    const critical = options.critical ?? true;
    if (typeof critical !== 'boolean') throw new InvalidConfigError(`checks.${name}.critical`, critical, 'true or false');
    this.fn = fn;
    this.timeoutMs = timeoutMs;
    this.critical = critical;
  }

  /**
   * Runs the check; resolves with its result, never rejects. Its timer is set before this
   * returns, so a test clock advanced right after the call fires it.
   */
  run(clock: Clock): Promise<CheckResult> {
    const controller = new AbortController();
    let outcome: Promise<CheckVerdict>;
    try {
      // Promise.resolve never throws: a value whose `then` cannot be read becomes a rejection.
      outcome = Promise.resolve(this.fn(controller.signal));
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- checks may throw anything; it is reported through formatValue
      outcome = Promise.reject(error);
    }
    return new Promise<CheckResult>((resolve) => {
      let done = false;
      const settle = (result: CheckResult): void => {
        if (done) return;
        done = true;
        clock.clearTimeout(timer);
        this.last = result;
        resolve(result);
      };
      const timer = clock.setTimeout(
        () => {
          controller.abort(new Error(`health check '${this.name}' timed out after ${this.timeoutMs} ms`));
          settle(this.failed(`timed out after ${this.timeoutMs} ms`, null));
        },
        this.timeoutMs,
        undefined,
      );
      outcome.then(
        (v) => settle(this.fromVerdict(v)),
        (error: unknown) => settle(this.failed(`threw: ${formatValue(error, MAX_MESSAGE_LENGTH)}`, null)),
      );
    });
  }

  /**
   * The result a returned value stands for. Anything that is not a well-formed verdict, or a
   * verdict whose fields cannot be read (throwing getters, a revoked Proxy), is a failure whose
   * message shows the value through `formatValue`: a check can never make a probe throw.
   */
  private fromVerdict(v: CheckVerdict): CheckResult {
    if (v === undefined || v === true) return verdict(this.name, 'pass', 'ok', null, null, null);
    if (v === false) return this.failed('returned false', null);
    let kind: unknown, message: unknown, observed: unknown;
    try {
      if (typeof v !== 'object' || v === null) throw new TypeError('not a verdict');
      ({ kind, message, observed } = v as { kind: unknown; message?: unknown; observed?: unknown });
    } catch {
      kind = undefined;
    }
    if (kind !== 'pass' && kind !== 'warn' && kind !== 'fail') {
      return this.failed(`returned ${formatValue(v, MAX_MESSAGE_LENGTH)}; expected true, false, nothing, or { kind: 'pass' | 'warn' | 'fail', message? }`, null);
    }
    const text = message === undefined ? undefined : formatValue(message, MAX_MESSAGE_LENGTH);
    const seen = observedValue(observed);
    switch (kind) {
      case 'pass':
        return verdict(this.name, 'pass', text ?? 'ok', seen, null, null);
      case 'warn':
        return verdict(this.name, 'warn', text ?? 'warned', seen, null, null);
      case 'fail':
        return this.failed(text ?? 'failed', seen);
      default:
        return assertNever(kind);
    }
  }

  /** A failure, which only degrades the system when the check is not critical. */
  private failed(message: string, observed: Observed): CheckResult {
    return verdict(this.name, this.critical ? 'fail' : 'warn', message, observed, null, null);
  }
}

/** An `observed` value as a report can carry it: a finite number, a bounded string, or null. */
function observedValue(value: unknown): Observed {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  return formatValue(value, MAX_MESSAGE_LENGTH);
}
