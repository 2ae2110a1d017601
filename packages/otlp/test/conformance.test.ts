import { isHistogramSample, type MetricFamily, type Telemetry } from '@joerl/telemetry';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Otlp, startOtlp } from '../src/index.js';
import { type DecodedMetric, OTEL_VARIABLES, pointOf, QUIET, quietSystem, type Receiver, scriptedWorkload, startReceiver } from './helpers.js';

/**
 * The conformance check every backend runs: one scripted workload, then the values the collector
 * decoded must agree with the telemetry's own (`collect()` / `value()`).
 */
let receiver: Receiver;
let otlp: Otlp;
let telemetry: Telemetry;
let families: MetricFamily[];
let received: Map<string, DecodedMetric>;

beforeAll(async () => {
  for (const name of OTEL_VARIABLES) vi.stubEnv(name, undefined);
  receiver = await startReceiver();
  otlp = await startOtlp({ endpoint: receiver.url, traces: false, telemetry: { ...QUIET, sampling: { timing: 1 } } });
  telemetry = otlp.telemetry;
  const system = quietSystem({ instrumentation: telemetry });
  await scriptedWorkload(system);
  await otlp.forceFlush();
  families = telemetry.collect();
  received = new Map(receiver.metrics().map((m) => [m.name, m]));
  await system.shutdown();
});
afterAll(async () => {
  await otlp.shutdown();
  await receiver.close();
  vi.unstubAllEnvs();
});

/** Process memory is re-read at most once a second, so it may differ between two collections. */
const VOLATILE = new Set(['joerl_system_memory_bytes']);

describe('conformance: the scripted workload, as the collector decoded it, agrees with the telemetry', () => {
  it('every counter and gauge sample arrives under its OpenTelemetry name with the same attributes and value', () => {
    let compared = 0;
    for (const family of families) {
      if (family.def.kind === 'histogram' || VOLATILE.has(family.def.name) || family.samples.length === 0) continue;
      const metric = received.get(family.def.otelName);
      expect(metric, family.def.otelName).toBeDefined();
      expect(metric!.points).toHaveLength(family.samples.length);
      for (const sample of family.samples) {
        if (isHistogramSample(sample)) continue;
        expect(pointOf(metric, sample.labels)?.value, `${family.def.otelName} ${JSON.stringify(sample.labels)}`).toBe(sample.value);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(50);
  });

  it('every histogram sample arrives with the same bounds, count per bucket, count and sum', () => {
    let compared = 0;
    for (const family of families) {
      if (family.def.kind !== 'histogram' || family.samples.length === 0) continue;
      const metric = received.get(family.def.otelName);
      expect(metric, family.def.otelName).toMatchObject({ type: 'histogram', unit: family.def.unit });
      for (const sample of family.samples) {
        if (!isHistogramSample(sample)) continue;
        const point = pointOf(metric, sample.labels);
        const perBucket = sample.cumulative.map((c, i) => c - (i === 0 ? 0 : sample.cumulative[i - 1]!));
        expect(point, `${family.def.otelName} ${JSON.stringify(sample.labels)}`).toMatchObject({ bounds: [...sample.bounds], bucketCounts: perBucket, count: sample.count });
        expect(point!.sum).toBeCloseTo(sample.sum, 9);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(5);
  });

  it("the workload's own numbers arrive: spawns, messages, panics, full mailboxes, failed sends, links and monitors", () => {
    const value = (otelName: string, attrs: Record<string, string>) => pointOf(received.get(otelName), attrs)?.value;
    const expected: [string, string, Record<string, string>, number][] = [
      ['joerl.actors.spawned', 'joerl_actors_spawned_total', { type: 'conformance_worker' }, 4],
      ['joerl.messages.processed', 'joerl_messages_processed_total', { type: 'conformance_worker' }, 120],
      ['joerl.actors.panicked', 'joerl_actors_panicked_total', { type: 'conformance_crasher' }, 2],
      ['joerl.actors.stopped', 'joerl_actors_stopped_total', { type: 'conformance_crasher', reason: 'error' }, 2],
      ['joerl.mailbox.full', 'joerl_mailbox_full_total', { type: 'conformance_tiny' }, 3],
      ['joerl.messages.sent.failed', 'joerl_messages_sent_failed_total', { type: 'conformance_crasher', reason: 'noproc' }, 4],
      ['joerl.links.created', 'joerl_links_created_total', {}, 1],
      ['joerl.monitors.created', 'joerl_monitors_created_total', {}, 1],
    ];
    for (const [otelName, name, attrs, n] of expected) {
      expect(telemetry.value(name, attrs), name).toBe(n);
      expect(value(otelName, attrs), otelName).toBe(n);
    }
  });
});
