import { type ActorRef, ActorSystem, InvalidConfigError } from '@joerl/core';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createTelemetry, DEFAULT_MAX_HOPS, type TracingOptions } from '../src/index.js';
import { deferred, hostileValue } from './helpers.js';
import { useOtel } from './otel.js';

const otel = useOtel();

/** An actor that sends itself its next message until it has handled `messages`; the first comes from outside any trace. */
async function selfSendingLoop(spans: number, messages: number, tracing: TracingOptions = {}): Promise<void> {
  const telemetry = createTelemetry({ tracing: { tracer: otel.tracer, ...tracing }, sampling: { spans }, eventLoop: false, logger: null });
  const system = new ActorSystem({ instrumentation: telemetry, logger: null });
  const done = deferred();
  const loop: ActorRef<number> = system.spawn<number>((n, ctx) => {
    if (n === messages) done.resolve();
    else ctx.send(loop, n + 1);
  }, { type: 'loop' });
  loop.send(1);
  await done.promise;
  await system.idle();
}

describe('trace sampling bounds its cost', () => {
  it('a self-sending loop sampled at 1% with traces of at most 10 hops traces exactly 1% of its messages', async () => {
    // The sampler picks every 100th send. The 100th starts a trace of 10 hops; its 9 further spans
    // are paid for by the next 9 picks (sends 200..1000), so the next trace starts at send 1100:
    // 10 traced messages in every 1000, 100 in 10,000.
    await selfSendingLoop(0.01, 10_000, { maxHops: 10 });
    const spans = otel.named('process loop');
    expect(spans).toHaveLength(100);
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(10);
    expect(spans.filter((s) => s.attributes['joerl.trace.truncated'] === true)).toHaveLength(10);
  });

  it('with the default hop limit, the same loop over 100,000 messages traces 1,024 (1.02%)', async () => {
    // Traces of 64 hops; each costs 64 picks of the sampler (6,400 sends), so traces start at
    // sends 100, 6,500, ..., 96,100: 16 traces of 64 spans.
    expect(DEFAULT_MAX_HOPS).toBe(64);
    await selfSendingLoop(0.01, 100_000);
    const spans = otel.named('process loop');
    expect(spans).toHaveLength(1024);
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(16);
  });

  it('a trace ends after maxHops hops, each hop the child of the one before', async () => {
    const telemetry = createTelemetry({ tracing: { tracer: otel.tracer, maxHops: 3 }, eventLoop: false, logger: null });
    const system = new ActorSystem({ instrumentation: telemetry, logger: null });
    const done = deferred();
    const loop: ActorRef<number> = system.spawn<number>((n, ctx) => {
      if (n === 5) done.resolve();
      else ctx.send(loop, n + 1);
    }, { type: 'hop' });
    otel.tracer.startActiveSpan('request', (root) => {
      loop.send(1);
      root.end();
    });
    await done.promise;
    await system.idle();
    const hops = otel.named('process hop');
    expect(hops).toHaveLength(3);
    const chain = [otel.named('request')[0], ...hops];
    for (let i = 1; i < chain.length; i++) expect(chain[i]?.parentSpanContext?.spanId).toBe(chain[i - 1]?.spanContext().spanId);
    expect(hops.map((s) => s.attributes['joerl.trace.truncated'])).toEqual([undefined, undefined, true]);
  });

  test.prop([fc.oneof(fc.integer({ max: 0 }), fc.double().filter((x) => !Number.isInteger(x)), fc.string(), fc.constant(null))])(
    'a hop limit that is not a positive integer is refused, naming the setting',
    (maxHops) => {
      expect(() => createTelemetry({ tracing: { maxHops: maxHops as number } })).toThrow(/tracing\.maxHops/);
    },
  );

  test.prop([hostileValue])('a hostile hop limit is refused with InvalidConfigError, never anything else', (box) => {
    const maxHops = box.make();
    fc.pre(maxHops !== undefined && !(Number.isInteger(maxHops) && (maxHops as number) >= 1)); // undefined: the default
    expect(() => createTelemetry({ tracing: { maxHops: maxHops as number } })).toThrow(InvalidConfigError);
  });
});
