/**
 * Thresholds: the levels at which a measurement makes the system degraded (`warn`) or
 * unhealthy (`critical`), their defaults, and their validation.
 *
 * @module
 */
import { InvalidConfigError } from '@joerl/core';

/**
 * A warning and a critical level for a measurement where higher is worse. A value *at or above*
 * `warn` degrades the system; at or above `critical` makes it unhealthy. `null` turns a level
 * off; an omitted level keeps its default.
 *
 * @example
 * ```ts
 * const heap: Levels = { warn: 90, critical: null }; // warn at 90 %, never unhealthy
 * ```
 * @since 0.1.0
 */
export interface Levels {
  readonly warn?: number | null;
  readonly critical?: number | null;
}

/**
 * Bounds on the number of live actors (default: none). Degraded when the count is *above*
 * `warnAbove` or *below* `warnBelow`; unhealthy above `criticalAbove` or below `criticalBelow`.
 *
 * @example
 * ```ts
 * const actors: ActorCountThreshold = { criticalBelow: 1, warnAbove: 50_000, criticalAbove: 100_000 };
 * ```
 * @since 0.1.0
 */
export interface ActorCountThreshold {
  readonly warnAbove?: number | null;
  readonly criticalAbove?: number | null;
  readonly warnBelow?: number | null;
  readonly criticalBelow?: number | null;
}

/**
 * Mailbox utilization, in percent of capacity, of the fullest bounded mailbox of any actor
 * (default warn 80, critical 95). Actor types in `ignoreTypes` are not looked at.
 *
 * @example
 * ```ts
 * const mailboxUtilization: MailboxThreshold = { warn: 70, ignoreTypes: ['batcher'] };
 * ```
 * @since 0.1.0
 */
export interface MailboxThreshold extends Levels {
  readonly ignoreTypes?: readonly string[];
}

/**
 * A rate in events per minute, averaged over a sliding window (default 60 000 ms).
 *
 * @example
 * ```ts
 * const panicRate: RateThreshold = { warn: 5, critical: 50, windowMs: 120_000 };
 * ```
 * @since 0.1.0
 */
export interface RateThreshold extends Levels {
  readonly windowMs?: number;
}

/**
 * A supervisor exceeding its restart intensity (giving up) makes the system unhealthy for
 * `withinMs` after it is seen (default 300 000 ms, 5 minutes).
 *
 * @example
 * ```ts
 * const restartIntensity: IntensityThreshold = { withinMs: 60_000 };
 * ```
 * @since 0.1.0
 */
export interface IntensityThreshold {
  readonly withinMs?: number;
}

/**
 * Every threshold of a {@link SystemHealth}. Each may be partly overridden, or `false` to drop
 * that check altogether. Defaults are in {@link DEFAULT_THRESHOLDS}.
 *
 * @example
 * ```ts
 * const thresholds: Thresholds = {
 *   actors: { criticalBelow: 1 },
 *   heap: { warn: 90 },
 *   panicRate: false,
 * };
 * ```
 * @since 0.1.0
 */
export interface Thresholds {
  /** Live actors (from `system.stats().actors`). Default: no bounds. */
  readonly actors?: ActorCountThreshold | false;
  /** Fullest bounded mailbox, % of capacity. Default warn 80, critical 95. */
  readonly mailboxUtilization?: MailboxThreshold | false;
  /** Handler crashes per minute (needs telemetry). Default warn 10, critical 100, over 60 s. */
  readonly panicRate?: RateThreshold | false;
  /** Supervisor restarts per minute (needs telemetry). Default warn 5, critical 50, over 60 s. */
  readonly restartRate?: RateThreshold | false;
  /** A supervisor gave up within the last `withinMs` (needs telemetry): critical. Default 5 min. */
  readonly restartIntensity?: IntensityThreshold | false;
  /** p99 event-loop delay over telemetry's window, ms (needs telemetry). Default warn 100, critical 500. */
  readonly eventLoopDelay?: Levels | false;
  /** V8 heap used as % of `heap_size_limit`. Default warn 85, critical 95. */
  readonly heap?: Levels | false;
}

/**
 * Levels with defaults applied; `null` means that level is off.
 *
 * @example
 * ```ts
 * const heap: ResolvedLevels = health.thresholds.heap ?? { warn: null, critical: null };
 * ```
 * @since 0.1.0
 */
