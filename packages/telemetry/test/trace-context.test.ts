import { type ActorRef, ActorSystem } from '@joerl/core';
import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createTelemetry } from '../src/index.js';
import { deferred } from './helpers.js';
import { useOtel } from './otel.js';

const otel = useOtel();

function traced() {
  const telemetry = createTelemetry({ tracing: { tracer: otel.tracer }, eventLoop: false, logger: null });
  return new ActorSystem({ instrumentation: telemetry, logger: null });
}

describe('trace context belongs to each message', () => {
  it('a traced send and an untraced send in one tick: the untraced message has no span, sees none active, and nothing downstream of it has one', async () => {
    const system = traced();
    let activeInUntraced: unknown = 'not run';
    const downstream = system.spawn<string>(() => {}, { type: 'downstream' });
    const untraced = system.spawn<string>((m, ctx) => {
      activeInUntraced = trace.getActiveSpan();
      ctx.send(downstream, m);
    }, { type: 'untraced' });
    const next = system.spawn<string>(() => {}, { type: 'next' });
    const tracedActor = system.spawn<string>((m, ctx) => void ctx.send(next, m), { type: 'traced' });
    otel.tracer.startActiveSpan('request', (root) => {
      tracedActor.send('in a trace');
      root.end();
    });
    untraced.send('outside any trace');
    await system.idle();
    expect(activeInUntraced).toBeUndefined();
    expect(otel.spans().map((s) => s.name).sort()).toEqual(['process next', 'process traced', 'request']);
  });

  it('an async handler of an untraced message, resumed while a traced one awaits, sends nothing on', async () => {
    const system = traced();
    const gate = deferred();
    const done = deferred();
    const downstream = system.spawn<string>(() => done.resolve(), { type: 'downstream' });
    const waiting = system.spawn<string>(async (m, ctx) => {
      await gate.promise;
      ctx.send(downstream, m);
    }, { type: 'waiting' });
    const tracedActor = system.spawn<string>(async () => {
      await Promise.resolve();
      gate.resolve();
    }, { type: 'traced' });
    // The traced send comes first: the batch is queued inside its span.
    otel.tracer.startActiveSpan('request', (root) => {
      tracedActor.send('traced');
      root.end();
    });
    waiting.send('untraced');
    await done.promise;
    await system.idle();
    expect(otel.spans().map((s) => s.name).sort()).toEqual(['process traced', 'request']);
  });

  it('one actor handling a traced and an untraced message in one turn carries on only the traced one', async () => {
    const system = traced();
    const sink = system.spawn<string>(() => {}, { type: 'sink' });
    const relay = system.spawn<string>((m, ctx) => void ctx.send(sink, m), { type: 'relay' });
    otel.tracer.startActiveSpan('request', (root) => {
      relay.send('traced');
      root.end();
    });
    relay.send('untraced');
    relay.send('untraced too');
    await system.idle();
    const sinkSpans = otel.named('process sink');
    expect(sinkSpans).toHaveLength(1);
    expect(sinkSpans[0]?.parentSpanContext?.spanId).toBe(otel.named('process relay')[0]?.spanContext().spanId);
    expect(otel.named('process relay')).toHaveLength(1);
  });

  it('an async traced handler carries its trace on after an await', async () => {
    const system = traced();
    const done = deferred();
    const sink = system.spawn<string>(() => done.resolve(), { type: 'sink' });
    const worker = system.spawn<string>(async (m, ctx) => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      ctx.send(sink, m);
    }, { type: 'worker' });
    otel.tracer.startActiveSpan('request', (root) => {
      worker.send('job');
      root.end();
    });
    await done.promise;
    await system.idle();
    const [workerSpan] = otel.named('process worker');
    const [sinkSpan] = otel.named('process sink');
    expect(sinkSpan?.parentSpanContext?.spanId).toBe(workerSpan?.spanContext().spanId);
    expect(sinkSpan?.spanContext().traceId).toBe(otel.named('request')[0]?.spanContext().traceId);
  });
});

describe('tracing costs no context lookup where nothing can be propagated', () => {
  it('1000 round trips between actors outside any trace look the context up once: for the one send from outside', async () => {
    const system = traced();
    const done = deferred();
    let trips = 0;
    let pong: ActorRef<ActorRef<string>>;
    const ping = system.spawn<string>((_, ctx) => {
      if (++trips === 1000) done.resolve();
      else ctx.send(pong, ctx.ref);
    }, { type: 'ping' });
    pong = system.spawn<ActorRef<string>>((from, ctx) => void ctx.send(from, 'pong'), { type: 'pong' });
    otel.contextManager.lookups = 0;
    pong.send(ping);
    await done.promise;
    await system.idle();
    expect(otel.contextManager.lookups).toBe(1);
    expect(otel.spans()).toHaveLength(0);
  });

  it('while a traced handler awaits, other actors still send without a lookup', async () => {
    const system = traced();
    const gate = deferred();
    const slow = system.spawn<string>(async () => {
      await gate.promise;
    }, { type: 'slow' });
    otel.tracer.startActiveSpan('request', (root) => {
      slow.send('traced');
      root.end();
    });
    await system.idle(); // slow now awaits inside its span
    const done = deferred();
    let trips = 0;
    let pong: ActorRef<ActorRef<string>>;
    const ping = system.spawn<string>((_, ctx) => {
      if (++trips === 100) done.resolve();
      else ctx.send(pong, ctx.ref);
    }, { type: 'ping' });
    pong = system.spawn<ActorRef<string>>((from, ctx) => void ctx.send(from, 'pong'), { type: 'pong' });
    otel.contextManager.lookups = 0;
    pong.send(ping);
    await done.promise;
    expect(otel.contextManager.lookups).toBe(1);
    gate.resolve();
    await system.idle();
    expect(otel.spans().map((s) => s.name).sort()).toEqual(['process slow', 'request']);
  });

  it('inside a trace, every hop is traced without looking the context up', async () => {
    const system = traced();
    const done = deferred();
    let hops = 0;
    const loop: ActorRef<number> = system.spawn<number>((n, ctx) => {
      hops++;
      if (n === 1) done.resolve();
      else ctx.send(loop, n - 1);
    }, { type: 'countdown' });
    otel.tracer.startActiveSpan('request', (root) => {
      otel.contextManager.lookups = 0;
      loop.send(10);
      root.end();
    });
    await done.promise;
    await system.idle();
    expect(hops).toBe(10);
    expect(otel.named('process countdown')).toHaveLength(10);
    expect(otel.contextManager.lookups).toBe(1);
  });
});
