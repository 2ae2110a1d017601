/**
 * joerl's counters and gauges as observable instruments on a `MeterProvider` you own.
 *
 * @module
 */
import { assertNever } from '@joerl/core';
import { isHistogramSample, type MetricDef, type Telemetry } from '@joerl/telemetry';
import type { BatchObservableCallback, BatchObservableResult, Meter, MeterProvider, Observable } from '@opentelemetry/api';
import { collectOnce } from './collect-once.js';
import { instrumentKind, otelUnit, valueType } from './instrument-kind.js';

/** The instrumentation scope joerl's metrics and spans are reported under (the tracer's name in telemetry too). @internal */
export const SCOPE_NAME = '@joerl/telemetry';

/**
 * Options of {@link otlpMetrics}.
 *
 * @example
 * ```ts
 * otlpMetrics({ telemetry, meterProvider: metrics.getMeterProvider() });
 * ```
 * @since 0.1.0
 */
export interface OtlpMetricsOptions {
  /** The telemetry whose values are reported. */
  readonly telemetry: Telemetry;
  /** Your meter provider (any `@opentelemetry/api` `MeterProvider`, e.g. the SDK's, or `metrics.getMeterProvider()`). */
  readonly meterProvider: MeterProvider;
}

/**
 * What {@link otlpMetrics} registered.
 *
 * @example
 * ```ts
 * const registered = otlpMetrics({ telemetry, meterProvider });
 * console.log(registered.instruments.length, 'joerl instruments');
 * registered.stop();
 * ```
 * @since 0.1.0
 */
export interface OtlpMetrics {
  /** The instrument names, e.g. `joerl.actors.spawned`. */
  readonly instruments: readonly string[];
  /**
   * Registers instruments for metric sources added to the telemetry since. Collections do this by
   * themselves, so a new source's values are exported from the collection after the one that found
   * it; call this after adding a source to have them in the very next one.
   */
  refresh(): void;
  /**
   * Stops reading the telemetry. The instruments stay (the SDK cannot remove them), and a cumulative
   * reader goes on reporting the last values it saw.
   */
  stop(): void;
}

/**
 * Registers one observable instrument per counter and gauge of `telemetry.definitions` — named
 * `def.otelName` (`joerl.actors.spawned`), with the catalog's unit and help as description — and
 * a batch callback that observes every sample, its labels as attributes (`type`, `reason`...),
 * from a single `telemetry.collect()` per collection (shared with {@link otlpHistograms}).
 *
 * Counters become ObservableCounters, gauges that add up (actors, queued messages, bytes)
 * ObservableUpDownCounters, the others (maxima, ratios) ObservableGauges. Values are
 * cumulative totals: the SDK reports them with whatever temporality each reader asks for.
 *
 * Histograms are not here: the metrics API can only record single measurements, while telemetry
 * holds them already bucketed. Add {@link otlpHistograms} to your reader's `metricProducers` for
 * them. Metric sources added to the telemetry later are picked up as they appear (see `refresh`).
 *
 * @param options The telemetry and your meter provider, which stays yours.
 * @returns The instrument names, `refresh()` and `stop()`.
 * @example
 * ```ts
 * import { otlpHistograms, otlpMetrics } from '@joerl/otlp';
 * import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
 * import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
 *
 * const reader = new PeriodicExportingMetricReader({
 *   exporter: new OTLPMetricExporter(),
 *   metricProducers: [otlpHistograms({ telemetry })],
 * });
 * const meterProvider = new MeterProvider({ readers: [reader] });
 * otlpMetrics({ telemetry, meterProvider });
 * ```
 * @since 0.1.0
 */
export function otlpMetrics(options: OtlpMetricsOptions): OtlpMetrics {
  const { telemetry, meterProvider } = options;
  const meter = meterProvider.getMeter(SCOPE_NAME);
  const seen = new Set<string>();
  const instruments: string[] = [];
  const groups: { callback: BatchObservableCallback; observables: Observable[] }[] = [];
  let stopped = false;

  /** Registers instruments, and their batch callback, for the definitions not seen yet. */
  const refresh = (): void => {
    const defs = telemetry.definitions;
    if (stopped || defs.length === seen.size) return;
    const byName = new Map<string, Observable>();
    for (const def of defs) {
      if (seen.has(def.name)) continue;
      seen.add(def.name);
      const observable = createInstrument(meter, def);
      if (observable === null) continue;
      byName.set(def.name, observable);
      instruments.push(def.otelName);
    }
    if (byName.size === 0) return;
    const callback = (result: BatchObservableResult): void => {
      // A metric source added since: its instruments are observed from the next collection on.
      refresh();
      for (const family of collectOnce(telemetry)) {
        const observable = byName.get(family.def.name);
        if (observable === undefined) continue;
        for (const sample of family.samples) {
          if (!isHistogramSample(sample)) result.observe(observable, sample.value, sample.labels);
        }
      }
    };
    const observables = [...byName.values()];
    meter.addBatchObservableCallback(callback, observables);
    groups.push({ callback, observables });
  };
  refresh();

  return {
    get instruments() {
      return [...instruments];
    },
    refresh,
    stop() {
      if (stopped) return;
      stopped = true;
      for (const { callback, observables } of groups) meter.removeBatchObservableCallback(callback, observables);
    },
  };
}

function createInstrument(meter: Meter, def: MetricDef): Observable | null {
  const options = { description: def.help, unit: otelUnit(def), valueType: valueType(def) };
  const kind = instrumentKind(def);
  switch (kind) {
    case 'observable_counter':
      return meter.createObservableCounter(def.otelName, options);
    case 'observable_up_down_counter':
      return meter.createObservableUpDownCounter(def.otelName, options);
    case 'observable_gauge':
      return meter.createObservableGauge(def.otelName, options);
    case 'histogram':
      return null;
    default:
      return assertNever(kind);
  }
}
