/**
 * The threshold checks: actor count, mailbox utilization, panic and restart rates, restart
 * intensity, event-loop delay and heap, each comparing one measurement with its levels.
 *
 * @module
 */
import type { ActorSystem } from '@joerl/core';
import type { MetricFamily } from '@joerl/telemetry';
import { type BuiltinCheck, type EvalContext, total } from './builtin-check.js';
import type { RuntimeReadings } from './readings.js';
import { type CheckResult, type Probe, skipped, verdict } from './report.js';
import { perMinute, SlidingWindow } from './sliding-window.js';
import type { ResolvedLevels, ResolvedThresholds } from './thresholds.js';

/** Threshold checks answer readiness (when critical) and overall health; never liveness. */
const PROBES: readonly Probe[] = Object.freeze(['readiness', 'health']);

const NEEDS_TELEMETRY = 'needs @joerl/telemetry: pass { telemetry } to SystemHealth';

/** @internal Names of the threshold checks, in report order. */
export const THRESHOLD_CHECKS = Object.freeze([
  'actors',
  'mailbox-utilization',
  'panic-rate',
  'restart-rate',
  'restart-intensity',
  'event-loop-delay',
  'heap',
] as const);

/**
 * @internal The threshold checks `thresholds` keeps. `initial` is telemetry's families at
 * construction (null without telemetry): the baseline of every rate window.
 */
export function thresholdChecks(
  system: ActorSystem,
  thresholds: ResolvedThresholds,
  readings: RuntimeReadings,
  initial: readonly MetricFamily[] | null,
  now: number,
): BuiltinCheck[] {
  const out: BuiltinCheck[] = [];
  const t = thresholds;
  if (t.actors !== null) {
    const a = t.actors;
    out.push({
      name: 'actors',
      probes: PROBES,
      evaluate() {
        const n = system.stats().actors;
        if (a.criticalBelow !== null && n < a.criticalBelow) return verdict('actors', 'fail', `${n} live actors, fewer than ${a.criticalBelow} (criticalBelow)`, n, a.criticalBelow, 'actors');
        if (a.criticalAbove !== null && n > a.criticalAbove) return verdict('actors', 'fail', `${n} live actors, more than ${a.criticalAbove} (criticalAbove)`, n, a.criticalAbove, 'actors');
        if (a.warnBelow !== null && n < a.warnBelow) return verdict('actors', 'warn', `${n} live actors, fewer than ${a.warnBelow} (warnBelow)`, n, a.warnBelow, 'actors');
        if (a.warnAbove !== null && n > a.warnAbove) return verdict('actors', 'warn', `${n} live actors, more than ${a.warnAbove} (warnAbove)`, n, a.warnAbove, 'actors');
        return verdict('actors', 'pass', `${n} live actors`, n, a.warnAbove ?? a.criticalAbove ?? a.warnBelow ?? a.criticalBelow, 'actors');
      },
    });
  }
  if (t.mailboxUtilization !== null) {
    const m = t.mailboxUtilization;
    const ignored = new Set(m.ignoreTypes);
    out.push({
      name: 'mailbox-utilization',
      probes: PROBES,
      evaluate() {
        // One pass over live actors, as telemetry's own collect does: the fullest bounded mailbox.
        let worst = 0;
        let worstType = '';
        for (const h of system.handles()) {
          const cap = h.mailboxCapacity;
          if (cap === Number.POSITIVE_INFINITY || ignored.has(h.type)) continue;
          const u = (100 * h.mailboxDepth) / cap;
          if (u > worst) {
            worst = u;
            worstType = h.type;
          }
        }
        const level = compare(worst, m);
        const value = round(worst, 1);
        if (level.kind === 'pass') {
          const where = worst === 0 ? 'no bounded mailbox has messages queued' : `the fullest mailbox (actor type '${worstType}') is ${value} % full`;
          return verdict('mailbox-utilization', 'pass', where, value, level.threshold, '%');
        }
        return verdict(
          'mailbox-utilization',
          level.kind,
          `a mailbox of actor type '${worstType}' is ${value} % full (${level.name} at ${level.threshold} %)`,
          value,
          level.threshold,
          '%',
        );
      },
    });
  }
  if (t.panicRate !== null) {
    out.push(rateCheck('panic-rate', 'panics', 'joerl_actors_panicked_total', t.panicRate, initial, now));
  }
  if (t.restartRate !== null) {
    out.push(rateCheck('restart-rate', 'supervisor restarts', 'joerl_supervisor_restarts_total', t.restartRate, initial, now));
  }
  if (t.restartIntensity !== null) {
    const withinMs = t.restartIntensity.withinMs;
    const metric = 'joerl_supervisor_restart_intensity_exceeded_total';
    const window = new SlidingWindow(withinMs, now, initial === null ? 0 : (total(initial, metric) ?? 0));
    out.push({
      name: 'restart-intensity',
      probes: PROBES,
      evaluate(ctx: EvalContext) {
        const families = ctx.families();
        if (families === null) return skipped('restart-intensity', NEEDS_TELEMETRY);
        const n = window.observe(ctx.now, total(families, metric) ?? 0).increase;
        const within = `within the last ${formatMs(withinMs)}`;
        if (n > 0) {
          return verdict('restart-intensity', 'fail', `a supervisor exceeded its restart intensity and gave up (${n} time(s) ${within})`, n, 1, 'count');
        }
        return verdict('restart-intensity', 'pass', `no supervisor exceeded its restart intensity ${within}`, 0, 1, 'count');
      },
    });
  }
  if (t.eventLoopDelay !== null) {
    const l = t.eventLoopDelay;
    out.push({
      name: 'event-loop-delay',
      probes: PROBES,
      evaluate() {
        const p99 = readings.eventLoopP99Ms();
        if (p99 === null) return skipped('event-loop-delay', 'no event-loop delay readings yet: needs a telemetry whose event-loop monitor is on (the default), after its first 100 samples');
        const value = round(p99, 1);
        const level = compare(p99, l);
        if (level.kind === 'pass') return verdict('event-loop-delay', 'pass', `event-loop delay p99 is ${value} ms`, value, level.threshold, 'ms');
        return verdict('event-loop-delay', level.kind, `event-loop delay p99 is ${value} ms (${level.name} at ${level.threshold} ms)`, value, level.threshold, 'ms');
      },
    });
  }
  if (t.heap !== null) {
    const l = t.heap;
    out.push({
      name: 'heap',
      probes: PROBES,
      evaluate() {
        const { usedBytes, limitBytes } = readings.heap();
        const used = limitBytes > 0 ? (100 * usedBytes) / limitBytes : 0;
        const value = round(used, 1);
        const sizes = `${formatBytes(usedBytes)} of ${formatBytes(limitBytes)}`;
        const level = compare(used, l);
        if (level.kind === 'pass') return verdict('heap', 'pass', `heap used is ${value} % of its limit (${sizes})`, value, level.threshold, '%');
        return verdict('heap', level.kind, `heap used is ${value} % of its limit (${sizes}; ${level.name} at ${level.threshold} %)`, value, level.threshold, '%');
      },
    });
  }
  return out;
}

