import type { ActorRef, ActorSystem } from '@joerl/core';
import { type Call, GenServer, type GenServerDefinition, Supervisor } from '@joerl/gen';
import { createTelemetry } from '@joerl/telemetry';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { type OtlpOptions, startOtlp } from '../src/index.js';
import { type DecodedSpan, deferred, QUIET, quietSystem, type Receiver, useReceiver } from './helpers.js';

let receiver: Receiver;
const after = useReceiver((r) => (receiver = r));

async function setup(options: OtlpOptions = {}) {
  const otlp = await startOtlp({ endpoint: receiver.url, metrics: false, serviceName: 'shop', telemetry: QUIET, ...options });
  after.defer(() => otlp.shutdown());
  const system = quietSystem({ instrumentation: otlp.telemetry });
  after.defer(() => system.shutdown());
  return { otlp, system };
}

const inventory: GenServerDefinition<number, null, Call<{ kind: 'reserve' }, number>> = {
  type: 'inventory',
  init: () => GenServer.ok(10),
  handleCall: (_req, _from, stock) => GenServer.reply(stock - 1, stock - 1),
};

/**
 * An order crossing three actors, the last calling a GenServer, inside a request span started with
 * the global tracer; resolves with the stock left once the call returned.
 */
async function placeOrder(system: ActorSystem): Promise<number> {
  const inv = await GenServer.start(system, inventory, null);
  const done = deferred<number>();
  let router: ActorRef<string>;
  let order: ActorRef<string>;
  const front = system.spawn<string>((m, ctx) => void ctx.send(router, m), { type: 'front' });
  router = system.spawn<string>((m, ctx) => void ctx.send(order, m), { type: 'router' });
  order = system.spawn<string>(async () => {
    done.resolve(await inv.call({ kind: 'reserve' }));
  }, { type: 'order' });
  trace.getTracer('shop-http').startActiveSpan('POST /orders', (span) => {
    front.send('order-1');
    span.end();
  });
  const left = await done.promise;
  await system.idle();
  return left;
}

const CHAIN = ['POST /orders', 'process front', 'process router', 'process order', 'call inventory', 'inventory handle_call'];

function chainOf(spans: DecodedSpan[]): DecodedSpan[] {
  return CHAIN.map((name) => {
    const span = spans.find((s) => s.name === name);
    if (span === undefined) throw new Error(`span '${name}' did not arrive; got ${spans.map((s) => s.name).join(', ')}`);
    return span;
  });
}

