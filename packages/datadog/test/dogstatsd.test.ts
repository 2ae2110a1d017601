/**
 * The DogStatsD side: what the exporter sends and when, and what a DogStatsD that is down, broken
 * or stalled costs the actor system (nothing: counted failures, never an exception).
 */
import { createSocket } from 'node:dgram';
import { Writable } from 'node:stream';
import { ActorSystem, InvalidConfigError, type Logger } from '@joerl/core';
import { createTelemetry, type Telemetry } from '@joerl/telemetry';
import { StatsD } from 'hot-shots';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createDogStatsD } from '../src/dogstatsd-client.js';
import { datadog, type DatadogOptions, ExportTimeoutError } from '../src/index.js';
import { startFakeAgent } from './fake-agent.js';
import { namedNode } from '@joerl/test-utils';
import { agentTotal, handleMessages, lastGauge, noTracer, tagsOf, within } from './helpers.js';

const agent = await startFakeAgent();
const clients: StatsD[] = [];
afterAll(async () => {
  // In-memory streams hold no socket; a stalled one would never confirm its close.
  for (const c of clients) c.close();
  await agent.close();
});

function setup(options: Partial<DatadogOptions> = {}, telemetryOptions: Parameters<typeof createTelemetry>[0] = {}) {
  const telemetry = createTelemetry({ eventLoop: false, logger: null, ...telemetryOptions });
  const system = new ActorSystem({ instrumentation: telemetry, logger: null });
  const port = options.statsd === undefined ? { dogstatsd: { hostname: '127.0.0.1', port: agent.statsdPort } } : {};
  const exporter = datadog({ telemetry, tracer: noTracer, traces: false, intervalMs: 60_000, logger: null, ...port, ...options });
  return { telemetry, system, exporter };
}

/** A hot-shots client of the user's, writing to a stream (an agent over a socket, in effect). */
function streamClient(write: (callback: (error?: Error | null) => void) => void, maxBufferSize = 0): StatsD {
  const stream = new Writable({ write: (_chunk, _encoding, callback) => write(callback) });
  const client = new StatsD({ protocol: 'stream', stream, maxBufferSize, errorHandler: () => {} });
  clients.push(client);
  return client;
}

const exportErrors = (telemetry: Telemetry) => telemetry.value('joerl_telemetry_export_errors_total', { backend: 'datadog' });

