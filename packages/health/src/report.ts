/**
 * What a health evaluation says: one {@link CheckResult} per check, and a {@link HealthReport}
 * that folds them into `healthy`, `degraded` or `unhealthy`.
 *
 * @module
 */
import { assertNever } from '@joerl/core';

/**
 * The verdict on a whole system (or one probe of it):
 * - `healthy`: every check passed (or was skipped);
 * - `degraded`: some check crossed a warning level; it still serves (probes answer 200);
 * - `unhealthy`: some check crossed a critical level (probes answer 503).
 *
 * @example
 * ```ts
 * const { status } = await health.check();
 * if (status !== 'healthy') console.warn(`system is ${status}`);
 * ```
 * @since 0.1.0
 */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

/**
 * How bad an issue is: a `warning` degrades, a `critical` issue makes the system unhealthy.
 *
 * @example
 * ```ts
 * const critical = report.issues.filter((i) => i.severity === 'critical');
 * ```
 * @since 0.1.0
 */
export type Severity = 'warning' | 'critical';

/**
 * A value a check observed, or the level it compared it with: a number (in the result's
 * `unit`), a short string, or null when there is none.
 *
 * @example
 * ```ts
 * const observed: Observed = 87.5; // with unit '%'
 * ```
 * @since 0.1.0
 */
export type Observed = number | string | null;

/** The fields every evaluated check reports. */
interface Evaluated {
  /** The check's name, e.g. `heap`. */
  readonly check: string;
  /** A sentence for people, naming the value and the level. */
  readonly message: string;
  /** What was measured. */
  readonly observed: Observed;
  /** The level crossed (for issues) or the nearest level (for passes); null when none applies. */
  readonly threshold: Observed;
  /** The unit of `observed` and `threshold`: `'%'`, `'ms'`, `'per_minute'`, `'actors'`, `'count'`, or null. */
  readonly unit: string | null;
}

/**
 * A check that passed.
 * @example
 * ```ts
 * const ok: PassedCheck = { kind: 'pass', check: 'heap', message: 'heap at 41 % of its limit', observed: 41, threshold: 85, unit: '%' };
 * ```
 * @since 0.1.0
 */
export interface PassedCheck extends Evaluated {
  readonly kind: 'pass';
}

/**
 * A check that crossed its warning level: the system is degraded.
 * @example
 * ```ts
 * if (result.kind === 'warn') console.warn(result.message);
 * ```
 * @since 0.1.0
 */
export interface WarnedCheck extends Evaluated {
  readonly kind: 'warn';
  readonly severity: 'warning';
}

/**
 * A check that crossed its critical level (or threw, or timed out): the system is unhealthy.
 * @example
 * ```ts
 * if (result.kind === 'fail') console.error(result.message);
 * ```
 * @since 0.1.0
 */
export interface FailedCheck extends Evaluated {
  readonly kind: 'fail';
  readonly severity: 'critical';
}

/**
 * A check that was not evaluated: excluded by the caller, or lacking its data source (e.g.
 * rate checks without `@joerl/telemetry`). It never affects the status.
 * @example
 * ```ts
 * const skipped = report.checks.filter((c) => c.kind === 'skip').map((c) => c.check);
 * ```
 * @since 0.1.0
 */
export interface SkippedCheck {
  readonly kind: 'skip';
  readonly check: string;
  /** Why it was skipped. */
  readonly message: string;
}

/**
 * The result of one check, discriminated on `kind`.
 *
 * @example
 * ```ts
 * switch (result.kind) {
 *   case 'pass': case 'skip': break;
 *   case 'warn': case 'fail': console.log(result.check, result.observed, result.threshold); break;
 * }
 * ```
 * @since 0.1.0
 */
export type CheckResult = PassedCheck | WarnedCheck | FailedCheck | SkippedCheck;

/**
 * An issue: a check that warned or failed, with its name, severity, message, observed value
 * and the threshold it crossed.
 *
 * @example
 * ```ts
 * for (const i of report.issues) console.log(`${i.severity} ${i.check}: ${i.message}`);
 * ```
 * @since 0.1.0
 */
