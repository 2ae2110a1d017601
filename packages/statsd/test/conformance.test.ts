import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statsd, type TagStyle } from '../src/index.js';
import { decoder, expected, totals } from './decode.js';
import { instrumented, scriptedWorkload, udpSink, type UdpSink } from './helpers.js';

// The conformance test every backend runs: one scripted workload, and the values the backend
// received must agree with the telemetry's own (the in-memory truth).
describe.each<TagStyle>(['dogstatsd', 'telegraf', 'names'])('conformance with %s tags', (style) => {
  let sink: UdpSink;
  let received: ReturnType<typeof totals>;
  let truth: ReturnType<typeof expected>;

  beforeAll(async () => {
    sink = await udpSink();
    const { telemetry, system } = instrumented();
    const exporter = statsd({ telemetry, host: '127.0.0.1', port: sink.port, tags: style, prefix: 'conf' });
    const decode = decoder(telemetry.definitions, style, 'conf.');
    // Two runs with a flush after each: what arrives is two batches of deltas.
    await scriptedWorkload(system);
    await exporter.flush();
    await scriptedWorkload(system);
    await exporter.flush();
    truth = expected(telemetry, style);
    const current = () => totals(sink.lines.map((l) => decode(l)).filter((d) => d !== undefined));
    // Datagrams may still be on their way after flush(): wait (bounded) until everything adds up,
    // then assert, so a mismatch shows as a diff rather than a timeout.
    const same = (a: Record<string, number>, b: Record<string, number>) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
    const complete = () => {
      const now = current();
      return same(now.counters, truth.counters) && same(now.timings, truth.timings) && same(pick(now.exact, truth.exact), pick(truth.exact, truth.exact));
    };
    await sink.waitFor(complete, 'the datagrams to add up').catch(() => {});
    received = current();
    await exporter.close();
    await system.shutdown();
  });

  afterAll(async () => {
    await sink?.close();
  });

  it('every datagram it sent parses as StatsD lines', () => {
    expect(sink.datagrams.length).toBeGreaterThan(0);
    expect(sink.malformed).toEqual([]);
  });

  it('every line it sent names a catalog metric', () => {
    const decode = decoder(instrumented().telemetry.definitions, style, 'conf.');
    const unknown = sink.lines.filter((l) => decode(l) === undefined).map((l) => l.raw);
    expect(unknown).toEqual([]);
  });

  it('summed counter deltas equal the telemetry values', () => {
    expect(sortKeys(received.counters)).toEqual(sortKeys(truth.counters));
    expect(received.counters['joerl_messages_sent_total[["type","conformance_worker"]]']).toBe(240);
  });

  it('gauges carry the last values', () => {
    const got = Object.fromEntries(Object.keys(truth.gauges).map((k) => [k, received.gauges[k]]));
    expect(got).toEqual(truth.gauges);
  });

  it('each histogram observation arrives as one timing', () => {
    expect(sortKeys(received.timings)).toEqual(sortKeys(truth.timings));
  });

  it('the exact count and sum counters equal the histograms', () => {
    expect(Object.keys(received.exact).sort()).toEqual(Object.keys(truth.exact).sort());
    for (const [key, value] of Object.entries(truth.exact)) expect(received.exact[key], key).toBeCloseTo(value, 3);
  });
});

/** Exact counts (integers) compared exactly; sums are compared with a tolerance in their own test. */
function pick(record: Record<string, number>, like: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(like).filter((k) => k.includes('.exact.count')).map((k) => [k, record[k] ?? 0]));
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
