import { ActorSystem } from '@joerl/core';
import { type Call, GenServer, type GenServerDefinition, Supervisor } from '@joerl/gen';
import { describe, expect, it } from 'vitest';
import { createTelemetry } from '../src/index.js';
import { useOtel } from './otel.js';

const otel = useOtel();

function traced() {
  const telemetry = createTelemetry({ tracing: { tracer: otel.tracer }, eventLoop: false, logger: null });
  return new ActorSystem({ instrumentation: telemetry, logger: null });
}

type Crash = Call<{ kind: 'crash' }, never>;
const worker = (type: string): GenServerDefinition<null, null, Crash> => ({
  type,
  init: () => GenServer.ok(null),
  handleCall() {
    throw new Error('boom');
  },
});

/** Crashes the child named `name` inside a request span, and waits until its supervisor answers again (after the restart). */
async function crashInRequest(system: ActorSystem, sup: Parameters<typeof Supervisor.countChildren>[0], name: string): Promise<void> {
  await otel.tracer.startActiveSpan('request', async (root) => {
    await GenServer.named<Crash>(system, name).call({ kind: 'crash' }).catch(() => undefined);
    root.end();
  });
  await Supervisor.countChildren(sup);
  await system.idle();
}

describe('supervisor restarts in traces', () => {
  it('a restart is a live span under the crash, carrying the restarted child spawn, and nothing touches an ended span', async () => {
    const system = traced();
    const sup = await Supervisor.start(
      system,
      { strategy: 'one_for_one', intensity: 3, periodMs: 10_000, children: [GenServer.childSpec(worker('clerk'), null, { name: 'clerk' })] },
      { type: 'shop_sup' },
    );
    await crashInRequest(system, sup, 'clerk');
    const crash = otel.named('clerk handle_call');
    const restarts = otel.named('joerl.supervisor.restart');
    expect(crash).toHaveLength(1);
    expect(restarts).toHaveLength(1);
    const [restart] = restarts;
    expect(restart?.parentSpanContext?.spanId).toBe(crash[0]?.spanContext().spanId);
    expect(restart?.spanContext().traceId).toBe(otel.named('request')[0]?.spanContext().traceId);
    expect(restart?.attributes).toMatchObject({ 'joerl.supervisor.type': 'shop_sup', 'joerl.supervisor.strategy': 'one_for_one', 'joerl.child.type': 'clerk' });
    const newPid = system.whereis('clerk')?.toString();
    expect(restart?.events.map((e) => [e.name, e.attributes?.['joerl.actor.pid']])).toEqual([['joerl.actor.spawned', newPid]]);
    expect(otel.warnings).toEqual([]);
  });

  it('a one_for_all restart of three children carries their three spawns', async () => {
    const system = traced();
    const sup = await Supervisor.start(system, {
      strategy: 'one_for_all',
      intensity: 3,
      periodMs: 10_000,
      children: ['a', 'b', 'c'].map((id) => GenServer.childSpec(worker(`w_${id}`), null, { id, name: `w_${id}` })),
    });
    await crashInRequest(system, sup, 'w_b');
    const [restart] = otel.named('joerl.supervisor.restart');
    expect(restart?.events.map((e) => e.attributes?.['joerl.actor.type'])).toEqual(['w_a', 'w_b', 'w_c']);
    expect(restart?.parentSpanContext?.spanId).toBe(otel.named('w_b handle_call')[0]?.spanContext().spanId);
    expect(otel.warnings).toEqual([]);
  });

  it('a supervisor giving up is a span under the crash that made it give up', async () => {
    const system = traced();
    const sup = await Supervisor.start(
      system,
      { strategy: 'one_for_one', intensity: 0, periodMs: 10_000, children: [GenServer.childSpec(worker('fragile'), null, { name: 'fragile' })] },
      { type: 'fragile_sup' },
    );
    const exited = system.join(sup.pid);
    await otel.tracer.startActiveSpan('request', async (root) => {
      await GenServer.named<Crash>(system, 'fragile').call({ kind: 'crash' }).catch(() => undefined);
      root.end();
    });
    expect((await exited).kind).toBe('shutdown');
    await system.idle();
    const gaveUp = otel.named('joerl.supervisor.intensity_exceeded');
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]?.parentSpanContext?.spanId).toBe(otel.named('fragile handle_call')[0]?.spanContext().spanId);
    expect(otel.named('joerl.supervisor.restart')).toHaveLength(0);
    expect(otel.warnings).toEqual([]);
  });

  it('a restart after a crash outside any trace is a trace of its own', async () => {
    const system = traced();
    const sup = await Supervisor.start(system, { strategy: 'one_for_one', intensity: 3, periodMs: 10_000, children: [GenServer.childSpec(worker('loner'), null, { name: 'loner' })] });
    await GenServer.named<Crash>(system, 'loner').call({ kind: 'crash' }).catch(() => undefined);
    await Supervisor.countChildren(sup);
    await system.idle();
    const restarts = otel.named('joerl.supervisor.restart');
    expect(restarts).toHaveLength(1);
    expect(restarts[0]?.parentSpanContext).toBeUndefined();
    expect(restarts[0]?.events.map((e) => e.name)).toEqual(['joerl.actor.spawned']);
    expect(otel.spans().map((s) => s.name)).toEqual(['joerl.supervisor.restart']);
  });
});