function rateCheck(
  name: string,
  what: string,
  metric: string,
  levels: ResolvedLevels & { readonly windowMs: number },
  initial: readonly MetricFamily[] | null,
  now: number,
): BuiltinCheck {
  const window = new SlidingWindow(levels.windowMs, now, initial === null ? 0 : (total(initial, metric) ?? 0));
  return {
    name,
    probes: PROBES,
    evaluate(ctx: EvalContext): CheckResult {
      const families = ctx.families();
      if (families === null) return skipped(name, NEEDS_TELEMETRY);
      const increase = window.observe(ctx.now, total(families, metric) ?? 0);
      const rate = perMinute(increase);
      const value = round(rate, 2);
      const over = `over the last ${formatMs(increase.spanMs)}`;
      const level = compare(rate, levels);
      if (level.kind === 'pass') return verdict(name, 'pass', `${value} ${what}/min ${over}`, value, level.threshold, 'per_minute');
      return verdict(name, level.kind, `${value} ${what}/min ${over} (${level.name} at ${level.threshold}/min)`, value, level.threshold, 'per_minute');
    },
  };
}

type Comparison =
  | { readonly kind: 'pass'; readonly threshold: number | null }
  | { readonly kind: 'warn' | 'fail'; readonly name: 'warn' | 'critical'; readonly threshold: number };

/** Compares a value (higher is worse) with its levels: reached means at or above. */
function compare(value: number, levels: ResolvedLevels): Comparison {
  if (levels.critical !== null && value >= levels.critical) return { kind: 'fail', name: 'critical', threshold: levels.critical };
  if (levels.warn !== null && value >= levels.warn) return { kind: 'warn', name: 'warn', threshold: levels.warn };
  return { kind: 'pass', threshold: levels.warn ?? levels.critical };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${Math.round(ms)} ms`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${round(bytes / 1e9, 2)} GB`;
  if (bytes >= 1e6) return `${round(bytes / 1e6, 1)} MB`;
  if (bytes >= 1e3) return `${round(bytes / 1e3, 1)} kB`;
  return `${bytes} B`;
}
