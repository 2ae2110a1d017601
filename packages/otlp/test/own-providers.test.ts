import { createTelemetry, defineMetric } from '@joerl/telemetry';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it, vi } from 'vitest';
import { countMetricExportFailures, countSpanExportFailures, otlpHistograms, otlpMetrics } from '../src/index.js';
import { pointOf, QUIET, quietSystem, type Receiver, useReceiver } from './helpers.js';

let receiver: Receiver;
const after = useReceiver((r) => (receiver = r));

/** A telemetry and a system, with a few messages handled by `type`. */
async function busySystem(type: string, messages: number) {
  const telemetry = createTelemetry({ ...QUIET, sampling: { timing: 1 } });
  const system = quietSystem({ instrumentation: telemetry });
  after.defer(() => system.shutdown());
  const worker = system.spawn<number>(() => {}, { type });
  for (let i = 0; i < messages; i++) worker.send(i);
  await system.idle();
  return { telemetry, system };
}

/** A meter provider the user owns, with one reader exporting into memory. */
function ownMeterProvider(withHistograms: Parameters<typeof otlpHistograms>[0] | null) {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000, metricProducers: withHistograms === null ? [] : [otlpHistograms(withHistograms)] });
  const meterProvider = new MeterProvider({ readers: [reader] });
  after.defer(() => meterProvider.shutdown());
  const metrics = () => exporter.getMetrics().at(-1)?.scopeMetrics.flatMap((s) => s.metrics) ?? [];
  return { meterProvider, metrics };
}

