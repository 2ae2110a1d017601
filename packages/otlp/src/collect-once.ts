/**
 * One `telemetry.collect()` per collection, shared by everything that reads it then.
 *
 * @module
 */
import type { MetricFamily, Telemetry } from '@joerl/telemetry';

const current = new WeakMap<Telemetry, MetricFamily[]>();

/**
 * The telemetry's current families, collected at most once per synchronous stretch. A reader's
 * collection calls the observable callbacks and then the metric producers in one such stretch, so
 * counters, gauges and histograms come from the same snapshot, taken once (a scan of live actors).
 * The snapshot is dropped at the next microtask: no actor can run in between, so no later
 * collection ever sees it.
 * @internal
 */
export function collectOnce(telemetry: Telemetry): MetricFamily[] {
  let families = current.get(telemetry);
  if (families === undefined) {
    families = telemetry.collect();
    current.set(telemetry, families);
    queueMicrotask(() => current.delete(telemetry));
  }
  return families;
}