describe('traces over OTLP/HTTP', () => {
  it("a trace across three actors and a GenServer call arrives in protobuf with each span's parent the previous hop", async () => {
    const { otlp, system } = await setup();
    expect(await placeOrder(system)).toBe(9);

    expect(await otlp.forceFlush()).toBe(true);

    const chain = chainOf(receiver.spans());
    expect(new Set(chain.map((s) => s.traceId)).size).toBe(1);
    expect(chain[0]!.parentSpanId).toBe('');
    for (let i = 1; i < chain.length; i++) expect(chain[i]!.parentSpanId, chain[i]!.name).toBe(chain[i - 1]!.spanId);
    expect(chain.map((s) => s.kind)).toEqual([1, 5, 5, 5, 3, 2]); // internal, consumer ×3, client, server
    expect(chain[3]!.attributes).toMatchObject({ 'messaging.system': 'joerl', 'messaging.destination.name': 'order', 'joerl.actor.type': 'order' });
    expect(chain[4]!.attributes).toMatchObject({ 'rpc.system': 'joerl', 'joerl.call.outcome': 'ok' });
    expect(chain[1]!.scope).toBe('@joerl/telemetry');
    expect(chain[1]!.resource).toMatchObject({ 'service.name': 'shop' });
  });

  it('the same trace arrives over OTLP/JSON', async () => {
    const { otlp, system } = await setup({ protocol: 'http/json' });
    await placeOrder(system);

    await otlp.forceFlush();

    expect(receiver.requests.map((r) => r.encoding)).toEqual(['json']);
    const chain = chainOf(receiver.spans());
    for (let i = 1; i < chain.length; i++) expect(chain[i]!.parentSpanId, chain[i]!.name).toBe(chain[i - 1]!.spanId);
  });

  it('a message sent outside any trace, in the same tick as a traced one, exports no span, nor does anything it causes', async () => {
    const { otlp, system } = await setup();
    const next = system.spawn<string>(() => {}, { type: 'next' });
    const front = system.spawn<string>((m, ctx) => void ctx.send(next, m), { type: 'front' });
    const bystanderSink = system.spawn<string>(() => {}, { type: 'bystander_sink' });
    const bystander = system.spawn<string>((m, ctx) => void ctx.send(bystanderSink, m), { type: 'bystander' });
    trace.getTracer('shop-http').startActiveSpan('POST /orders', (span) => {
      front.send('order-1');
      span.end();
    });
    bystander.send('unrelated');
    await system.idle();

    await otlp.forceFlush();

    expect(receiver.spans().map((s) => s.name).sort()).toEqual(['POST /orders', 'process front', 'process next']);
  });

  it('a supervisor restart arrives as a span under the crash, with the restarted child spawn', async () => {
    const { otlp, system } = await setup();
    const clerk: GenServerDefinition<null, null, Call<{ kind: 'crash' }, never>> = {
      type: 'clerk',
      init: () => GenServer.ok(null),
      handleCall() {
        throw new Error('boom');
      },
    };
    const sup = await Supervisor.start(system, { strategy: 'one_for_one', intensity: 3, periodMs: 10_000, children: [GenServer.childSpec(clerk, null, { name: 'clerk' })] }, { type: 'shop_sup' });
    await trace.getTracer('shop-http').startActiveSpan('POST /orders', async (span) => {
      await GenServer.named<Call<{ kind: 'crash' }, never>>(system, 'clerk').call({ kind: 'crash' }).catch(() => undefined);
      span.end();
    });
    await Supervisor.countChildren(sup); // answered after the restart

    await otlp.forceFlush();

    const spans = receiver.spans();
    const crash = spans.find((s) => s.name === 'clerk handle_call');
    const restart = spans.find((s) => s.name === 'joerl.supervisor.restart');
    expect(restart?.parentSpanId).toBe(crash?.spanId);
    expect(restart?.traceId).toBe(spans.find((s) => s.name === 'POST /orders')?.traceId);
    expect(restart?.events).toEqual(['joerl.actor.spawned']);
    expect(restart?.attributes).toMatchObject({ 'joerl.supervisor.type': 'shop_sup', 'joerl.child.type': 'clerk' });
  });

  it('a telemetry the user created with tracing: true reaches the collector through the global tracer provider', async () => {
    const telemetry = createTelemetry({ ...QUIET, tracing: true });
    const { otlp, system } = await setup({ telemetry });
    expect(otlp.telemetry).toBe(telemetry);
    await placeOrder(system);

    await otlp.forceFlush();

    expect(chainOf(receiver.spans())).toHaveLength(CHAIN.length);
  });

  it('refuses a telemetry created without tracing while traces are on, naming the fix', async () => {
    await expect(setup({ telemetry: createTelemetry(QUIET) })).rejects.toThrow(/tracing: true.*traces: false/);
  });

  it('an application that registered its own tracer provider keeps it, and joerl still exports its spans', async () => {
    const own = new BasicTracerProvider();
    trace.setGlobalTracerProvider(own);
    after.defer(() => trace.disable());
    const { otlp, system } = await setup({ telemetry: { ...QUIET, sampling: { spans: 1 } } });
    const worker = system.spawn<string>(() => {}, { type: 'solo' });
    worker.send('hello');
    await system.idle();

    await otlp.forceFlush();
    await otlp.shutdown();

    expect(receiver.spans().map((s) => s.name)).toEqual(['process solo']);
    expect(trace.getTracerProvider()).not.toBe(otlp.tracerProvider);
    expect((trace.getTracerProvider() as unknown as { getDelegate(): unknown }).getDelegate()).toBe(own);
  });

  it('shutdown unregisters the global tracer provider, so the next setup can register its own', async () => {
    const first = await setup();
    await first.otlp.shutdown();
    const second = await setup();

    await placeOrder(second.system);
    await second.otlp.forceFlush();

    expect(chainOf(receiver.spans())[0]!.resource).toMatchObject({ 'service.instance.id': second.otlp.resource.attributes['service.instance.id'] });
  });

  it('with traces: false no tracer provider is made and nothing is sent to /v1/traces', async () => {
    const { otlp, system } = await setup({ traces: false, metrics: true, telemetry: { ...QUIET, sampling: { spans: 1 } } });
    const worker = system.spawn<string>(() => {}, { type: 'untraced' });
    worker.send('hello');
    await system.idle();

    await otlp.forceFlush();

    expect(otlp.tracerProvider).toBeNull();
    expect(receiver.requests.map((r) => r.path)).toEqual(['/v1/metrics']);
  });
});
