/**
 * Health as metrics: `joerl_health_status` and `joerl_health_check_status{check}`, added to
 * telemetry as a metric source so every backend (Prometheus, OTLP, StatsD, Datadog) exports them.
 *
 * @module
 */
import { defineMetric, type MetricDef, type MetricFamily, type MetricSource, type ValueSample } from '@joerl/telemetry';
import { type CheckResult, checkValue, type HealthStatus } from './report.js';

/** The states of `joerl_health_status`, in the order its samples come. */
const STATES: readonly HealthStatus[] = ['healthy', 'degraded', 'unhealthy'];

/**
 * `joerl_health_status{state}`: the overall status as `/healthz` reports it, one series per state
 * (OpenMetrics' enum convention): the current state reads 1, the others 0.
 *
 * @example
 * ```ts
 * telemetry.value(HEALTH_STATUS.name, { state: 'healthy' }); // 1
 * ```
 * @since 0.1.0
 */
export const HEALTH_STATUS: MetricDef = defineMetric(
  'joerl_health_status',
  'gauge',
  '1',
  ['state'],
  'health',
  'collected',
  'Overall health, as /healthz reports it: one series per state (healthy, degraded, unhealthy), 1 for the current one and 0 for the others.',
);

/**
 * `joerl_health_check_status{check}`: each check, 2 pass, 1 warn, 0 fail; a skipped check (no
 * telemetry, or a custom check that has not run yet) has no sample.
 *
 * @example
 * ```ts
 * telemetry.value(HEALTH_CHECK_STATUS.name, { check: 'heap' }); // 2
 * ```
 * @since 0.1.0
 */
export const HEALTH_CHECK_STATUS: MetricDef = defineMetric(
  'joerl_health_check_status',
  'gauge',
  '1',
  ['check'],
  'health',
  'collected',
  'Each health check: 2 pass, 1 warn, 0 fail; skipped checks have no sample.',
);

/** @internal What the metric source reads at collect time. */
export interface HealthSnapshot {
  readonly status: HealthStatus;
  readonly checks: readonly CheckResult[];
}

/**
 * @internal The metric source. `snapshot` runs at every collect; it may itself collect
 * telemetry (for the rate checks), which calls back here: that nested call gets the previous
 * families instead of recursing.
 */
export function healthMetricSource(snapshot: () => HealthSnapshot): MetricSource {
  let busy = false;
  let previous: MetricFamily[] = [];
  return {
    name: 'health',
    defs: [HEALTH_STATUS, HEALTH_CHECK_STATUS],
    collect(): MetricFamily[] {
      if (busy) return previous;
      busy = true;
      try {
        const { status, checks } = snapshot();
        const perCheck: ValueSample[] = [];
        for (const c of checks) {
          const value = checkValue(c);
          if (value !== null) perCheck.push({ labels: { check: c.check }, value });
        }
        previous = [
          { def: HEALTH_STATUS, samples: STATES.map((state) => ({ labels: { state }, value: state === status ? 1 : 0 })) },
          { def: HEALTH_CHECK_STATUS, samples: perCheck },
        ];
        return previous;
      } finally {
        busy = false;
      }
    },
  };
}
