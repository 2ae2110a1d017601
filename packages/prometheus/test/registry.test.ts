import { InvalidConfigError } from '@joerl/core';
import { CATALOG } from '@joerl/telemetry';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { MetricNameTakenError, prometheus } from '../src/index.js';
import { instrumented, parseExposition, samplesOf, valueOf } from './helpers.js';

const names = (registry: Registry) => registry.getMetricsAsArray().map((m) => m.name);

describe('whose registry', () => {
  it('adds joerl’s metrics to your registry, next to your own', async () => {
    const { telemetry } = instrumented();
    const registry = new Registry();
    new Counter({ name: 'app_orders_total', help: 'Orders taken.', registers: [registry] }).inc(2);
    const exporter = prometheus({ telemetry, registry });
    expect(exporter.registry).toBe(registry);
    const parsed = parseExposition(await registry.metrics());
    expect(valueOf(parsed, 'app_orders_total')).toBe(2);
    expect(parsed.type.get('joerl_actors_active')).toBe('gauge');
    await exporter.close();
  });

  it('creates a registry of its own when given none', async () => {
    const { telemetry } = instrumented();
    const exporter = prometheus({ telemetry });
    expect(exporter.registry).toBeInstanceOf(Registry);
    expect(names(exporter.registry)).toEqual(CATALOG.map((d) => d.name));
    await exporter.close();
  });

  it('adds prom-client’s default Node.js metrics when asked, with their options', async () => {
    const { telemetry } = instrumented();
    const exporter = prometheus({ telemetry, defaultMetrics: { prefix: 'svc_' } });
    const parsed = parseExposition(await exporter.metrics());
    expect(parsed.type.get('svc_process_cpu_user_seconds_total')).toBe('counter');
    expect(parsed.type.get('svc_nodejs_heap_size_total_bytes')).toBe('gauge');
    await exporter.close();
    expect(names(exporter.registry)).toEqual([]);
  });

  it('refuses default metrics twice in one registry, registering nothing', () => {
    const a = instrumented();
    const b = instrumented();
    const registry = new Registry();
    const first = prometheus({ telemetry: a.telemetry, registry, system: 'a', defaultMetrics: true });
    const before = names(registry);
    const second = () => prometheus({ telemetry: b.telemetry, registry, system: 'b', defaultMetrics: true });
    expect(second).toThrow(MetricNameTakenError);
    expect(second).toThrow(/defaultMetrics once per registry/);
    expect(names(registry)).toEqual(before);
    void first.close();
  });
});

describe('two actor systems in one process', () => {
  it('share a registry, told apart by their system label', async () => {
    const orders = instrumented();
    const billing = instrumented();
    const registry = new Registry();
    const a = prometheus({ telemetry: orders.telemetry, registry, system: 'orders' });
    const b = prometheus({ telemetry: billing.telemetry, registry, system: 'billing' });
    const o = orders.system.spawn<number>(() => {}, { type: 'worker' });
    for (let i = 0; i < 3; i++) o.send(i);
    billing.system.spawn<number>(() => {}, { type: 'worker' }).send(1);
    await orders.system.idle();
    await billing.system.idle();
    const parsed = parseExposition(await registry.metrics());
    expect(valueOf(parsed, 'joerl_messages_sent_total', { system: 'orders', type: 'worker' })).toBe(3);
    expect(valueOf(parsed, 'joerl_messages_sent_total', { system: 'billing', type: 'worker' })).toBe(1);
    expect(parsed.samples.filter((s) => s.name.startsWith('joerl_')).every((s) => s.labels.system === 'orders' || s.labels.system === 'billing')).toBe(true);
    await a.close();
    await b.close();
  });

  it('use separate registries without any label', async () => {
    const one = instrumented();
    const two = instrumented();
    const a = prometheus({ telemetry: one.telemetry });
    const b = prometheus({ telemetry: two.telemetry });
    one.system.spawn<number>(() => {}, { type: 'worker' }).send(1);
    await one.system.idle();
    expect(valueOf(parseExposition(await a.metrics()), 'joerl_messages_sent_total', { type: 'worker' })).toBe(1);
    expect(samplesOf(parseExposition(await b.metrics()), 'joerl_messages_sent_total')).toEqual([]);
    await a.close();
    await b.close();
  });

  it('cannot share a registry without system labels: a clear error, and nothing registered', () => {
    const registry = new Registry();
    prometheus({ telemetry: instrumented().telemetry, registry });
    const before = names(registry);
    let error: unknown;
    try {
      prometheus({ telemetry: instrumented().telemetry, registry });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MetricNameTakenError);
    expect((error as MetricNameTakenError).code).toBe('METRIC_NAME_TAKEN');
    expect((error as MetricNameTakenError).metric).toBe(CATALOG[0]?.name);
    expect((error as Error).message).toMatch(/'joerl_actors_spawned_total' is already registered .*distinct `system` option/);
    expect(names(registry)).toEqual(before);
  });

  it('cannot share a registry under the same system label', () => {
    const registry = new Registry();
    prometheus({ telemetry: instrumented().telemetry, registry, system: 'orders' });
    expect(() => prometheus({ telemetry: instrumented().telemetry, registry, system: 'orders' })).toThrow(/same label system="orders"/);
  });

  it('closing one leaves the other’s series in the shared registry', async () => {
    const registry = new Registry();
    const a = prometheus({ telemetry: instrumented().telemetry, registry, system: 'a' });
    const b = prometheus({ telemetry: instrumented().telemetry, registry, system: 'b' });
    await a.close();
    const parsed = parseExposition(await registry.metrics());
    expect(samplesOf(parsed, 'joerl_links_created_total').map((s) => s.labels.system)).toEqual(['b']);
    await b.close();
    expect(names(registry)).toEqual([]);
  });
});

