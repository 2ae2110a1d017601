import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ActorSystem } from '@joerl/core';
import { metricDef } from '@joerl/telemetry';
import { statsd, statsdName, type StatsdExporter, type StatsdOptions } from '../src/index.js';
import { namedNode } from '@joerl/test-utils';
import { fixedSource, instrumented, linesOf, scriptedWorkload, sumOf, udpSink, type UdpSink } from './helpers.js';

let sink: UdpSink;
const exporters: StatsdExporter[] = [];
const systems: ActorSystem[] = [];

beforeEach(async () => {
  sink = await udpSink();
});

afterEach(async () => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  await Promise.all(exporters.splice(0).map((e) => e.close()));
  await Promise.all(systems.splice(0).map((s) => s.shutdown()));
  await sink.close();
});

/** A system and an exporter to the sink (interval long enough never to fire by itself). */
function setup(options: Partial<StatsdOptions> = {}) {
  const { telemetry, system } = instrumented();
  const exporter = statsd({ telemetry, host: '127.0.0.1', port: sink.port, intervalMs: 3_600_000, ...options });
  exporters.push(exporter);
  systems.push(system);
  return { telemetry, system, exporter };
}

async function sendTo(system: ActorSystem, type: string, count: number) {
  const ref = system.spawn<number>(() => {}, { type });
  for (let i = 0; i < count; i++) ref.send(i);
  await system.idle();
  return ref;
}

describe('a node of a cluster', () => {
  it('tags every line with its node, or appends the node to the name with folded names', async () => {
    const tagged = setup();
    tagged.system.setDistribution(namedNode('orders-1'));
    await sendTo(tagged.system, 'noded', 2);
    await tagged.exporter.flush();
    await sink.waitFor((l) => sumOf(l, 'joerl.messages.sent', { type: 'noded', node: 'orders-1' }) === 2, 'the node-tagged sends');
    const own = sink.lines.filter((l) => l.tags.type === 'noded');
    expect(own.length).toBeGreaterThan(2);
    expect(own.filter((l) => l.tags.node !== 'orders-1')).toEqual([]);
    tagged.system.setDistribution(null);

    const folded = setup({ tags: 'names', prefix: 'f' });
    folded.system.setDistribution(namedNode('orders-2'));
    await sendTo(folded.system, 'folded', 2);
    await folded.exporter.flush();
    await sink.waitFor((l) => sumOf(l, 'f.joerl.messages.sent.folded.orders-2') === 2, 'the sends, folded with their node');
    folded.system.setDistribution(null);
  });
});

describe('counters', () => {
  it('arrive as increments: each flush sends what changed since the previous one', async () => {
    const { system, exporter } = setup();
    const worker = await sendTo(system, 'worker', 3);
    await exporter.flush();
    for (let i = 0; i < 4; i++) worker.send(i);
    await system.idle();
    await exporter.flush();
    await sink.waitFor((l) => sumOf(l, 'joerl.messages.sent', { type: 'worker' }) === 7, '7 messages sent in total');
    expect(linesOf(sink.lines, 'joerl.messages.sent', 'c', { type: 'worker' }).map((l) => l.value)).toEqual([3, 4]);
  });

  it('are not sent again when they did not change', async () => {
    const { system, exporter } = setup();
    await sendTo(system, 'worker', 1);
    await exporter.flush();
    await exporter.flush();
    // Gauges go out on every flush, after the counters: two of them mean both flushes are in.
    await sink.waitFor((l) => linesOf(l, 'joerl.actors.active', 'g', { type: 'worker' }).length === 2, 'two flushes');
    expect(linesOf(sink.lines, 'joerl.actors.spawned', 'c', { type: 'worker' })).toHaveLength(1);
  });
});

