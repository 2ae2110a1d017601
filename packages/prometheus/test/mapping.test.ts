import { CATALOG, defineMetric, isHistogramSample, type MetricFamily } from '@joerl/telemetry';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { prometheus, UNIT_SUFFIX } from '../src/index.js';
import { instrumented, parseExposition, samplesOf, unitInName, valueOf } from './helpers.js';

describe('the catalog in a prom-client registry', () => {
  it('registers every metric of the telemetry with its help text and type', async () => {
    const { telemetry } = instrumented();
    const exporter = prometheus({ telemetry });
    const parsed = parseExposition(await exporter.metrics());
    for (const def of CATALOG) {
      expect(parsed.type.get(def.name), def.name).toBe(def.kind);
      expect(parsed.help.get(def.name), def.name).toBe(def.help);
    }
    expect([...parsed.type.keys()]).toEqual(CATALOG.map((d) => d.name));
    await exporter.close();
  });

  it('carries every catalog unit in the name, as Prometheus wants', () => {
    for (const def of CATALOG) {
      const base = def.kind === 'counter' ? def.name.replace(/_total$/, '') : def.name;
      expect(base.endsWith(UNIT_SUFFIX[def.unit]), def.name).toBe(true);
      expect(unitInName(def), def.name).toBe(true);
    }
  });

  it('exposes counters and gauges with telemetry’s values and labels', async () => {
    const { telemetry, system } = instrumented();
    const exporter = prometheus({ telemetry });
    const worker = system.spawn<number>(() => {}, { type: 'worker' });
    for (let i = 0; i < 7; i++) worker.send(i);
    await system.idle();
    const parsed = parseExposition(await exporter.metrics());
    expect(valueOf(parsed, 'joerl_messages_sent_total', { type: 'worker' })).toBe(7);
    expect(valueOf(parsed, 'joerl_messages_processed_total', { type: 'worker' })).toBe(7);
    expect(valueOf(parsed, 'joerl_actors_active', { type: 'worker' })).toBe(1);
    // a reason has a series once it has occurred: none crashed
    expect(valueOf(parsed, 'joerl_actors_stopped_total', { type: 'worker', reason: 'error' })).toBeUndefined();
    await system.shutdown();
  });

  it('exposes a histogram as the sample’s cumulative buckets, then +Inf, _sum and _count', async () => {
    const { telemetry, system } = instrumented();
    const exporter = prometheus({ telemetry });
    const worker = system.spawn<number>(() => {}, { type: 'worker' });
    for (let i = 0; i < 5; i++) worker.send(i);
    await system.idle();
    const parsed = parseExposition(await exporter.metrics());
    const sample = telemetry.collect({ maxAgeMs: 60_000 }).find((f) => f.def.name === 'joerl_message_queue_wait_seconds')?.samples[0];
    if (sample === undefined || !isHistogramSample(sample)) throw new Error('no queue-wait histogram in the snapshot');
    const buckets = samplesOf(parsed, 'joerl_message_queue_wait_seconds_bucket', { type: 'worker' });
    expect(buckets.map((b) => b.labels.le)).toEqual([...sample.bounds.map(String), '+Inf']);
    expect(buckets.map((b) => b.value)).toEqual(sample.cumulative);
    expect(buckets.at(-1)?.value).toBe(5);
    expect(valueOf(parsed, 'joerl_message_queue_wait_seconds_count', { type: 'worker' })).toBe(5);
    expect(valueOf(parsed, 'joerl_message_queue_wait_seconds_sum', { type: 'worker' })).toBe(sample.sum);
    await system.shutdown();
  });

  it('uses the buckets given to createTelemetry({ buckets }) instead of the catalog’s', async () => {
    const { telemetry, system } = instrumented({ buckets: { joerl_message_processing_duration_seconds: [0.001, 0.1, 10] } });
    const exporter = prometheus({ telemetry });
    system.spawn<number>(() => {}, { type: 'worker' }).send(1);
    await system.idle();
    const parsed = parseExposition(await exporter.metrics());
    const les = samplesOf(parsed, 'joerl_message_processing_duration_seconds_bucket', { type: 'worker' }).map((b) => b.labels.le);
    expect(les).toEqual(['0.001', '0.1', '10', '+Inf']);
    await system.shutdown();
  });

  it('exports metric sources added to the telemetry before it', async () => {
    const { telemetry } = instrumented();
    const def = defineMetric('joerl_health_status', 'gauge', '1', ['check'], 'telemetry', 'collected', 'Health of each check: 1 up, 0 down.');
    telemetry.addMetricSource({ name: 'health', defs: [def], collect: (): MetricFamily[] => [{ def, samples: [{ labels: { check: 'db' }, value: 1 }] }] });
    const exporter = prometheus({ telemetry });
    const parsed = parseExposition(await exporter.metrics());
    expect(parsed.type.get('joerl_health_status')).toBe('gauge');
    expect(valueOf(parsed, 'joerl_health_status', { check: 'db' })).toBe(1);
    await exporter.close();
  });

  it('refuses a metric source whose label would clash with the system label', () => {
    const { telemetry } = instrumented();
    const def = defineMetric('joerl_host_up', 'gauge', '1', ['system'], 'telemetry', 'collected', 'Whether a host system is up.');
    telemetry.addMetricSource({ name: 'hosts', defs: [def], collect: (): MetricFamily[] => [] });
    expect(() => prometheus({ telemetry, system: 'orders' })).toThrow(/invalid label of joerl_host_up.*'system' \(the `system` option's\)/);
    expect(() => prometheus({ telemetry })).not.toThrow();
  });

  it('prepends the prefix option to every joerl name', async () => {
    const { telemetry } = instrumented();
    const exporter = prometheus({ telemetry, prefix: 'shop_' });
    const parsed = parseExposition(await exporter.metrics());
    expect([...parsed.type.keys()]).toEqual(CATALOG.map((d) => `shop_${d.name}`));
    await exporter.close();
  });

  it('reads telemetry once per scrape, and afresh at the next one', async () => {
    const { telemetry, system } = instrumented();
    const exporter = prometheus({ telemetry });
    const collect = vi.spyOn(telemetry, 'collect');
    const worker = system.spawn<number>(() => {}, { type: 'worker' });
    worker.send(1);
    await system.idle();
    const first = parseExposition(await exporter.metrics());
    expect(collect).toHaveBeenCalledTimes(1);
    worker.send(2);
    await system.idle();
    const second = parseExposition(await exporter.metrics());
    expect(collect).toHaveBeenCalledTimes(2);
    expect(valueOf(first, 'joerl_messages_sent_total', { type: 'worker' })).toBe(1);
    expect(valueOf(second, 'joerl_messages_sent_total', { type: 'worker' })).toBe(2);
    await system.shutdown();
  });

  it('keeps serving the rest of the registry when telemetry throws, and reports it once', async () => {
    const { telemetry } = instrumented();
    const registry = new Registry();
    new Counter({ name: 'app_orders_total', help: 'Orders taken.', registers: [registry] }).inc(3);
    const logger = { warn: vi.fn(), error: vi.fn() };
    const exporter = prometheus({ telemetry, registry, logger });
    vi.spyOn(telemetry, 'collect').mockImplementation(() => {
      throw new Error('collect broke');
    });
    const parsed = parseExposition(await exporter.metrics());
    await exporter.metrics();
    expect(valueOf(parsed, 'app_orders_total')).toBe(3);
    expect(parsed.type.get('joerl_actors_active')).toBe('gauge'); // the family is there, without samples
    expect(samplesOf(parsed, 'joerl_actors_active')).toEqual([]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(String(logger.warn.mock.calls[0]?.[0])).toContain('collect broke');
    await exporter.close();
  });

  it('keeps reading values after registry.resetMetrics()', async () => {
    const { telemetry, system } = instrumented();
    const exporter = prometheus({ telemetry });
    system.spawn<number>(() => {}, { type: 'worker' }).send(1);
    await system.idle();
    exporter.registry.resetMetrics();
    expect(valueOf(parseExposition(await exporter.metrics()), 'joerl_messages_sent_total', { type: 'worker' })).toBe(1);
    await system.shutdown();
  });
});
