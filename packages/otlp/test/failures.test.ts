import type { ActorRef, ActorSystem } from '@joerl/core';
import { describe, expect, it, vi } from 'vitest';
import { type OtlpOptions, startOtlp } from '../src/index.js';
import { freePort, QUIET, quietSystem, type Receiver, useReceiver } from './helpers.js';

let receiver: Receiver;
const after = useReceiver(
  (r) => (receiver = r),
  () => {
    receiver.answer({ kind: 'ok' });
    receiver.release();
    vi.restoreAllMocks();
  },
);

async function setup(options: OtlpOptions) {
  const otlp = await startOtlp({ telemetry: { ...QUIET, sampling: { spans: 1 } }, ...options });
  after.defer(() => otlp.shutdown());
  const system = quietSystem({ instrumentation: otlp.telemetry });
  after.defer(() => system.shutdown());
  return { otlp, system, telemetry: otlp.telemetry };
}

/** Three actors in a row; resolves once `count` messages have gone through all of them. */
async function relay(system: ActorSystem, count: number): Promise<number> {
  let handled = 0;
  let b: ActorRef<number>;
  let c: ActorRef<number>;
  const a = system.spawn<number>((n, ctx) => void ctx.send(b, n), { type: 'relay_a' });
  b = system.spawn<number>((n, ctx) => void ctx.send(c, n), { type: 'relay_b' });
  c = system.spawn<number>(() => {
    handled++;
  }, { type: 'relay_c' });
  for (let i = 0; i < count; i++) a.send(i);
  await system.idle();
  return handled;
}

const exportErrors = (s: { telemetry: { value(name: string, labels: Record<string, string>): number } }) =>
  s.telemetry.value('joerl_telemetry_export_errors_total', { backend: 'otlp' });

describe('a collector that is down or slow costs the actor system nothing', () => {
  it('with nothing listening, actors keep working, exports fail quietly, and each failed export is counted once', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const logged = [vi.spyOn(console, 'error'), vi.spyOn(console, 'warn'), vi.spyOn(console, 'log')];
    const s = await setup({ endpoint: closed, timeoutMs: 500 });

    expect(await relay(s.system, 100)).toBe(100);
    expect(await s.otlp.forceFlush()).toBe(false);

    expect(exportErrors(s)).toBe(2); // one metrics export, one batch of 300 spans
    for (const spy of logged) expect(spy).not.toHaveBeenCalled();
  });

  it('a collector answering 503 is retried a bounded number of times, then counted as one failure', async () => {
    receiver.answer({ kind: 'status', status: 503, headers: { 'retry-after': '0' } });
    const s = await setup({ endpoint: receiver.url, traces: false });

    expect(await s.otlp.forceFlush()).toBe(false);

    expect(receiver.requests.length).toBeGreaterThanOrEqual(2);
    expect(receiver.requests.length).toBeLessThanOrEqual(6);
    expect(exportErrors(s)).toBe(1);
  });

  it('a collector refusing the data (400) is not retried, and the failure is counted', async () => {
    receiver.answer({ kind: 'status', status: 400 });
    const s = await setup({ endpoint: receiver.url, traces: false });

    expect(await s.otlp.forceFlush()).toBe(false);

    expect(receiver.requests).toHaveLength(1);
    expect(exportErrors(s)).toBe(1);
  });

  it('while a slow collector holds both exports, actors keep handling messages in traced spans', async () => {
    receiver.answer({ kind: 'hold' });
    const s = await setup({ endpoint: receiver.url });
    await relay(s.system, 1); // one span to export
    const flushed = s.otlp.forceFlush();
    await receiver.waitForRequests(2);

    // 3000 more spans: the span processor starts more exports (held too) and drops what exceeds its queue.
    expect(await relay(s.system, 1000)).toBe(1000);
    expect(receiver.held).toBeGreaterThanOrEqual(2);

    receiver.answer({ kind: 'ok' });
    receiver.release();
    expect(await flushed).toBe(true);
    expect(exportErrors(s)).toBe(0);
  });

  it('a collector that never answers costs one counted failure per export, after timeoutMs', async () => {
    receiver.answer({ kind: 'hold' });
    const s = await setup({ endpoint: receiver.url, traces: false, timeoutMs: 300 });
    const started = performance.now();

    expect(await s.otlp.forceFlush()).toBe(false);

    expect(performance.now() - started).toBeLessThan(3000);
    expect(exportErrors(s)).toBe(1);
  });

  it('shutdown with the collector down resolves, and counts the last export that failed', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const s = await setup({ endpoint: closed, timeoutMs: 500, traces: false });

    await expect(s.otlp.shutdown()).resolves.toBeUndefined();

    expect(exportErrors(s)).toBe(1);
  });
});