export interface ResolvedLevels {
  readonly warn: number | null;
  readonly critical: number | null;
}

/**
 * Thresholds with every default applied: what a {@link SystemHealth} actually uses (`null` for a
 * dropped check or a level that is off).
 *
 * @example
 * ```ts
 * console.log(health.thresholds.heap?.warn); // 85
 * ```
 * @since 0.1.0
 */
export interface ResolvedThresholds {
  readonly actors: {
    readonly warnAbove: number | null;
    readonly criticalAbove: number | null;
    readonly warnBelow: number | null;
    readonly criticalBelow: number | null;
  } | null;
  readonly mailboxUtilization: (ResolvedLevels & { readonly ignoreTypes: readonly string[] }) | null;
  readonly panicRate: (ResolvedLevels & { readonly windowMs: number }) | null;
  readonly restartRate: (ResolvedLevels & { readonly windowMs: number }) | null;
  readonly restartIntensity: { readonly withinMs: number } | null;
  readonly eventLoopDelay: ResolvedLevels | null;
  readonly heap: ResolvedLevels | null;
}

/**
 * The default thresholds.
 *
 * | threshold | warn (degraded) | critical (unhealthy) | window |
 * |---|---|---|---|
 * | `actors` | – | – | – |
 * | `mailboxUtilization` | 80 % | 95 % | now |
 * | `panicRate` | 10 / min | 100 / min | 60 s |
 * | `restartRate` | 5 / min | 50 / min | 60 s |
 * | `restartIntensity` | – | any | 5 min |
 * | `eventLoopDelay` (p99) | 100 ms | 500 ms | telemetry's (10 s) |
 * | `heap` | 85 % | 95 % | now |
 *
 * @example
 * ```ts
 * import { DEFAULT_THRESHOLDS } from '@joerl/health';
 * console.log(DEFAULT_THRESHOLDS.eventLoopDelay); // { warn: 100, critical: 500 }
 * ```
 * @since 0.1.0
 */
export const DEFAULT_THRESHOLDS: ResolvedThresholds = deepFreeze({
  actors: { warnAbove: null, criticalAbove: null, warnBelow: null, criticalBelow: null },
  mailboxUtilization: { warn: 80, critical: 95, ignoreTypes: [] },
  panicRate: { warn: 10, critical: 100, windowMs: 60_000 },
  restartRate: { warn: 5, critical: 50, windowMs: 60_000 },
  restartIntensity: { withinMs: 300_000 },
  eventLoopDelay: { warn: 100, critical: 500 },
  heap: { warn: 85, critical: 95 },
});

/** The defaults, typed as present (they all are). */
const D = DEFAULT_THRESHOLDS as { readonly [K in keyof ResolvedThresholds]: NonNullable<ResolvedThresholds[K]> };

const KEYS = Object.keys(DEFAULT_THRESHOLDS) as (keyof Thresholds)[];

/**
 * @internal Applies defaults and validates.
 * @throws InvalidConfigError naming the setting (e.g. `thresholds.heap.warn`).
 */