describe('gauges', () => {
  it('are sent with their current value on every flush', async () => {
    const { system, exporter } = setup();
    const a = await sendTo(system, 'worker', 0);
    await sendTo(system, 'worker', 0);
    await exporter.flush();
    system.exit(a.pid, 'kill');
    await system.join(a.pid);
    await exporter.flush();
    await sink.waitFor((l) => linesOf(l, 'joerl.actors.active', 'g', { type: 'worker' }).length === 2, 'two gauge values');
    expect(linesOf(sink.lines, 'joerl.actors.active', 'g', { type: 'worker' }).map((l) => l.value)).toEqual([2, 1]);
  });

  it('in seconds are sent in milliseconds', async () => {
    const { telemetry, exporter } = setup();
    const source = fixedSource();
    telemetry.addMetricSource(source);
    source.age = 0.25;
    await exporter.flush();
    await sink.waitFor((l) => linesOf(l, 'joerl.test.age', 'g').length === 1, 'the age gauge');
    expect(linesOf(sink.lines, 'joerl.test.age', 'g')[0]?.raw).toBe('joerl.test.age:250|g');
  });

  it('below zero are sent as 0 then the value, so StatsD does not read them as a change', async () => {
    const { telemetry, exporter } = setup();
    const source = fixedSource();
    telemetry.addMetricSource(source);
    source.age = -0.5;
    await exporter.flush();
    await sink.waitFor((l) => linesOf(l, 'joerl.test.age', 'g').length === 2, 'the age gauge');
    expect(linesOf(sink.lines, 'joerl.test.age', 'g').map((l) => l.raw)).toEqual(['joerl.test.age:0|g', 'joerl.test.age:-500|g']);
  });
});

describe('tags', () => {
  async function spawnedLine(options: Partial<StatsdOptions>, type: string) {
    const { system, exporter } = setup(options);
    await sendTo(system, type, 0);
    await exporter.flush();
    await sink.waitFor((l) => l.some((x) => x.name.includes('actors.spawned')), 'the spawned counter');
    return sink.lines.find((x) => x.name.includes('actors.spawned'))?.raw;
  }

  it('are DogStatsD tags by default: |#key:value', async () => {
    expect(await spawnedLine({}, 'worker')).toBe('joerl.actors.spawned:1|c|#type:worker');
  });

  it('are Telegraf tags in the name with tags: "telegraf": name,key=value', async () => {
    expect(await spawnedLine({ tags: 'telegraf' }, 'worker')).toBe('joerl.actors.spawned,type=worker:1|c');
  });

  it('are folded into the name with tags: "names", in the catalog label order', async () => {
    const { system, exporter } = setup({ tags: 'names' });
    const crasher = system.spawn<number>(() => {
      throw new Error('boom');
    }, { type: 'crasher' });
    crasher.send(1);
    await system.join(crasher.pid);
    await exporter.flush();
    await sink.waitFor((l) => l.some((x) => x.name.startsWith('joerl.actors.stopped.')), 'the stopped counter');
    expect(sink.lines.find((x) => x.name.startsWith('joerl.actors.stopped.'))?.raw).toBe('joerl.actors.stopped.crasher.error:1|c');
    expect(sink.datagrams.join('\n')).not.toContain('|#');
  });

  it('with tags: "names" never carry the DD_ENV/DD_SERVICE tags a plain StatsD server would reject', async () => {
    vi.stubEnv('DD_ENV', 'prod');
    vi.stubEnv('DD_SERVICE', 'shop');
    expect(await spawnedLine({ tags: 'names' }, 'worker')).toBe('joerl.actors.spawned.worker:1|c');
  });

  it('include DD_ENV/DD_SERVICE as tags in the DogStatsD style', async () => {
    vi.stubEnv('DD_ENV', 'prod');
    vi.stubEnv('DD_SERVICE', 'shop');
    expect(sinkTags(await spawnedLine({ datadog: false }, 'worker'))).toEqual({ type: 'worker', env: 'prod', service: 'shop' });
  });

  it.each([
    ['dogstatsd', 'joerl.test.latency.exact.count:1|c|#route:a_b_c:d_e_f_g.h/i'],
    ['telegraf', 'joerl.test.latency.exact.count,route=a_b_c_d_e_f_g.h/i:1|c'],
    ['names', 'joerl.test.latency.exact.count.a_b_c_d_e_f_g_h_i:1|c'],
  ] as const)('sanitise label values so they cannot break the %s line', async (style, line) => {
    const { telemetry, exporter } = setup({ tags: style });
    const source = fixedSource('a|b,c:d#e f=g.h/i');
    telemetry.addMetricSource(source);
    source.observe([1, 0, 0, 0], 0.0005);
    await exporter.flush();
    await sink.waitFor((l) => l.some((x) => x.name.startsWith('joerl.test.latency.exact.count')), 'the exact count');
    expect(sink.lines.find((x) => x.name.startsWith('joerl.test.latency.exact.count'))?.raw).toBe(line);
    expect(sink.malformed).toEqual([]);
  });
});

