import { describe, expect, it } from 'vitest';
import { CATALOG, createTelemetry, defineMetric, DeltaCollector, isHistogramSample, metricDef } from '../src/index.js';
import { instrumented } from './helpers.js';

describe('the catalog and collect()', () => {
  it('names are unique, Prometheus-valid, and counters end in _total', () => {
    const names = CATALOG.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const m of CATALOG) {
      expect(m.name).toMatch(/^joerl_[a-z0-9_]+$/);
      expect(m.otelName).toMatch(/^joerl(\.[a-z0-9_]+)+$/);
      if (m.kind === 'counter') expect(m.name).toMatch(/_total$/);
      if (m.unit === 's') expect(m.name).toMatch(/_seconds$/);
      // the unit ends the name (before _total), as Prometheus wants: joerl_remote_sent_bytes_total
      if (m.unit === 'By') expect(m.name).toMatch(m.kind === 'counter' ? /_bytes_total$/ : /_bytes$/);
      if (m.kind === 'histogram') expect(m.buckets?.length).toBeGreaterThan(0);
      expect(m.help.length).toBeGreaterThan(10);
    }
  });

  it('returns one family per catalog metric, in order, each sample with exactly the declared labels', async () => {
    const { system, telemetry } = instrumented();
    const ref = system.spawn<number>(() => {}, { type: 'w' });
    ref.send(1);
    await system.idle();
    const families = telemetry.collect();
    expect(families.map((f) => f.def.name)).toEqual(CATALOG.map((m) => m.name));
    for (const f of families) {
      for (const s of f.samples) {
        // (the error counters' single unlabelled 0 stands for "no provider / no push backend")
        const unlabelledZero = f.def.group === 'telemetry' && Object.keys(s.labels).length === 0 && !isHistogramSample(s) && s.value === 0;
        if (!unlabelledZero) expect(Object.keys(s.labels).sort()).toEqual([...f.def.labels].sort());
        if (f.def.kind === 'histogram') {
          expect(isHistogramSample(s)).toBe(true);
          if (isHistogramSample(s)) {
            expect(s.cumulative).toHaveLength(s.bounds.length + 1);
            expect(s.cumulative.at(-1)).toBe(s.count);
          }
        } else {
          expect(isHistogramSample(s)).toBe(false);
        }
      }
    }
    // the runtime gauges are there from the start
    expect(telemetry.value('joerl_system_memory_bytes', { kind: 'heap_used' })).toBeGreaterThan(0);
    expect(families.find((f) => f.def.name === 'joerl_event_loop_delay_seconds')?.samples).toHaveLength(1);
    expect(telemetry.value('joerl_scheduler_run_queue_length')).toBe(0);
    expect(metricDef('joerl_actors_active').kind).toBe('gauge');
  });

  it('reads registry size, timers and run queue length from the system', () => {
    const { system, telemetry } = instrumented();
    const ref = system.spawn(() => {}, { type: 'w', name: 'named' });
    system.sendAfter(ref, 'later', 1000);
    ref.send('now');
    expect(telemetry.value('joerl_registry_size')).toBe(1);
    expect(telemetry.value('joerl_timers_active')).toBe(1);
    expect(telemetry.value('joerl_scheduler_run_queue_length')).toBe(1);
  });

  it('can reuse a snapshot for a short while', () => {
    const { system, telemetry } = instrumented();
    const first = telemetry.collect({ maxAgeMs: 60_000 });
    system.spawn(() => {}, { type: 'w' });
    expect(telemetry.collect({ maxAgeMs: 60_000 })).toBe(first);
    expect(telemetry.collect()).not.toBe(first);
  });
});

