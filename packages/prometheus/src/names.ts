/**
 * Prometheus names for telemetry's metrics.
 *
 * The catalog's names are already Prometheus names: snake_case, the unit as a suffix
 * (`_seconds` for `s`, `_bytes` for `By`, `_ratio` for `ratio`, `_percent` for `%`, none for `1`) and `_total` on
 * counters. Here they only get the optional prefix, and are checked.
 *
 * @module
 */
import { InvalidConfigError } from '@joerl/core';
import type { MetricDef, MetricUnit } from '@joerl/telemetry';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * The name suffix each catalog unit takes in Prometheus, where the unit is part of the name: what
 * a metric source's names should end with (before `_total`, for counters).
 *
 * @example
 * ```ts
 * import { UNIT_SUFFIX } from '@joerl/prometheus';
 * const name = `joerl_backup_duration${UNIT_SUFFIX.s}`; // joerl_backup_duration_seconds
 * ```
 * @since 0.1.0
 */
export const UNIT_SUFFIX: Readonly<Record<MetricUnit, string>> = Object.freeze({ s: '_seconds', By: '_bytes', '%': '_percent', '1': '', ratio: '_ratio' });

/** @internal the OpenMetrics `# UNIT` of a registered name, or undefined when it has none (plain counts, or a name without the suffix) */
export function openMetricsUnit(name: string, def: MetricDef): string | undefined {
  const suffix = UNIT_SUFFIX[def.unit];
  if (suffix === '') return undefined;
  const family = def.kind === 'counter' ? name.replace(/_total$/, '') : name;
  return family.endsWith(suffix) ? suffix.slice(1) : undefined;
}

/** @internal the registered name of `def`; `systemLabel` reserves the label name `system` */
export function prometheusName(def: MetricDef, prefix: string, systemLabel: boolean): string {
  const name = `${prefix}${def.name}`;
  if (!METRIC_NAME.test(name)) throw new InvalidConfigError(`metric name of ${def.name}`, name, 'a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)');
  for (const label of def.labels) {
    if (!LABEL_NAME.test(label) || label.startsWith('__') || label === 'le' || (systemLabel && label === 'system')) {
      const reserved = systemLabel ? "'__*', 'le', and 'system' (the `system` option's)" : "'__*', 'le'";
      throw new InvalidConfigError(`label of ${def.name}`, label, `a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*), not reserved (${reserved})`);
    }
  }
  return name;
}

/** @internal checks the `prefix` option */
export function checkPrefix(prefix: unknown): string {
  if (prefix === undefined) return '';
  if (typeof prefix !== 'string' || (prefix !== '' && !METRIC_NAME.test(prefix))) {
    throw new InvalidConfigError('prefix', prefix, "a metric name prefix such as 'myapp_' ([a-zA-Z_:][a-zA-Z0-9_:]*)");
  }
  return prefix;
}

/** @internal checks the `system` option */
export function checkSystem(system: unknown): string | undefined {
  if (system === undefined) return undefined;
  if (typeof system !== 'string' || system.length === 0) {
    throw new InvalidConfigError('system', system, "a non-empty label value naming the actor system, e.g. 'orders'");
  }
  return system;
}

/** @internal checks the `nodeLabel` option: the label's name, or null for none */
export function checkNodeLabel(nodeLabel: unknown, defs: readonly MetricDef[], systemLabel: boolean): string | null {
  if (nodeLabel === undefined) return 'node';
  if (nodeLabel === false) return null;
  const taken = new Set(defs.flatMap((d) => d.labels));
  if (typeof nodeLabel !== 'string' || !LABEL_NAME.test(nodeLabel) || nodeLabel.startsWith('__') || nodeLabel === 'le' || taken.has(nodeLabel) || (systemLabel && nodeLabel === 'system')) {
    throw new InvalidConfigError('nodeLabel', nodeLabel, "false, or a Prometheus label name no joerl metric uses (default 'node'), e.g. 'joerl_node'");
  }
  return nodeLabel;
}