describe('names', () => {
  it('are the catalog OpenTelemetry names, as statsdName() gives them', () => {
    expect(statsdName(metricDef('joerl_message_processing_duration_seconds'))).toBe('joerl.message.processing.duration');
    expect(statsdName(metricDef('joerl_actors_spawned_total'), 'myapp')).toBe('myapp.joerl.actors.spawned');
  });

  it('start with the prefix', async () => {
    const { system, exporter } = setup({ prefix: 'myapp' });
    await scriptedWorkload(system);
    await exporter.flush();
    await sink.waitFor((l) => l.length > 50, 'a flush');
    expect(sink.lines.filter((l) => !l.name.startsWith('myapp.joerl.')).map((l) => l.raw)).toEqual([]);
  });
});

describe('histograms', () => {
  /** LATENCY observations per bucket: (0, 1 ms], (1, 10 ms], (10, 100 ms], (100 ms, +Inf). */
  async function observed(perBucket: number[], sum: number, options: Partial<StatsdOptions> = {}) {
    const { telemetry, exporter } = setup(options);
    const source = fixedSource();
    telemetry.addMetricSource(source);
    source.observe(perBucket, sum);
    await exporter.flush();
    // The exact count follows the timings: once it is in, so are they.
    await sink.waitFor((l) => linesOf(l, 'joerl.test.latency.exact.count', 'c').length === 1, 'the exact count');
    return linesOf(sink.lines, 'joerl.test.latency', 'ms', { route: 'home' });
  }

  it('send one timing in ms per observation, spread inside its bucket', async () => {
    const timings = await observed([2, 3, 0, 1], 0.3);
    expect(timings.map((l) => l.value)).toEqual([0.25, 0.75, 2.5, 5.5, 8.5, 100]);
  });

  it('send exact count and sum counters beside the timings', async () => {
    await observed([2, 3, 0, 1], 0.3);
    expect(sumOf(sink.lines, 'joerl.test.latency.exact.count', { route: 'home' })).toBe(6);
    expect(sumOf(sink.lines, 'joerl.test.latency.exact.sum', { route: 'home' })).toBe(300);
  });

  it('send a proportional sample of maxTimingsPerHistogram values beyond it, with every non-empty bucket kept', async () => {
    const timings = await observed([100, 0, 0, 1], 1, { maxTimingsPerHistogram: 10 });
    expect(timings.map((l) => l.value)).toEqual([0.0556, 0.1667, 0.2778, 0.3889, 0.5, 0.6111, 0.7222, 0.8333, 0.9444, 100]);
    expect(sumOf(sink.lines, 'joerl.test.latency.exact.count', { route: 'home' })).toBe(101);
  });

  it('carry the sampleRate on timings only; counters and gauges are always sent whole', async () => {
    const timings = await observed([200, 0, 0, 0], 0.1, { sampleRate: 0.5 });
    expect(timings.every((l) => l.rate === 0.5)).toBe(true);
    expect(timings.length).toBeLessThan(200);
    expect(sink.lines.filter((l) => l.type !== 'ms' && l.rate !== 1).map((l) => l.raw)).toEqual([]);
    expect(sumOf(sink.lines, 'joerl.test.latency.exact.count', { route: 'home' })).toBe(200);
  });
});