describe('name collisions with your metrics', () => {
  it('are a clear error naming the metric and the fix, and register nothing', () => {
    const registry = new Registry();
    new Counter({ name: 'joerl_links_created_total', help: 'Mine.', registers: [registry] });
    let error: unknown;
    try {
      prometheus({ telemetry: instrumented().telemetry, registry });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MetricNameTakenError);
    expect((error as MetricNameTakenError).metric).toBe('joerl_links_created_total');
    expect((error as Error).message).toMatch(/not registered by joerl.*prefix/);
    expect(names(registry)).toEqual(['joerl_links_created_total']);
  });

  it('are avoided with a prefix', async () => {
    const registry = new Registry();
    new Counter({ name: 'joerl_links_created_total', help: 'Mine.', registers: [registry] });
    const exporter = prometheus({ telemetry: instrumented().telemetry, registry, prefix: 'svc_' });
    expect(names(registry)).toContain('svc_joerl_links_created_total');
    await exporter.close();
  });
});

describe('lifecycle', () => {
  it('close() removes joerl’s metrics and keeps yours', async () => {
    const registry = new Registry();
    new Counter({ name: 'app_orders_total', help: 'Orders taken.', registers: [registry] });
    const exporter = prometheus({ telemetry: instrumented().telemetry, registry });
    await exporter.close();
    await exporter.close(); // idempotent
    expect(names(registry)).toEqual(['app_orders_total']);
  });

  it('closes itself when its actor system shuts down', async () => {
    const { telemetry, system } = instrumented();
    const exporter = prometheus({ telemetry });
    const server = await exporter.listen({ port: 0 });
    await system.shutdown();
    await exporter.close(); // already closed by the shutdown: resolves at once
    expect(names(exporter.registry)).toEqual([]);
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it('lets the same telemetry feed two registries', async () => {
    const { telemetry } = instrumented();
    const a = prometheus({ telemetry });
    const b = prometheus({ telemetry });
    expect([a.name, b.name]).toEqual(['prometheus', 'prometheus#2']);
    await a.close();
    await b.close();
  });

  it('rejects bad options, naming the setting', () => {
    const { telemetry } = instrumented();
    const attempt = (options: unknown) => {
      try {
        prometheus(options as Parameters<typeof prometheus>[0]);
      } catch (e) {
        return e instanceof InvalidConfigError ? e.setting : e;
      }
      return 'accepted';
    };
    expect(attempt({})).toBe('telemetry');
    expect(attempt({ telemetry, system: '' })).toBe('system');
    expect(attempt({ telemetry, prefix: 'bad prefix' })).toBe('prefix');
    expect(attempt({ telemetry, registry: {} })).toBe('registry');
  });
});
