import { ActorSystem, type ActorRef } from '@joerl/core';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Call, GenServer, type GenServerDefinition } from '@joerl/gen';
import { createTelemetry } from '../src/index.js';
import { deferred } from './helpers.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('test');
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  contextManager.disable();
  context.disable();
});

function traced(spans = 0) {
  exporter.reset();
  const telemetry = createTelemetry({ tracing: { tracer }, sampling: { spans }, eventLoop: false, logger: null });
  return new ActorSystem({ instrumentation: telemetry, logger: null });
}

describe('tracing', () => {
  it('a trace follows a request across three actor hops, each handled in a child span', async () => {
    const system = traced();
    const done = deferred();
    let b: ActorRef<string>;
    let c: ActorRef<string>;
    const a = system.spawn<string>((m, ctx) => void ctx.send(b, `${m}>a`), { type: 'hop-a' });
    b = system.spawn<string>((m, ctx) => void ctx.send(c, `${m}>b`), { type: 'hop-b' });
    let activeAfterAwait = false;
    c = system.spawn<string>(async () => {
      await Promise.resolve(); // an async handler keeps its span active across awaits
      activeAfterAwait = trace.getActiveSpan() !== undefined;
      done.resolve();
    }, { type: 'hop-c' });
    tracer.startActiveSpan('request', (root) => {
      a.send('req');
      root.end();
    });
    await done.promise;
    await system.idle();
    expect(activeAfterAwait).toBe(true);
    const spans = exporter.getFinishedSpans();
    const byName = new Map(spans.map((s) => [s.name, s]));
    const root = byName.get('request')!;
    const [sa, sb, sc] = ['process hop-a', 'process hop-b', 'process hop-c'].map((n) => byName.get(n)!);
    expect([sa, sb, sc].every((s) => s !== undefined)).toBe(true);
    const traceId = root.spanContext().traceId;
    expect(new Set([sa, sb, sc].map((s) => s!.spanContext().traceId))).toEqual(new Set([traceId]));
    expect(sa!.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(sb!.parentSpanContext?.spanId).toBe(sa!.spanContext().spanId);
    expect(sc!.parentSpanContext?.spanId).toBe(sb!.spanContext().spanId);
    expect(sc!.attributes).toMatchObject({ 'messaging.system': 'joerl', 'messaging.destination.name': 'hop-c', 'joerl.actor.type': 'hop-c' });
  });

  it('records a crash on the span of the message that caused it, and spawns as span events', async () => {
    const system = traced();
    const crasher = system.spawn<string>((m, ctx) => {
      ctx.spawn(() => {}, { type: 'spawned-child' });
      throw new Error(m);
    }, { type: 'crasher' });
    const exited = system.join(crasher);
    tracer.startActiveSpan('request', (root) => {
      crasher.send('kaboom');
      root.end();
    });
    await exited;
    const span = exporter.getFinishedSpans().find((s) => s.name === 'process crasher')!;
    expect(span.status.code).toBe(2); // ERROR
    expect(span.events.map((e) => e.name)).toEqual(['joerl.actor.spawned', 'exception', 'joerl.actor.crashed']);
  });

  it('sends outside any trace start none, unless span sampling says so', async () => {
    const quiet = traced(0);
    const q = quiet.spawn<number>(() => {}, { type: 'untraced' });
    q.send(1);
    await quiet.idle();
    expect(exporter.getFinishedSpans()).toHaveLength(0);

    const sampled = traced(0.5);
    const s = sampled.spawn<number>(() => {}, { type: 'sampled' });
    for (let i = 0; i < 10; i++) s.send(i);
    await sampled.idle();
    expect(exporter.getFinishedSpans().filter((x) => x.name === 'process sampled')).toHaveLength(5);
  });

  it('a traceparent survives three actor hops and a GenServer call: client span at the caller, server span in the handler', async () => {
    const system = traced();
    const inventory: GenServerDefinition<number, null, Call<{ kind: 'reserve' }, number>> = {
      type: 'inventory',
      init: () => GenServer.ok(10),
      handleCall: (_req, _from, stock) => GenServer.reply(stock - 1, stock - 1),
    };
    const inv = await GenServer.start(system, inventory, null);
    const done = deferred<number>();
    let b: ActorRef<string>;
    let c: ActorRef<string>;
    const a = system.spawn<string>((m, ctx) => void ctx.send(b, m), { type: 'front' });
    b = system.spawn<string>((m, ctx) => void ctx.send(c, m), { type: 'router' });
    c = system.spawn<string>(async () => {
      done.resolve(await inv.call({ kind: 'reserve' }));
    }, { type: 'order' });
    tracer.startActiveSpan('http request', (root) => {
      a.send('order-1');
      root.end();
    });
    expect(await done.promise).toBe(9);
    await system.idle();
    const spans = exporter.getFinishedSpans();
    const find = (name: string) => spans.find((s) => s.name === name)!;
    const root = find('http request');
    const order = find('process order');
    const client = find('call inventory');
    const server = find('inventory handle_call');
    const chain = [root, find('process front'), find('process router'), order, client, server];
    expect(chain.every((s) => s !== undefined)).toBe(true);
    expect(new Set(chain.map((s) => s.spanContext().traceId)).size).toBe(1);
    for (let i = 1; i < chain.length; i++) expect(chain[i]!.parentSpanContext?.spanId).toBe(chain[i - 1]!.spanContext().spanId);
    expect(client.kind).toBe(2); // CLIENT
    expect(server.kind).toBe(1); // SERVER
    expect(client.attributes['joerl.call.outcome']).toBe('ok');
  });
});
