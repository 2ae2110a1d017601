/**
 * A trace agent that refuses payloads, is gone or hangs: joerl's actors do not notice, and the
 * lost payloads are counted. dd-trace patches the process, so this file runs in a process of its own.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startFakeAgent } from './fake-agent.js';
import { datadogEnvironment, deferred, freePort, within } from './helpers.js';

const agent = await startFakeAgent();
agent.traceStatus = 503;
datadogEnvironment(agent, { DD_TRACE_FLUSH_INTERVAL: '20' });
const { default: tracer } = await import('dd-trace');
tracer.init({ plugins: false });

const { ActorSystem } = await import('@joerl/core');
const { createTelemetry } = await import('@joerl/telemetry');
const { datadog, datadogTracing } = await import('../src/index.js');

const telemetry = createTelemetry({ tracing: datadogTracing(tracer), eventLoop: false, logger: null });
const system = new ActorSystem({ instrumentation: telemetry, logger: null });
const exporter = datadog({ telemetry, tracer, intervalMs: 60_000, logger: null });
const exportErrors = () => telemetry.value('joerl_telemetry_export_errors_total', { backend: 'datadog' });

afterAll(async () => {
  await system.shutdown();
  await exporter.shutdown();
  await agent.close();
});

/** Sends `count` messages, each from inside a dd-trace span, to a fresh actor of `type`; resolves once handled. */
async function tracedMessages(count: number, type: string): Promise<void> {
  const worker = system.spawn<number>(() => {}, { type });
  for (let i = 0; i < count; i++) tracer.trace('web.request', () => worker.send(i));
  await system.idle();
}

describe('a trace agent that is down', () => {
  it('answering 503: each span payload it turns away is counted once, and messages are handled as usual', async () => {
    const counted = deferred();
    const spy = vi.spyOn(telemetry, 'exportFailed').mockImplementation(function (this: typeof telemetry, backend: string) {
      spy.mockRestore();
      telemetry.exportFailed(backend);
      counted.resolve();
    });
    await tracedMessages(20, 'refused');
    expect(telemetry.value('joerl_messages_processed_total', { type: 'refused' })).toBe(20);
    await within(counted.promise, 10_000, 'a refused span payload to be counted');
    const refused = agent.requests.filter((r) => r === 'PUT /v0.4/traces').length;
    expect(exportErrors()).toBeGreaterThanOrEqual(1);
    expect(exportErrors()).toBeLessThanOrEqual(refused);
  });

  it('refusing connections: traced messages are handled without waiting for it', async () => {
    tracer.setUrl(`http://127.0.0.1:${await freePort()}`);
    await within(tracedMessages(500, 'unreachable'), 3000, '500 traced messages with the agent gone');
    expect(telemetry.value('joerl_messages_processed_total', { type: 'unreachable' })).toBe(500);
  });

  it('hanging: traced messages are handled without waiting for it', async () => {
    agent.traceStatus = 0;
    tracer.setUrl(agent.url);
    await within(tracedMessages(500, 'stalled'), 3000, '500 traced messages with the agent hanging');
    expect(telemetry.value('joerl_messages_processed_total', { type: 'stalled' })).toBe(500);
  });
});