describe('what reaches DogStatsD', () => {
  it('every metric of a node of a cluster carries a node tag', async () => {
    const { system, exporter } = setup();
    system.setDistribution(namedNode('orders-1'));
    await handleMessages(system, 3, 'noded');
    expect((await exporter.flush()).kind).toBe('sent');
    const lines = await agent.waitForLines((l) => agentTotal(l, 'joerl.messages.processed', { actor_type: 'noded' }) >= 3, 'the noded messages');
    const own = lines.filter((l) => tagsOf(l).actor_type === 'noded');
    expect(own.length).toBeGreaterThan(3);
    expect(own.filter((l) => tagsOf(l).node !== 'orders-1')).toEqual([]);
    system.setDistribution(null);
    await system.shutdown();
  });

  it('histograms arrive as one distribution value per non-empty bucket, weighted by a sample rate so the agent counts every observation', async () => {
    const { telemetry, system, exporter } = setup({}, { sampling: { timing: 1 } });
    await handleMessages(system, 50, 'weighted');
    expect((await exporter.flush()).kind).toBe('sent');
    const observed = telemetry.value('joerl_message_processing_duration_seconds', { type: 'weighted' });
    const lines = await agent.waitForLines((l) => agentTotal(l, 'joerl.message.processing.duration', { actor_type: 'weighted' }) >= observed, 'the processing distribution');
    const values = lines.filter((l) => l.name === 'joerl.message.processing.duration' && tagsOf(l).actor_type === 'weighted');
    expect(observed).toBe(50);
    expect(values.every((l) => l.type === 'd')).toBe(true);
    expect(values.length).toBeLessThan(50);
    expect(values.some((l) => l.rate < 1)).toBe(true);
    expect(agentTotal(lines, 'joerl.message.processing.duration', { actor_type: 'weighted' })).toBe(50);
    await system.shutdown();
  });

  it("histogramType: 'histogram' sends DogStatsD histogram values instead", async () => {
    const { system, exporter } = setup({ histogramType: 'histogram' }, { sampling: { timing: 1 } });
    await handleMessages(system, 5, 'as_histogram');
    await exporter.flush();
    const lines = await agent.waitForLines((l) => agentTotal(l, 'joerl.message.queue.wait', { actor_type: 'as_histogram' }) >= 5, 'the queue-wait histogram');
    expect(lines.filter((l) => l.name === 'joerl.message.queue.wait' && tagsOf(l).actor_type === 'as_histogram').every((l) => l.type === 'h')).toBe(true);
    await system.shutdown();
  });

  it('the env, service, version and tags options tag every metric', async () => {
    const { system, exporter } = setup({ env: 'prod', service: 'checkout', version: '2.0.0', tags: { team: 'payments' } });
    await handleMessages(system, 3, 'tagged');
    await exporter.flush();
    const lines = await agent.waitForLines((l) => agentTotal(l, 'joerl.messages.processed', { actor_type: 'tagged' }) >= 3, 'the tagged counter');
    const line = lines.find((l) => l.name === 'joerl.messages.processed' && tagsOf(l).actor_type === 'tagged')!;
    expect(tagsOf(line)).toMatchObject({ env: 'prod', service: 'checkout', version: '2.0.0', team: 'payments', actor_type: 'tagged' });
    await system.shutdown();
  });

  it('metrics go out every intervalMs without being asked', async () => {
    const { system } = setup({ intervalMs: 25 });
    await handleMessages(system, 4, 'interval');
    const lines = await agent.waitForLines((l) => agentTotal(l, 'joerl.messages.processed', { actor_type: 'interval' }) >= 4, 'an interval export');
    expect(agentTotal(lines, 'joerl.messages.processed', { actor_type: 'interval' })).toBe(4);
    await system.shutdown();
  });

  it("the actor system's shutdown sends a last batch, and later flushes are skipped", async () => {
    const { system, exporter } = setup();
    await handleMessages(system, 2, 'last_batch');
    await system.shutdown();
    const lines = await agent.waitForLines((l) => lastGauge(l, 'joerl.actors.active', { actor_type: 'last_batch' }) === 0, 'the last batch');
    expect(agentTotal(lines, 'joerl.actors.stopped', { actor_type: 'last_batch', reason: 'shutdown' })).toBe(1);
    await exporter.shutdown();
    expect(await exporter.flush()).toEqual({ kind: 'skipped', reason: 'shut_down' });
  });
});

describe('a DogStatsD that is down costs the actor system nothing', () => {
  it('with nothing listening on the UDP port, exports resolve and messages are handled as usual', async () => {
    const closed = createSocket('udp4');
    await new Promise<void>((resolve) => closed.bind(0, '127.0.0.1', () => resolve()));
    const port = closed.address().port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { telemetry, system, exporter } = setup({ dogstatsd: { hostname: '127.0.0.1', port } });
    for (let round = 0; round < 3; round++) {
      await handleMessages(system, 100, 'unheard');
      expect((await exporter.flush()).kind).toBe('sent');
    }
    expect(telemetry.value('joerl_messages_processed_total', { type: 'unheard' })).toBe(300);
    await system.shutdown();
    await exporter.shutdown();
  });

  it('a client that fails to send: each export resolves as failed and is counted once, however many lines failed, and the next one tries again', async () => {
    const statsd = streamClient((callback) => callback(new Error('connection refused')));
    const { telemetry, system, exporter } = setup({ statsd });
    await handleMessages(system, 10, 'refused');
    const first = await exporter.flush();
    expect(first.kind).toBe('failed');
    expect(exportErrors(telemetry)).toBe(1);
    await handleMessages(system, 10, 'refused');
    const second = await exporter.flush();
    expect(second).toMatchObject({ kind: 'failed', lines: expect.any(Number) });
    expect(second.kind === 'failed' && second.lines).toBeGreaterThan(0);
    expect(exportErrors(telemetry)).toBe(2);
    expect(telemetry.value('joerl_messages_processed_total', { type: 'refused' })).toBe(20);
    await system.shutdown();
  });

  it('a stalled client: the export fails with ExportTimeoutError after timeoutMs, and an export meanwhile is skipped rather than queued', async () => {
    const statsd = streamClient(() => {}, 1024);
    const { telemetry, system, exporter } = setup({ statsd, timeoutMs: 100 });
    const stalled = exporter.flush();
    expect(await exporter.flush()).toEqual({ kind: 'skipped', reason: 'in_flight' });
    // Messages are handled while the export hangs.
    await within(handleMessages(system, 200, 'meanwhile'), 2000, 'messages handled during a stalled export');
    const result = await within(stalled, 5000, 'the stalled export to time out');
    expect(result.kind).toBe('failed');
    expect(result.kind === 'failed' && result.error).toBeInstanceOf(ExportTimeoutError);
    expect(exportErrors(telemetry)).toBe(1);
    await system.shutdown();
  });

  it('the first failure is reported once through the logger; later ones are only counted', async () => {
    const warn = vi.fn();
    const logger: Logger = { warn, error: vi.fn() };
    const statsd = streamClient((callback) => callback(new Error('broken pipe')));
    const { telemetry, system, exporter } = setup({ statsd, logger });
    for (let i = 0; i < 3; i++) await exporter.flush();
    expect(exportErrors(telemetry)).toBe(3);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/joerl_telemetry_export_errors_total/);
    await system.shutdown();
  });
});

