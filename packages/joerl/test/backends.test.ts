import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { within } from '@joerl/test-utils';
import { type App, start } from '../src/index.js';

const apps: App[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.shutdown();
});
const quiet = { logger: null, system: { logger: null }, telemetry: { eventLoop: false as const }, health: false as const };

describe('backends through start()', () => {
  it('otlp: telemetry is created by startOtlp with tracing on, and a collector that is down costs nothing', async () => {
    const app = await start({ ...quiet, env: { JOERL_TELEMETRY: 'otlp' }, otlp: { endpoint: 'http://127.0.0.1:9', exportIntervalMs: 60_000, timeoutMs: 200 } });
    apps.push(app);
    expect(app.telemetry.tracingEnabled).toBe(true);
    const ref = app.system.spawn<number>(() => {}, { type: 'w' });
    for (let i = 0; i < 100; i++) ref.send(i);
    await app.system.idle();
    expect(app.telemetry.value('joerl_messages_processed_total', { type: 'w' })).toBe(100);
  });

  it('statsd: metrics reach a StatsD server as the system shuts down', async () => {
    const sink = createSocket('udp4');
    const lines: string[] = [];
    sink.on('message', (m) => lines.push(...String(m).split('\n')));
    await new Promise<void>((r) => sink.bind(0, '127.0.0.1', r));
    const port = sink.address().port;
    try {
      const app = await start({ ...quiet, env: { JOERL_TELEMETRY: 'statsd' }, statsd: { host: '127.0.0.1', port, intervalMs: 60_000 } });
      const ref = app.system.spawn<number>(() => {}, { type: 'sent_by_start' });
      ref.send(1);
      await app.system.idle();
      await app.shutdown();
      await within(
        new Promise<void>((resolve) => {
          const check = () => (lines.some((l) => l.startsWith('joerl.messages.sent:1|c') && l.includes('type:sent_by_start')) ? resolve() : setImmediate(check));
          check();
        }),
        5000,
        'the final statsd flush',
      );
    } finally {
      sink.close();
    }
  });

  it('datadog: traces go to dd-trace (initialised from DD_* when no tracer is given) and metrics to its exporter', async () => {
    const calls: string[] = [];
    const fakeTracer = { fake: true };
    const importer = async (m: string): Promise<unknown> => {
      if (m === 'dd-trace') return { default: { init: (o: { service: string }) => (calls.push(`init ${o.service}`), fakeTracer) } };
      if (m === '@joerl/datadog') {
        return {
          datadogTracing: (tracer: unknown, o: { service: string }) => (calls.push(`tracing ${tracer === fakeTracer} ${o.service}`), true),
          datadog: (o: { tracer: unknown; service: string; telemetry: { tracingEnabled: boolean } }) => {
            calls.push(`exporter ${o.tracer === fakeTracer} ${o.service} tracing=${o.telemetry.tracingEnabled}`);
            return { shutdown: () => void calls.push('exporter shutdown') };
          },
        };
      }
      return import(m);
    };
    const app = await start({ ...quiet, service: 'shop', env: { JOERL_TELEMETRY: 'datadog' }, importer });
    await app.shutdown();
    expect(calls).toEqual(['init shop', 'tracing true shop', 'exporter true shop tracing=true', 'exporter shutdown']);
  });
});