describe('configuration', () => {
  it('rejects bad settings with an error naming the setting', () => {
    expect(() => createTelemetry({ sampling: { timing: 1.5 } })).toThrow(/sampling\.timing.*between 0 and 1/);
    expect(() => createTelemetry({ sampling: { spans: -0.1 } })).toThrow(/sampling\.spans/);
    expect(() => createTelemetry({ labelCap: 0 })).toThrow(/labelCap/);
    expect(() => createTelemetry({ buckets: { joerl_actors_active: [1] } })).toThrow(/buckets\.joerl_actors_active.*name of a histogram/);
    expect(() => createTelemetry({ buckets: { joerl_actor_lifetime_seconds: [2, 1] } })).toThrow(/strictly ascending/);
    expect(() => createTelemetry({ shortLivedMs: 0 })).toThrow(/shortLivedMs/);
  });

  it('setSampling changes rates at run time', async () => {
    const { system, telemetry } = instrumented({ sampling: { timing: 0 } });
    const ref = system.spawn<number>(() => {}, { type: 'w' });
    for (let i = 0; i < 10; i++) ref.send(i);
    await system.idle();
    expect(telemetry.value('joerl_message_processing_duration_seconds', { type: 'w' })).toBe(0);
    telemetry.setSampling({ timing: 0.5 });
    expect(telemetry.sampling).toMatchObject({ timing: 0.5 });
    for (let i = 0; i < 10; i++) ref.send(i);
    await system.idle();
    expect(telemetry.value('joerl_message_processing_duration_seconds', { type: 'w' })).toBe(5);
    expect(() => telemetry.setSampling({ calls: 2 })).toThrow(/sampling\.calls/);
  });

  it('uses overridden histogram buckets', async () => {
    const { system, telemetry } = instrumented({ buckets: { joerl_message_queue_wait_seconds: [0.001, 1] } });
    const ref = system.spawn<number>(() => {}, { type: 'w' });
    ref.send(1);
    await system.idle();
    expect(telemetry.histogram('joerl_message_queue_wait_seconds', { type: 'w' })?.bounds).toEqual([0.001, 1]);
  });

  it('serves one system only', () => {
    const { telemetry } = instrumented();
    expect(() => telemetry.attached(telemetry.actorSystem!)).toThrow(/one telemetry instance per ActorSystem/);
  });
});

describe('metric sources and deltas', () => {
  it('an added source appears in collect() after the catalog; a clashing name is refused', () => {
    const { telemetry } = instrumented();
    const def = defineMetric('joerl_health_status', 'gauge', '1', [], 'telemetry', 'collected', 'Overall health: 2 healthy, 1 degraded, 0 unhealthy.');
    telemetry.addMetricSource({ name: 'health', defs: [def], collect: () => [{ def, samples: [{ labels: {}, value: 2 }] }] });
    expect(telemetry.collect().at(-1)?.def.name).toBe('joerl_health_status');
    expect(telemetry.value('joerl_health_status')).toBe(2);
    expect(telemetry.definitions.at(-1)).toBe(def);
    expect(() => telemetry.addMetricSource({ name: 'again', defs: [def], collect: () => [] })).toThrow(/not already in the catalog/);
  });

  it('DeltaCollector reports counter increments, current gauges and new histogram observations', async () => {
    const { system, telemetry } = instrumented();
    const deltas = new DeltaCollector(telemetry);
    const ref = system.spawn<number>(() => {}, { type: 'w' });
    for (let i = 0; i < 3; i++) ref.send(i);
    await system.idle();
    const first = deltas.next();
    const sent = (b: typeof first) => b.counters.find((c) => c.def.name === 'joerl_messages_sent_total' && c.labels.type === 'w')?.delta;
    expect(sent(first)).toBe(3);
    expect(first.gauges.find((g) => g.def.name === 'joerl_actors_active' && g.labels.type === 'w')?.value).toBe(1);
    expect(first.histograms.find((h) => h.def.name === 'joerl_message_queue_wait_seconds')?.count).toBe(3);
    ref.send(9);
    await system.idle();
    const second = deltas.next();
    expect(sent(second)).toBe(1);
    const wait = second.histograms.find((h) => h.def.name === 'joerl_message_queue_wait_seconds');
    expect(wait?.count).toBe(1);
    expect(wait?.counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(deltas.next().counters.find((c) => c.def.name === 'joerl_messages_sent_total')).toBeUndefined();
  });
});

describe('event-loop delay', () => {
  it('is the delay beyond the monitor resolution: an idle loop reads 0, not the 10 ms resolution', async () => {
    const { read } = await import('../src/runtime.js');
    const ms = 1e6;
    // what monitorEventLoopDelay({ resolution: 10 }) records: the time between its ticks
    const idle = { count: 100, max: 10.4 * ms, percentile: (p: number) => (p === 50 ? 10.2 * ms : 10.3 * ms) };
    expect(read(idle, 10 * ms)).toEqual({ p50: 0.0002, p99: 0.0003, max: 0.0004, samples: 100 });
    const stalled = { count: 100, max: 310 * ms, percentile: () => 9.5 * ms };
    expect(read(stalled, 10 * ms)).toEqual({ p50: 0, p99: 0, max: 0.3, samples: 100 });
    expect(read({ count: 0, max: 0, percentile: () => 0 }, 10 * ms).samples).toBe(0);
  });
});
