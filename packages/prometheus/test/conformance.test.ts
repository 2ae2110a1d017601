import { isHistogramSample, type MetricFamily } from '@joerl/telemetry';
import { scriptedWorkload } from '@joerl/test-utils';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { prometheus } from '../src/index.js';
import { instrumented, type Parsed, parseExposition, unitInName, valueOf } from './helpers.js';

/** Every value of `families` as the adapter should show it, by sample name (counters keep `_total` in both formats). */
function expected(families: readonly MetricFamily[]): { name: string; labels: Record<string, string>; value: number }[] {
  const out: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const family of families) {
    const name = family.def.name;
    for (const s of family.samples) {
      const labels = { ...s.labels };
      if (!isHistogramSample(s)) {
        out.push({ name, labels, value: s.value });
        continue;
      }
      s.bounds.forEach((le, i) => out.push({ name: `${name}_bucket`, labels: { ...labels, le: String(le) }, value: s.cumulative[i]! }));
      out.push({ name: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: s.count });
      out.push({ name: `${name}_sum`, labels, value: s.sum });
      out.push({ name: `${name}_count`, labels, value: s.count });
    }
  }
  return out;
}

function expectAgreement(parsed: Parsed, families: readonly MetricFamily[]): void {
  const want = expected(families);
  expect(want.length).toBeGreaterThan(100);
  for (const w of want) expect(valueOf(parsed, w.name, w.labels), `${w.name}${JSON.stringify(w.labels)}`).toBe(w.value);
  // and nothing more: every joerl sample of the exposition is one of telemetry's
  expect(parsed.samples.filter((s) => s.name.startsWith('joerl_'))).toHaveLength(want.length);
}

describe('conformance: same catalog, same values', () => {
  it('the text exposition agrees with telemetry.collect() after the scripted workload', async () => {
    const { telemetry, system } = instrumented();
    const exporter = prometheus({ telemetry });
    await scriptedWorkload(system);
    const parsed = parseExposition(await exporter.metrics());
    // The snapshot that scrape read (telemetry keeps its last one): the same instant, to the byte.
    expectAgreement(parsed, telemetry.collect({ maxAgeMs: 60_000 }));
    expect(valueOf(parsed, 'joerl_messages_sent_total', { type: 'conformance_worker' })).toBe(120);
    expect(valueOf(parsed, 'joerl_messages_sent_failed_total', { type: 'conformance_tiny', reason: 'mailbox_full' })).toBe(3);
    await system.shutdown();
  });

  it('the OpenMetrics exposition agrees with telemetry.collect() after the scripted workload', async () => {
    const { telemetry, system } = instrumented();
    const exporter = prometheus({ telemetry });
    await scriptedWorkload(system);
    const parsed = parseExposition(await exporter.metrics(Registry.OPENMETRICS_CONTENT_TYPE));
    expect(parsed.eof).toBe(true);
    expectAgreement(parsed, telemetry.collect({ maxAgeMs: 60_000 }));
    expect(valueOf(parsed, 'joerl_actors_panicked_total', { type: 'conformance_crasher' })).toBe(2);
    await system.shutdown();
  });

  it('the OpenMetrics exposition carries a # UNIT line for every family with a unit, and only for those', async () => {
    const { telemetry, system } = instrumented();
    const exporter = prometheus({ telemetry });
    const parsed = parseExposition(await exporter.metrics(Registry.OPENMETRICS_CONTENT_TYPE));
    expect(parsed.unit.get('joerl_actor_lifetime_seconds')).toBe('seconds');
    expect(parsed.unit.get('joerl_mailbox_memory_bytes')).toBe('bytes');
    expect(parsed.unit.get('joerl_mailbox_utilization_ratio')).toBe('ratio');
    expect(parsed.unit.get('joerl_event_loop_delay_seconds')).toBe('seconds');
    expect(parsed.unit.has('joerl_actors_spawned')).toBe(false);
    expect(parsed.unit.size).toBe(telemetry.definitions.filter((d) => d.unit !== '1' && unitInName(d)).length);
    expect(parsed.unit.get('joerl_remote_sent_bytes')).toBe('bytes');
    // the text format has no such line
    expect(await exporter.metrics(Registry.PROMETHEUS_CONTENT_TYPE)).not.toContain('# UNIT');
    await system.shutdown();
  });
});
