/**
 * dd-trace, configured the way Datadog users do it (only `DD_*` variables), sending to a fake
 * agent on 127.0.0.1. dd-trace patches the process, so this file runs in a process of its own.
 */
import type { ActorRef } from '@joerl/core';
import type { Call, GenServerDefinition } from '@joerl/gen';
import { afterAll, describe, expect, it } from 'vitest';
import { type AgentSpan, startFakeAgent } from './fake-agent.js';
import { agentTotal, datadogEnvironment, deferred, lastGauge } from './helpers.js';

const agent = await startFakeAgent();
datadogEnvironment(agent, { DD_SERVICE: 'orders', DD_ENV: 'test', DD_VERSION: '1.2.3', DD_TRACE_FLUSH_INTERVAL: '20' });
const { default: tracer } = await import('dd-trace');
// The user's init: plugins off only because the fake agent's own HTTP server lives in this process.
tracer.init({ plugins: false });

const { ActorSystem } = await import('@joerl/core');
const { GenServer, Supervisor } = await import('@joerl/gen');
const { createTelemetry } = await import('@joerl/telemetry');
const { datadog, datadogTracing, OPERATION_NAMES } = await import('../src/index.js');

const telemetry = createTelemetry({ tracing: datadogTracing(tracer), eventLoop: false, logger: null });
const system = new ActorSystem({ instrumentation: telemetry, logger: null });
const exporter = datadog({ telemetry, tracer, intervalMs: 60_000, logger: null });

afterAll(async () => {
  await system.shutdown();
  await exporter.shutdown();
  await agent.close();
});

/** The spans of the trace that contains the span named `name` with resource `resource`. */
async function traceOf(name: string, resource: string, size: number): Promise<AgentSpan[]> {
  const spans = await agent.waitForSpans((all) => {
    const anchor = all.find((s) => s.name === name && s.resource === resource);
    return anchor !== undefined && all.filter((s) => s.trace_id === anchor.trace_id).length >= size;
  }, `a trace of ${size} spans with ${name} ${resource}`);
  const anchor = spans.find((s) => s.name === name && s.resource === resource)!;
  return spans.filter((s) => s.trace_id === anchor.trace_id);
}