export function resolveThresholds(input: Thresholds | undefined): ResolvedThresholds {
  const t = input ?? {};
  if (typeof t !== 'object' || t === null) throw new InvalidConfigError('thresholds', t, 'an object of thresholds, e.g. { heap: { warn: 90 } }');
  for (const key of Object.keys(t)) {
    if (!(KEYS as string[]).includes(key)) throw new InvalidConfigError(`thresholds.${key}`, key, `one of ${KEYS.join(', ')}`);
  }
  return deepFreeze({
    actors: section(t.actors, 'actors', (a) => {
      const r = {
        warnAbove: count(a.warnAbove, null, 'thresholds.actors.warnAbove'),
        criticalAbove: count(a.criticalAbove, null, 'thresholds.actors.criticalAbove'),
        warnBelow: count(a.warnBelow, null, 'thresholds.actors.warnBelow'),
        criticalBelow: count(a.criticalBelow, null, 'thresholds.actors.criticalBelow'),
      };
      if (r.warnAbove !== null && r.criticalAbove !== null && r.warnAbove > r.criticalAbove) {
        throw new InvalidConfigError('thresholds.actors.warnAbove', r.warnAbove, `at most criticalAbove (${r.criticalAbove})`);
      }
      if (r.warnBelow !== null && r.criticalBelow !== null && r.warnBelow < r.criticalBelow) {
        throw new InvalidConfigError('thresholds.actors.warnBelow', r.warnBelow, `at least criticalBelow (${r.criticalBelow})`);
      }
      return r;
    }),
    mailboxUtilization: section(t.mailboxUtilization, 'mailboxUtilization', (m) => {
      const ignoreTypes: readonly string[] = m.ignoreTypes ?? [];
      if (!isStringList(ignoreTypes)) {
        throw new InvalidConfigError('thresholds.mailboxUtilization.ignoreTypes', ignoreTypes, 'an array of actor type names');
      }
      return { ...levels(m, D.mailboxUtilization, 'mailboxUtilization', percent), ignoreTypes: [...ignoreTypes] };
    }),
    panicRate: section(t.panicRate, 'panicRate', (r) => ({
      ...levels(r, D.panicRate, 'panicRate', rate),
      windowMs: duration(r.windowMs, D.panicRate.windowMs, 'thresholds.panicRate.windowMs'),
    })),
    restartRate: section(t.restartRate, 'restartRate', (r) => ({
      ...levels(r, D.restartRate, 'restartRate', rate),
      windowMs: duration(r.windowMs, D.restartRate.windowMs, 'thresholds.restartRate.windowMs'),
    })),
    restartIntensity: section(t.restartIntensity, 'restartIntensity', (r) => ({
      withinMs: duration(r.withinMs, D.restartIntensity.withinMs, 'thresholds.restartIntensity.withinMs'),
    })),
    eventLoopDelay: section(t.eventLoopDelay, 'eventLoopDelay', (l) => levels(l, D.eventLoopDelay, 'eventLoopDelay', milliseconds)),
    heap: section(t.heap, 'heap', (l) => levels(l, D.heap, 'heap', percent)),
  });
}

type Check = (value: unknown, setting: string) => number;

const percent: Check = (v, setting) => {
  if (typeof v !== 'number' || !(v > 0 && v <= 100)) throw new InvalidConfigError(setting, v, 'a percentage above 0 and at most 100, or null to turn this level off');
  return v;
};
const rate: Check = (v, setting) => {
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) throw new InvalidConfigError(setting, v, 'a non-negative number of events per minute, or null to turn this level off');
  return v;
};
const milliseconds: Check = (v, setting) => {
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new InvalidConfigError(setting, v, 'a positive number of milliseconds, or null to turn this level off');
  return v;
};

function section<I extends object, R>(value: I | false | undefined, key: string, resolve: (v: I) => R): R | null {
  if (value === false) return null;
  if (value === undefined) return resolve({} as I);
  if (typeof value !== 'object' || value === null) {
    throw new InvalidConfigError(`thresholds.${key}`, value, 'an object of levels, or false to drop this check');
  }
  return resolve(value);
}

function levels(input: Levels, defaults: ResolvedLevels, key: string, check: Check): ResolvedLevels {
  const warn = input.warn === undefined ? defaults.warn : input.warn === null ? null : check(input.warn, `thresholds.${key}.warn`);
  const critical = input.critical === undefined ? defaults.critical : input.critical === null ? null : check(input.critical, `thresholds.${key}.critical`);
  if (warn !== null && critical !== null && warn > critical) {
    throw new InvalidConfigError(`thresholds.${key}.warn`, warn, `at most the critical level (${critical}): lower warn, or raise critical`);
  }
  return { warn, critical };
}

function count(value: number | null | undefined, fallback: number | null, setting: string): number | null {
  if (value === undefined) return fallback;
  if (value === null) return null;
  if (!Number.isInteger(value) || value < 0) throw new InvalidConfigError(setting, value, 'a non-negative integer number of actors, or null for no bound');
  return value;
}

function duration(value: number | undefined, fallback: number, setting: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new InvalidConfigError(setting, v, 'a positive, finite number of milliseconds');
  return v;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Not a type guard on purpose: narrowing with Array.isArray would widen the list to any[]. */
function isStringList(value: unknown): boolean {
  return Array.isArray(value) && value.every((x) => typeof x === 'string');
}
