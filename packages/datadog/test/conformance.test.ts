/**
 * The conformance test every backend runs: the scripted workload, exported, decoded as the agent
 * would, and compared with the telemetry's own values.
 */
import { ActorSystem } from '@joerl/core';
import { CATALOG, createTelemetry, isHistogramSample, type Labels } from '@joerl/telemetry';
import { scriptedWorkload } from '@joerl/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { datadog } from '../src/index.js';
import { startFakeAgent, type StatsdLine } from './fake-agent.js';
import { agentTotal, lastGauge, noTracer } from './helpers.js';

const agent = await startFakeAgent();
afterAll(() => agent.close());

/** Catalog labels as the Datadog tags they become. */
function tagsFor(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) out[k === 'type' ? 'actor_type' : k] = v;
  return out;
}

describe('conformance: the scripted workload', () => {
  it('reads the same in DogStatsD as in telemetry: summed counter increments, histogram counts, actor gauges', async () => {
    const telemetry = createTelemetry({ sampling: { timing: 1, calls: 1 }, eventLoop: false, logger: null });
    const system = new ActorSystem({ instrumentation: telemetry, logger: null });
    const exporter = datadog({ telemetry, tracer: noTracer, traces: false, dogstatsd: { hostname: '127.0.0.1', port: agent.statsdPort }, intervalMs: 60_000, logger: null });

    // Two runs, two exports: the agent must add the second run's increments to the first's.
    let expectedLines = 0;
    for (let run = 0; run < 2; run++) {
      await scriptedWorkload(system);
      const result = await exporter.flush();
      expect(result.kind).toBe('sent');
      if (result.kind === 'sent') expectedLines += result.lines;
    }
    const lines: StatsdLine[] = await agent.waitForLines((l) => l.length >= expectedLines, `${expectedLines} DogStatsD lines`);

    let compared = 0;
    for (const family of telemetry.collect()) {
      const name = family.def.otelName;
      for (const sample of family.samples) {
        const tags = tagsFor(sample.labels);
        if (isHistogramSample(sample)) {
          expect(agentTotal(lines, name, tags), `${name} ${JSON.stringify(tags)} count`).toBe(sample.count);
        } else if (family.def.kind === 'counter') {
          expect(agentTotal(lines, name, tags), `${name} ${JSON.stringify(tags)}`).toBe(sample.value);
        } else if (family.def.group === 'lifecycle' || family.def.group === 'mailboxes') {
          expect(lastGauge(lines, name, tags), `${name} ${JSON.stringify(tags)}`).toBe(sample.value);
        } else continue;
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(40);
    // The workload's own numbers, as the scripted workload documents them (two runs).
    expect(agentTotal(lines, 'joerl.messages.processed', { actor_type: 'conformance_worker' })).toBe(240);
    expect(agentTotal(lines, 'joerl.actors.stopped', { actor_type: 'conformance_crasher', reason: 'error' })).toBe(4);
    expect(agentTotal(lines, 'joerl.messages.sent.failed', { actor_type: 'conformance_tiny', reason: 'mailbox_full' })).toBe(6);
    expect(agentTotal(lines, 'joerl.message.processing.duration', { actor_type: 'conformance_worker' })).toBe(telemetry.value('joerl_message_processing_duration_seconds', { type: 'conformance_worker' }));
    expect(lastGauge(lines, 'joerl.actors.active', { actor_type: 'conformance_worker' })).toBe(8);

    await system.shutdown();
    await exporter.shutdown();
  });

  it('every catalog metric has its own DogStatsD name', () => {
    const names = CATALOG.map((m) => m.otelName);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^joerl(\.[a-z0-9_]+)+$/);
  });
});