describe('set-up mistakes are caught at once', () => {
  const telemetry = () => createTelemetry({ eventLoop: false, logger: null });

  it.each([
    ['no telemetry', { tracer: noTracer }],
    ['not a dd-trace tracer', { telemetry: telemetry(), tracer: {} }],
    ['a non-positive interval', { telemetry: telemetry(), tracer: noTracer, intervalMs: 0 }],
    ['statsd and dogstatsd together', { telemetry: telemetry(), tracer: noTracer, statsd: new StatsD({ mock: true }), dogstatsd: { port: 8125 } }],
    ['a histogram type DogStatsD lacks', { telemetry: telemetry(), tracer: noTracer, histogramType: 'timing' }],
  ])('%s throws InvalidConfigError', (_what, options) => {
    expect(() => datadog({ logger: null, traces: false, ...options } as unknown as DatadogOptions)).toThrow(InvalidConfigError);
  });

  it('a second exporter for the same telemetry throws, and the first keeps working', async () => {
    const { telemetry, system, exporter } = setup();
    expect(() => datadog({ telemetry, tracer: noTracer, traces: false, logger: null, dogstatsd: { port: agent.statsdPort } })).toThrow(InvalidConfigError);
    expect((await exporter.flush()).kind).toBe('sent');
    await system.shutdown();
  });

  it('the DogStatsD address is found as dd-trace finds it: the option, DD_DOGSTATSD_HOST, DD_AGENT_HOST, then 127.0.0.1:8125', async () => {
    const address = (dogstatsd: Parameters<typeof createDogStatsD>[0], environment: Record<string, string>) => {
      const client = createDogStatsD(dogstatsd, [], () => {}, environment);
      clients.push(client);
      const { host, port } = client as unknown as { host: string; port: number };
      return `${host}:${port}`;
    };
    expect(address({}, {})).toBe('127.0.0.1:8125');
    expect(address({}, { DD_AGENT_HOST: 'agent', DD_DOGSTATSD_PORT: '9125' })).toBe('agent:9125');
    expect(address({}, { DD_AGENT_HOST: 'agent', DD_DOGSTATSD_HOST: 'statsd' })).toBe('statsd:8125');
    expect(address({ hostname: '127.0.0.1', port: 7125 }, { DD_DOGSTATSD_HOST: 'statsd', DD_DOGSTATSD_PORT: '9125' })).toBe('127.0.0.1:7125');
  });

  it('a bad DD_DOGSTATSD_PORT names the variable', () => {
    vi.stubEnv('DD_DOGSTATSD_PORT', 'eighty');
    try {
      expect(() => datadog({ telemetry: telemetry(), tracer: noTracer, traces: false, logger: null })).toThrow(/DD_DOGSTATSD_PORT/);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('without datadogTracing(tracer), datadog() warns that spans will not reach APM', async () => {
    const warn = vi.fn();
    const t = telemetry();
    const exporter = datadog({ telemetry: t, tracer: noTracer, logger: { warn, error: vi.fn() }, dogstatsd: { port: agent.statsdPort } });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/datadogTracing\(tracer\)/));
    await exporter.shutdown();
  });
});
