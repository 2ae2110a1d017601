/**
 * StatsD names and units, derived from the catalog: the OpenTelemetry name after an optional
 * prefix, and time in milliseconds.
 *
 * @module
 */
import type { MetricDef, MetricUnit } from '@joerl/telemetry';

/**
 * The StatsD name of a metric: its catalog `otelName` (`joerl_actors_spawned_total` →
 * `joerl.actors.spawned`) after `prefix` (a dot is added if missing). Labels are not part of it
 * unless the tag style is `'names'`.
 *
 * @param def - a catalog entry (or one added through a metric source)
 * @param prefix - e.g. `'myapp'`; default none
 * @example
 * ```ts
 * import { metricDef } from '@joerl/telemetry';
 * statsdName(metricDef('joerl_actors_spawned_total'), 'myapp'); // 'myapp.joerl.actors.spawned'
 * ```
 * @since 0.1.0
 */
export function statsdName(def: MetricDef, prefix = ''): string {
  return normalizePrefix(prefix) + def.otelName;
}

/** @internal `'myapp'` → `'myapp.'`; `''` stays empty */
export function normalizePrefix(prefix: string): string {
  return prefix.length === 0 || prefix.endsWith('.') ? prefix : `${prefix}.`;
}

/**
 * @internal The factor from a catalog unit to what StatsD expects: seconds become milliseconds
 * (StatsD timers are in ms); bytes, percentages, ratios and plain counts are sent as they are.
 */
export function unitScale(unit: MetricUnit): number {
  switch (unit) {
    case 's':
      return 1000;
    case 'By':
    case '%':
    case '1':
    case 'ratio':
      return 1;
    default: {
      const never: never = unit;
      return never;
    }
  }
}

/**
 * @internal A value as sent: rounded to 4 decimals (0.1 µs for times) so it never prints in
 * exponent notation, which some StatsD servers reject.
 */
export function wireValue(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
