import { sanitizeLabelValue } from '../src/tag-style.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActorSystem } from '@joerl/core';
import { isHistogramSample, type Labels, type MetricDef, type Telemetry } from '@joerl/telemetry';
import { statsd } from '../src/index.js';
import { decoder, expected, totals } from './decode.js';
import {
  instrumented,
  parseNumbers,
  parseTimerCounts,
  scriptedWorkload,
  startStatsdDaemon,
  udpSink,
  type StatsdDaemon,
  type UdpSink,
} from './helpers.js';

// The real Etsy daemon from npm (`statsd` 0.9, a devDependency, so it always exists here): one
// exporter with DogStatsD tags (prefix "dog"), one with folded names (prefix "plain"). Its
// repeater forwards every packet to `repeated`; its management interface shows what it aggregated.
describe('the real statsd daemon', () => {
  let repeated: UdpSink;
  let daemon: StatsdDaemon | undefined;
  let telemetry: Telemetry;
  let system: ActorSystem;
  let truth: ReturnType<typeof expected>;

  beforeAll(async () => {
    repeated = await udpSink();
    daemon = await startStatsdDaemon(repeated);
    ({ telemetry, system } = instrumented());
    const dog = statsd({ telemetry, host: '127.0.0.1', port: daemon.port, prefix: 'dog' });
    const plain = statsd({ telemetry, host: '127.0.0.1', port: daemon.port, prefix: 'plain', tags: 'names' });
    await scriptedWorkload(system);
    await dog.flush();
    await plain.flush();
    truth = expected(telemetry, 'dogstatsd');
    // Everything both exporters sent has passed the daemon once its repeater has forwarded it all.
    const decodeDog = decoder(telemetry.definitions, 'dogstatsd', 'dog.');
    const decodePlain = decoder(telemetry.definitions, 'names', 'plain.');
    const same = (a: object, b: object) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
    await repeated
      .waitFor(
        (lines) =>
          same(totals(lines.map((l) => decodeDog(l)).filter((d) => d !== undefined)).timings, truth.timings) &&
          same(totals(lines.map((l) => decodePlain(l)).filter((d) => d !== undefined)).timings, truth.timings),
        'both exporters\' datagrams to be repeated',
      )
      .catch(() => {});
    await dog.close();
    await plain.close();
  });

  afterAll(async () => {
    await daemon?.stop();
    await repeated?.close();
    await system?.shutdown();
  });

  it('rejects none of our lines', async () => {
    expect(parseNumbers(await daemon!.manage('counters'))['statsd.bad_lines_seen']).toBe(0);
  });

  it('repeats datagrams that parse, whose counter deltas sum to the telemetry values', () => {
    expect(repeated.malformed).toEqual([]);
    const decode = decoder(telemetry.definitions, 'dogstatsd', 'dog.');
    const received = totals(repeated.lines.map((l) => decode(l)).filter((d) => d !== undefined));
    expect(sorted(received.counters)).toEqual(sorted(truth.counters));
  });

  it('aggregates our DogStatsD-tagged counters to the telemetry values', async () => {
    const counters = parseNumbers(await daemon!.manage('counters'));
    const want = counterSeries(telemetry, (def, labels) => `dog.${def.otelName}${def.labels.map((l) => `;${l}=${sanitizeLabelValue('dogstatsd', labels[l] ?? '')}`).join('')}`);
    expect(pick(counters, want)).toEqual(want);
  });

  it('aggregates our folded-name counters to the same values', async () => {
    const counters = parseNumbers(await daemon!.manage('counters'));
    const want = counterSeries(telemetry, (def, labels) => `plain.${def.otelName}${def.labels.map((l) => `.${sanitizeLabelValue('names', labels[l] ?? '')}`).join('')}`);
    expect(pick(counters, want)).toEqual(want);
  });

  it('holds our gauges at the telemetry values', async () => {
    const gauges = parseNumbers(await daemon!.manage('gauges'));
    expect(gauges['dog.joerl.actors.active;type=conformance_worker']).toBe(telemetry.value('joerl_actors_active', { type: 'conformance_worker' }));
    expect(gauges['plain.joerl.actors.active.conformance_tiny']).toBe(telemetry.value('joerl_actors_active', { type: 'conformance_tiny' }));
  });

  it('keeps one timer value per histogram observation', async () => {
    const timers = parseTimerCounts(await daemon!.manage('timers'));
    const want: Record<string, number> = {};
    for (const family of telemetry.collect()) {
      for (const s of family.samples) {
        if (isHistogramSample(s) && s.count > 0) want[`dog.${family.def.otelName}${family.def.labels.map((l) => `;${l}=${sanitizeLabelValue('dogstatsd', s.labels[l] ?? '')}`).join('')}`] = s.count;
      }
    }
    expect(Object.keys(want).length).toBeGreaterThan(0);
    expect(pick(timers, want)).toEqual(want);
  });
});

/** Every non-zero counter of the telemetry, under the daemon's key for it. */
function counterSeries(telemetry: Telemetry, key: (def: MetricDef, labels: Labels) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const family of telemetry.collect()) {
    if (family.def.kind !== 'counter') continue;
    for (const s of family.samples) if (!isHistogramSample(s) && s.value > 0) out[key(family.def, s.labels)] = s.value;
  }
  return out;
}

function pick(record: Record<string, number>, like: Record<string, number>): Record<string, number | undefined> {
  return Object.fromEntries(Object.keys(like).map((k) => [k, record[k]]));
}

function sorted(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