export type HealthIssue = WarnedCheck | FailedCheck;

/**
 * Which question a report answers. `liveness` (`/livez`): can the process make progress?
 * `readiness` (`/readyz`): should it get traffic now? `health` (`/healthz`, `check()`): how is
 * the system doing overall?
 *
 * @example
 * ```ts
 * const report = await health.probe('readiness');
 * ```
 * @since 0.1.0
 */
export type Probe = 'liveness' | 'readiness' | 'health';

/**
 * Every {@link Probe}.
 *
 * @example
 * ```ts
 * for (const probe of PROBES) console.log(probe, health.checkNames(probe));
 * ```
 * @since 0.1.0
 */
export const PROBES: readonly Probe[] = Object.freeze(['liveness', 'readiness', 'health']);

/**
 * The outcome of one evaluation.
 *
 * @example
 * ```ts
 * const report = await health.check();
 * console.log(report.status, report.issues.map((i) => i.check));
 * ```
 * @since 0.1.0
 */
export interface HealthReport {
  readonly probe: Probe;
  /** The worst of the checks: any `fail` makes it `unhealthy`, else any `warn` `degraded`. */
  readonly status: HealthStatus;
  /** The checks that warned or failed, in check order. */
  readonly issues: readonly HealthIssue[];
  /** Every check, in order, including passes and skips. */
  readonly checks: readonly CheckResult[];
}

/** @internal Folds results into a report. */
export function toReport(probe: Probe, checks: readonly CheckResult[]): HealthReport {
  const issues: HealthIssue[] = [];
  let status: HealthStatus = 'healthy';
  for (const c of checks) {
    if (c.kind === 'fail') status = 'unhealthy';
    else if (c.kind === 'warn' && status === 'healthy') status = 'degraded';
    if (c.kind === 'warn' || c.kind === 'fail') issues.push(c);
  }
  return { probe, status, issues, checks };
}

/**
 * A status as a number on the scale of `joerl_health_check_status`: 2 healthy, 1 degraded,
 * 0 unhealthy (so "higher is better" and `min_over_time` finds the worst). `joerl_health_status`
 * itself is an enum: one series per state.
 *
 * @example
 * ```ts
 * statusValue('degraded'); // 1
 * ```
 * @since 0.1.0
 */
export function statusValue(status: HealthStatus): number {
  switch (status) {
    case 'healthy':
      return 2;
    case 'degraded':
      return 1;
    case 'unhealthy':
      return 0;
    default:
      return assertNever(status);
  }
}

/**
 * The number a check result is exported as in `joerl_health_check_status{check}`, on the same
 * scale as {@link statusValue}: 2 pass, 1 warn, 0 fail; null for a skipped check (no sample).
 *
 * @example
 * ```ts
 * checkValue({ kind: 'skip', check: 'heap', message: 'excluded' }); // null
 * ```
 * @since 0.1.0
 */
export function checkValue(result: CheckResult): number | null {
  switch (result.kind) {
    case 'pass':
      return 2;
    case 'warn':
      return 1;
    case 'fail':
      return 0;
    case 'skip':
      return null;
    default:
      return assertNever(result);
  }
}

/** @internal A check result built from a measurement compared with warn/critical levels. */
export function verdict(
  check: string,
  kind: 'pass' | 'warn' | 'fail',
  message: string,
  observed: Observed,
  threshold: Observed,
  unit: string | null,
): PassedCheck | HealthIssue {
  switch (kind) {
    case 'pass':
      return { kind, check, message, observed, threshold, unit };
    case 'warn':
      return { kind, severity: 'warning', check, message, observed, threshold, unit };
    case 'fail':
      return { kind, severity: 'critical', check, message, observed, threshold, unit };
    default:
      return assertNever(kind);
  }
}

/** @internal */
export function skipped(check: string, message: string): SkippedCheck {
  return { kind: 'skip', check, message };
}
