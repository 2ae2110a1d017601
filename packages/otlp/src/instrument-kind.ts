/**
 * Which OpenTelemetry instrument each catalog metric becomes.
 *
 * @module
 */
import { assertNever } from '@joerl/core';
import type { MetricDef } from '@joerl/telemetry';
import { ValueType } from '@opentelemetry/api';

/** The OpenTelemetry instrument a metric is reported as. */
export type InstrumentKind = 'observable_counter' | 'observable_up_down_counter' | 'observable_gauge' | 'histogram';

/**
 * Catalog gauges that count or size things, so adding them up across instances or attributes makes
 * sense (OpenTelemetry reports such values as UpDownCounters: `process.memory.usage` is one). Maxima,
 * percentages, ratios and delays are not: they stay gauges, as does any gauge not listed here
 * (including those added through a `MetricSource`), which is the safe reading.
 */
const ADDITIVE_GAUGES: ReadonlySet<string> = new Set([
  'joerl_actors_active',
  'joerl_mailbox_depth',
  'joerl_calls_in_flight',
  'joerl_gen_statem_current_state',
  'joerl_system_memory_bytes',
  'joerl_mailbox_memory_bytes',
  'joerl_scheduler_run_queue_length',
  'joerl_registry_size',
  'joerl_timers_active',
]);

/**
 * The instrument for a metric: counters → ObservableCounter (monotonic sum), additive gauges →
 * ObservableUpDownCounter, other gauges → ObservableGauge, histograms → a histogram (emitted by
 * `otlpHistograms`, as the metrics API cannot observe a pre-aggregated histogram).
 * @internal
 */
export function instrumentKind(def: MetricDef): InstrumentKind {
  switch (def.kind) {
    case 'counter':
      return 'observable_counter';
    case 'gauge':
      return ADDITIVE_GAUGES.has(def.name) ? 'observable_up_down_counter' : 'observable_gauge';
    case 'histogram':
      return 'histogram';
    default:
      return assertNever(def.kind);
  }
}

/**
 * The unit as OpenTelemetry spells it (UCUM): a ratio is dimensionless, `1`, like a count.
 * @internal
 */
export function otelUnit(def: MetricDef): string {
  return def.unit === 'ratio' ? '1' : def.unit;
}

/** Counts and sizes are integers (`asInt` on the wire); times, percentages and ratios are doubles. @internal */
export function valueType(def: MetricDef): ValueType {
  const counts = def.unit === '1' || def.unit === 'By';
  return counts && instrumentKind(def) !== 'observable_gauge' ? ValueType.INT : ValueType.DOUBLE;
}