describe('joerl on OpenTelemetry providers the user owns', () => {
  it("otlpMetrics registers joerl's counters and gauges on the user's meter provider, as observable instruments of the right kind", async () => {
    const { telemetry } = await busySystem('owned', 4);
    const { meterProvider, metrics } = ownMeterProvider(null);

    const registered = otlpMetrics({ telemetry, meterProvider });
    await meterProvider.forceFlush();

    expect(registered.instruments).toContain('joerl.actors.spawned');
    expect(registered.instruments).not.toContain('joerl.message.processing.duration');
    const byName = new Map(metrics().map((m) => [m.descriptor.name, m]));
    expect(byName.get('joerl.messages.processed')).toMatchObject({ dataPointType: DataPointType.SUM, isMonotonic: true, descriptor: { unit: '1' } });
    expect(byName.get('joerl.messages.processed')?.dataPoints).toEqual([expect.objectContaining({ attributes: { type: 'owned' }, value: 4 })]);
    expect(byName.get('joerl.actors.active')).toMatchObject({ dataPointType: DataPointType.SUM, isMonotonic: false });
    expect(byName.get('joerl.mailbox.depth.max')).toMatchObject({ dataPointType: DataPointType.GAUGE });
    expect(byName.has('joerl.message.processing.duration')).toBe(false);
  });

  it("otlpHistograms feeds joerl's histograms through the reader's metricProducers, next to the SDK's own metrics", async () => {
    const { telemetry } = await busySystem('measured', 3);
    const { meterProvider, metrics } = ownMeterProvider({ telemetry });
    otlpMetrics({ telemetry, meterProvider });

    await meterProvider.forceFlush();

    const histogram = metrics().find((m) => m.descriptor.name === 'joerl.message.processing.duration');
    expect(histogram).toMatchObject({ dataPointType: DataPointType.HISTOGRAM, aggregationTemporality: AggregationTemporality.CUMULATIVE, descriptor: { unit: 's' } });
    expect(histogram?.dataPoints).toEqual([expect.objectContaining({ attributes: { type: 'measured' }, value: expect.objectContaining({ count: 3 }) })]);
    expect(metrics().some((m) => m.descriptor.name === 'joerl.actors.spawned')).toBe(true);
  });

  it('one collection reads telemetry.collect() once, for counters, gauges and histograms alike', async () => {
    const { telemetry } = await busySystem('once', 2);
    const { meterProvider, metrics } = ownMeterProvider({ telemetry });
    otlpMetrics({ telemetry, meterProvider });
    const collect = vi.spyOn(telemetry, 'collect');

    await meterProvider.forceFlush();

    expect(metrics().some((m) => m.descriptor.name === 'joerl.messages.processed')).toBe(true);
    expect(metrics().some((m) => m.descriptor.name === 'joerl.message.processing.duration')).toBe(true);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it('a metric source added later is found by the next collection and reported from the one after', async () => {
    const { telemetry } = await busySystem('late', 1);
    const { meterProvider, metrics } = ownMeterProvider(null);
    otlpMetrics({ telemetry, meterProvider });
    const def = defineMetric('joerl_test_late_total', 'counter', '1', [], 'runtime', 'collected', 'Added late.');
    telemetry.addMetricSource({ name: 'late', defs: [def], collect: () => [{ def, samples: [{ labels: {}, value: 5 }] }] });
    const late = () => metrics().find((m) => m.descriptor.name === 'joerl.test.late')?.dataPoints[0]?.value;

    await meterProvider.forceFlush();
    const first = late();
    await meterProvider.forceFlush();

    expect([first, late()]).toEqual([undefined, 5]);
  });

  it('after stop(), the telemetry is no longer read: new counts do not reach the reader', async () => {
    const { telemetry, system } = await busySystem('stopping', 1);
    const { meterProvider, metrics } = ownMeterProvider(null);
    const registered = otlpMetrics({ telemetry, meterProvider });
    const spawned = () => metrics().find((m) => m.descriptor.name === 'joerl.actors.spawned')?.dataPoints[0]?.value;
    await meterProvider.forceFlush();
    expect(spawned()).toBe(1);

    registered.stop();
    system.spawn<number>(() => {}, { type: 'stopping' });
    await meterProvider.forceFlush();

    expect(telemetry.value('joerl_actors_spawned_total', { type: 'stopping' })).toBe(2);
    expect(spawned()).toBe(1);
  });

  it("a user's own OTLP exporter wrapped by countMetricExportFailures reaches the collector, and counts nothing when it succeeds", async () => {
    const { telemetry } = await busySystem('exported', 2);
    const exporter = countMetricExportFailures(new OTLPMetricExporter({ url: `${receiver.url}/v1/metrics` }), telemetry);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000, metricProducers: [otlpHistograms({ telemetry })] });
    const meterProvider = new MeterProvider({ readers: [reader] });
    after.defer(() => meterProvider.shutdown());
    otlpMetrics({ telemetry, meterProvider });

    await meterProvider.forceFlush();

    expect(pointOf(receiver.metric('joerl.messages.processed'), { type: 'exported' })?.value).toBe(2);
    expect(pointOf(receiver.metric('joerl.message.processing.duration'), { type: 'exported' })?.count).toBe(2);
    expect(exporter.failures).toBe(0);
    expect(telemetry.value('joerl_telemetry_export_errors_total', { backend: 'otlp' })).toBe(0);
  });

  it('a wrapped exporter that reports failure, or throws, hands on a failed result and counts it under backend "otlp"', () => {
    const telemetry = createTelemetry(QUIET);
    const failing: PushMetricExporter = {
      export: (_metrics, done) => done({ code: 1, error: new Error('503') }),
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    const throwing: SpanExporter = {
      export: () => {
        throw new Error('socket exploded');
      },
      shutdown: () => Promise.resolve(),
    };
    const metrics = countMetricExportFailures(failing, telemetry);
    const spans = countSpanExportFailures(throwing, telemetry);
    const results: number[] = [];

    metrics.export({ resource: undefined as never, scopeMetrics: [] }, (r) => results.push(r.code));
    expect(() => spans.export([], (r) => results.push(r.code))).not.toThrow();

    expect(results).toEqual([1, 1]);
    expect([metrics.failures, spans.failures]).toEqual([1, 1]);
    expect(telemetry.value('joerl_telemetry_export_errors_total', { backend: 'otlp' })).toBe(2);
  });
});
