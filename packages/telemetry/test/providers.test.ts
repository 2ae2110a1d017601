import { ActorSystem } from '@joerl/core';
import { describe, expect, it, vi } from 'vitest';
import { createTelemetry, InMemoryProvider, type TelemetryProvider } from '../src/index.js';
import { instrumented } from './helpers.js';

describe('providers', () => {
  it('each lifecycle and message hook fires with the documented arguments', async () => {
    const { system, memory, clock } = instrumented({ sampling: { timing: 1 } });
    const parent = system.spawn<string>(
      (msg, ctx) => {
        if (msg === 'spawn') ctx.spawn(() => {}, { type: 'kid', name: 'kiddo' });
        if (msg === 'crash') throw new Error('bad');
      },
      { type: 'parent' },
    );
    parent.send('spawn');
    await system.idle();
    clock.advance(10);
    const exited = system.join(parent);
    parent.send('crash');
    await exited;
    const kid = system.whereis('kiddo')!;
    expect(memory.of('onActorSpawned')).toEqual([
      { type: 'parent', pid: parent, name: undefined, parent: null },
      { type: 'kid', pid: kid, name: 'kiddo', parent },
    ]);
    expect(memory.of('onMessageSent')).toEqual([
      { type: 'parent', pid: parent, senderType: null },
      { type: 'parent', pid: parent, senderType: null },
    ]);
    expect(memory.of('onMessageReceived')).toEqual([
      { type: 'parent', pid: parent, failed: false, queueWaitMs: 0, processingMs: 0 },
      { type: 'parent', pid: parent, failed: true, queueWaitMs: 0, processingMs: 0 },
    ]);
    const [panic] = memory.of('onActorPanicked');
    expect(panic).toMatchObject({ type: 'parent', pid: parent, phase: 'receive' });
    expect((panic?.error as Error).message).toBe('bad');
    const [stopped] = memory.of('onActorStopped');
    expect(stopped).toMatchObject({ type: 'parent', pid: parent, lifetimeMs: 10 });
    expect(stopped?.reason.kind).toBe('error');
    // the hooks fire in the order things happened
    expect(memory.events.map((e) => e.hook)).toEqual([
      'onActorSpawned',
      'onMessageSent',
      'onActorSpawned',
      'onMessageReceived',
      'onMessageSent',
      'onMessageReceived',
      'onActorPanicked',
      'onActorStopped',
    ]);
  });

  it('a throwing provider is isolated and counted, and other providers still see every event', async () => {
    const broken: TelemetryProvider = {
      name: 'broken',
      onActorSpawned: () => {
        throw new Error('provider bug');
      },
      onMessageSent: () => {
        throw new Error('provider bug');
      },
    };
    const logger = { warn: vi.fn(), error: vi.fn() };
    const memory = new InMemoryProvider({ messages: true });
    const telemetry = createTelemetry({ providers: [broken, memory], eventLoop: false, logger });
    const system = new ActorSystem({ instrumentation: telemetry, logger: null });
    const seen: number[] = [];
    const ref = system.spawn<number>((n) => void seen.push(n), { type: 'w' });
    ref.send(1);
    ref.send(2);
    await system.idle();
    expect(seen).toEqual([1, 2]);
    expect(memory.of('onActorSpawned')).toHaveLength(1);
    expect(memory.of('onMessageSent')).toHaveLength(2);
    expect(telemetry.value('joerl_telemetry_provider_errors_total', { provider: 'broken' })).toBe(3);
    expect(logger.warn).toHaveBeenCalledTimes(1); // reported once, counted always
  });

  it('onSupervisorRestart fires with the supervisor, strategy, child type and duration', () => {
    const { system, telemetry, memory } = instrumented();
    const sup = system.spawn(() => {}, { type: 'root_sup' });
    telemetry.supervisorRestarted(system.handle(sup)!, 'one_for_one', 'worker', 12);
    expect(memory.of('onSupervisorRestart')).toEqual([
      { supervisorType: 'root_sup', supervisor: sup, strategy: 'one_for_one', childType: 'worker', durationMs: 12 },
    ]);
  });

  it('providers are started when added and shut down with the system', async () => {
    const { system, memory, telemetry } = instrumented();
    const other = new InMemoryProvider({ name: 'second' });
    telemetry.addProvider(other);
    system.spawn(() => {}, { type: 'x' });
    expect(other.of('onActorSpawned')).toHaveLength(1);
    expect(() => telemetry.addProvider(new InMemoryProvider({ name: 'second' }))).toThrow(/no other provider/);
    await system.shutdown();
    expect(memory.stopped).toBe(true);
    expect(other.stopped).toBe(true);
    expect(memory.value('joerl_actors_stopped_total', { type: 'x', reason: 'shutdown' })).toBe(1);
    expect(await telemetry.removeProvider(other)).toBe(true);
    expect(await telemetry.removeProvider(other)).toBe(false);
  });
});