describe('traces in Datadog APM', () => {
  it('a message passed along three actors is one trace: each hop a joerl.message span, child of the hop before', async () => {
    let b: ActorRef<string>;
    let c: ActorRef<string>;
    const a = system.spawn<string>((m, ctx) => void ctx.send(b, m), { type: 'front' });
    b = system.spawn<string>((m, ctx) => void ctx.send(c, m), { type: 'router' });
    c = system.spawn<string>(() => {}, { type: 'store' });
    // A dd-trace span of the user's (an HTTP request, say) is active when the first message is sent.
    tracer.trace('web.request', { resource: 'POST /orders' }, () => a.send('order-1'));
    await system.idle();

    const spans = await traceOf(OPERATION_NAMES.message, 'store', 4);
    const root = spans.find((s) => s.name === 'web.request')!;
    const [front, router, store] = ['front', 'router', 'store'].map((type) => spans.find((s) => s.name === 'joerl.message' && s.resource === type)!);
    expect(front!.parent_id).toBe(root.span_id);
    expect(router!.parent_id).toBe(front!.span_id);
    expect(store!.parent_id).toBe(router!.span_id);
    for (const s of [front!, router!, store!]) {
      expect(s).toMatchObject({ service: 'orders', type: 'worker', error: 0 });
      expect(s.meta).toMatchObject({ env: 'test', version: '1.2.3', 'span.kind': 'consumer', 'messaging.system': 'joerl' });
    }
    expect(store!.meta['joerl.actor.pid']).toMatch(/^<\d+\.\d+\.\d+>$/);
  });

  it('a GenServer call is a joerl.call span at the caller with a joerl.handle_call child in the callee', async () => {
    const definition: GenServerDefinition<number, null, Call<'reserve', number>> = {
      type: 'inventory',
      init: () => GenServer.ok(10),
      handleCall: (_request, _from, stock) => GenServer.reply(stock - 1, stock - 1),
    };
    const inventory = await GenServer.start(system, definition, null);
    const done = deferred<number>();
    const order = system.spawn<string>(async () => done.resolve(await inventory.call('reserve')), { type: 'order' });
    tracer.trace('web.request', () => order.send('order-2'));
    expect(await done.promise).toBe(9);

    const spans = await traceOf(OPERATION_NAMES.handleCall, 'inventory', 4);
    const handling = spans.find((s) => s.name === 'joerl.message' && s.resource === 'order')!;
    const call = spans.find((s) => s.name === 'joerl.call')!;
    const handleCall = spans.find((s) => s.name === 'joerl.handle_call')!;
    expect(call).toMatchObject({ resource: 'inventory', parent_id: handling.span_id, service: 'orders' });
    expect(call.meta).toMatchObject({ 'span.kind': 'client', 'joerl.call.outcome': 'ok' });
    expect(handleCall).toMatchObject({ resource: 'inventory', parent_id: call.span_id, type: 'worker' });
    expect(handleCall.meta['span.kind']).toBe('server');
  });

  it('a handler that throws marks its span as an error, with the exception', async () => {
    const crasher = system.spawn<string>((m) => {
      throw new TypeError(m);
    }, { type: 'crasher' });
    const exited = system.join(crasher);
    tracer.trace('web.request', () => crasher.send('no stock left'));
    await exited;

    const [span] = await traceOf(OPERATION_NAMES.message, 'crasher', 2).then((s) => s.filter((x) => x.resource === 'crasher'));
    expect(span!.error).toBe(1);
    expect(span!.meta).toMatchObject({ 'error.type': 'TypeError', 'error.message': 'no stock left' });
  });

  it('a supervisor restart is a joerl.supervisor.restart span in the trace of the crash that caused it', async () => {
    const clerk: GenServerDefinition<null, null, Call<'crash', never>> = {
      type: 'dd_clerk',
      init: () => GenServer.ok(null),
      handleCall() {
        throw new Error('boom');
      },
    };
    const sup = await Supervisor.start(
      system,
      { strategy: 'one_for_one', intensity: 3, periodMs: 10_000, children: [GenServer.childSpec(clerk, null, { name: 'dd_clerk' })] },
      { type: 'dd_sup' },
    );
    await tracer.trace('web.request', () => GenServer.named<Call<'crash', never>>(system, 'dd_clerk').call('crash').catch(() => undefined));
    await Supervisor.countChildren(sup); // answered after the restart

    const spans = await traceOf('joerl.supervisor.restart', 'dd_sup', 4);
    const handleCall = spans.find((s) => s.name === OPERATION_NAMES.handleCall && s.resource === 'dd_clerk')!;
    const restart = spans.find((s) => s.name === 'joerl.supervisor.restart')!;
    expect(handleCall.error).toBe(1);
    expect(restart.parent_id).toBe(handleCall.span_id);
    expect(restart.meta).toMatchObject({ 'joerl.supervisor.strategy': 'one_for_one', 'joerl.child.type': 'dd_clerk' });
  });
});

describe('metrics next to the traces', () => {
  it('go to DogStatsD at DD_AGENT_HOST:DD_DOGSTATSD_PORT, tagged actor_type and env/service/version from DD_ENV/DD_SERVICE/DD_VERSION', async () => {
    const worker = system.spawn<number>(() => {}, { type: 'billing' });
    for (let i = 0; i < 7; i++) worker.send(i);
    await system.idle();
    const result = await exporter.flush();
    expect(result.kind).toBe('sent');

    const processed = telemetry.value('joerl_messages_processed_total', { type: 'billing' });
    const lines = await agent.waitForLines(
      (l) => agentTotal(l, 'joerl.messages.processed', { actor_type: 'billing' }) >= processed && lastGauge(l, 'joerl.actors.active', { actor_type: 'billing' }) !== undefined,
      'the billing counter and gauge',
    );
    expect(agentTotal(lines, 'joerl.messages.processed', { actor_type: 'billing', env: 'test', service: 'orders', version: '1.2.3' })).toBe(7);
    expect(lastGauge(lines, 'joerl.actors.active', { actor_type: 'billing' })).toBe(1);
  });
});