describe('buffering', () => {
  it('packs lines into datagrams of at most maxBufferSize bytes (1432 by default)', async () => {
    const { system, exporter } = setup();
    await scriptedWorkload(system);
    await exporter.flush();
    await sink.waitFor((l) => l.some((x) => x.name === 'joerl.links.created'), 'a flush');
    await sink.waitFor((l) => l.some((x) => x.name === 'joerl.actor.lifetime.exact.count'), 'the last histogram');
    expect(Math.max(...sink.datagrams.map((d) => Buffer.byteLength(d)))).toBeLessThanOrEqual(1432);
    expect(sink.datagrams.length).toBeLessThan(sink.lines.length / 5);
  });

  it('sends one line per datagram with maxBufferSize: 0', async () => {
    const { system, exporter } = setup({ maxBufferSize: 0 });
    await sendTo(system, 'worker', 1);
    await exporter.flush();
    await sink.waitFor((l) => l.some((x) => x.name === 'joerl.registry.size'), 'the gauges');
    expect(sink.datagrams.every((d) => !d.includes('\n'))).toBe(true);
  });
});

describe('the interval', () => {
  it('flushes every intervalMs', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { system } = setup({ intervalMs: 5000 });
    await sendTo(system, 'worker', 2);
    vi.advanceTimersByTime(5000);
    await sink.waitFor((l) => sumOf(l, 'joerl.messages.sent', { type: 'worker' }) === 2, 'the first interval');
    await sendTo(system, 'worker', 3);
    vi.advanceTimersByTime(5000);
    await sink.waitFor((l) => sumOf(l, 'joerl.messages.sent', { type: 'worker' }) === 5, 'the second interval');
  });

  it('sends nothing before the first interval ends', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { system } = setup({ intervalMs: 5000, prefix: 'early' });
    await sendTo(system, 'worker', 2);
    vi.advanceTimersByTime(4999);
    // An explicit flush under another name marks the point in time: nothing came before it.
    const { exporter: marker } = setup({ prefix: 'marker' });
    await marker.flush();
    await sink.waitFor((l) => l.some((x) => x.name.startsWith('marker.')), 'the marker');
    expect(sink.lines.filter((l) => l.name.startsWith('early.'))).toEqual([]);
  });
});

describe('close()', () => {
  it('sends what changed since the last flush', async () => {
    const { system, exporter } = setup();
    await sendTo(system, 'late', 2);
    await exporter.close();
    await sink.waitFor((l) => sumOf(l, 'joerl.messages.sent', { type: 'late' }) === 2, 'the last flush');
  });

  it('closes a client the exporter created', async () => {
    const { exporter } = setup();
    const close = vi.spyOn(exporter.client, 'close');
    await exporter.close();
    expect(close).toHaveBeenCalledOnce();
  });

  it('leaves a client you passed open', async () => {
    const { telemetry, system } = instrumented();
    systems.push(system);
    const { StatsD } = await import('hot-shots');
    const client = new StatsD({ host: '127.0.0.1', port: sink.port });
    const close = vi.spyOn(client, 'close');
    await statsd({ telemetry, client }).close();
    expect(close).not.toHaveBeenCalled();
    client.increment('still.open', 1);
    await sink.waitFor((l) => l.some((x) => x.name === 'still.open'), 'a send on the client after close()');
    client.close();
  });

  it('makes later flushes send nothing', async () => {
    const { system, exporter } = setup({ prefix: 'closed' });
    await exporter.close();
    await sink.waitFor((l) => l.some((x) => x.name.startsWith('closed.')), 'the last flush');
    const before = sink.lines.length;
    await sendTo(system, 'after', 3);
    await exporter.flush();
    const { exporter: marker } = setup({ prefix: 'marker' });
    await marker.flush();
    await sink.waitFor((l) => l.some((x) => x.name.startsWith('marker.')), 'the marker');
    expect(sink.lines.slice(before).filter((l) => l.name.startsWith('closed.'))).toEqual([]);
  });
});

function sinkTags(raw: string | undefined): Record<string, string> {
  return { ...sink.lines.find((l) => l.raw === raw)?.tags };
}
