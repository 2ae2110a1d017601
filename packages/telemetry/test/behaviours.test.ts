import { ActorSystem } from '@joerl/core';
import {
  type Call,
  CallTimeoutError,
  type From,
  GenServer,
  type GenServerDefinition,
  GenStatem,
  type GenStatemDefinition,
  InvalidTransitionError,
  reply,
  Supervisor,
} from '@joerl/gen';
import { describe, expect, it } from 'vitest';
import { createTelemetry } from '../src/index.js';
import { instrumented } from './helpers.js';

type EchoCall = Call<{ kind: 'echo'; n: number }, number> | Call<{ kind: 'hold' }, string>;
type EchoCast = { kind: 'release' } | { kind: 'poke' };

const echo: GenServerDefinition<From<string>[], null, EchoCall, EchoCast> = {
  type: 'echo',
  init: () => GenServer.ok([]),
  handleCall(req, from, held) {
    if (req.kind === 'echo') return GenServer.reply(req.n, held);
    return GenServer.noreply([...held, from as From<string>]); // answer later
  },
  handleCast(req, held) {
    if (req.kind === 'release') for (const from of held) reply(from, 'done');
    return GenServer.noreply(req.kind === 'release' ? [] : held);
  },
};

describe('GenServer metrics', () => {
  it('count calls by outcome, casts, calls in flight, and one timeout per timed-out call', async () => {
    const { system, telemetry, clock } = instrumented();
    const ref = await GenServer.start(system, echo, null);
    expect(await ref.call({ kind: 'echo', n: 7 })).toBe(7);
    ref.cast({ kind: 'poke' });
    const held = ref.call({ kind: 'hold' }, { timeoutMs: 100 });
    await system.idle();
    expect(telemetry.value('joerl_calls_in_flight', { type: 'echo' })).toBe(1);
    clock.advance(100);
    await expect(held).rejects.toBeInstanceOf(CallTimeoutError);
    expect(telemetry.value('joerl_calls_total', { type: 'echo', outcome: 'timeout' })).toBe(1);
    expect(telemetry.value('joerl_calls_total', { type: 'echo', outcome: 'ok' })).toBe(1);
    expect(telemetry.value('joerl_casts_total', { type: 'echo' })).toBe(1);
    expect(telemetry.value('joerl_calls_in_flight', { type: 'echo' })).toBe(0);
  });

  it('measure call latency at the caller, deferred replies included', async () => {
    const { system, telemetry, clock } = instrumented();
    const ref = await GenServer.start(system, echo, null);
    const answer = ref.call({ kind: 'hold' });
    await system.idle();
    clock.advance(250); // the server keeps `from` and answers 250 ms later
    ref.cast({ kind: 'release' });
    expect(await answer).toBe('done');
    const h = telemetry.histogram('joerl_call_duration_seconds', { type: 'echo', behaviour: 'gen_server' });
    expect(h?.count).toBe(1);
    expect(h?.sum).toBeCloseTo(0.25, 6);
  });
});

type Light = 'red' | 'green' | 'yellow';
type LightEvent = { kind: 'next' } | Call<{ kind: 'jump' }, 'ok'>;
const light: GenStatemDefinition<Light, null, LightEvent, null> = {
  type: 'light',
  states: ['red', 'green', 'yellow'],
  transitions: { red: { next: 'green' }, green: { next: 'yellow' }, yellow: { next: 'red' } },
  init: () => GenStatem.init('red', null),
  handleEvent(event, state, data, { from }) {
    if (event.kind === 'jump') return GenStatem.keepState(data, [GenStatem.reply(from, 'ok' as const)]);
    const next: Light = state === 'red' ? 'green' : state === 'green' ? 'yellow' : 'red';
    return GenStatem.nextState(next, data);
  },
};

describe('GenStatem metrics', () => {
  it('state-duration observations equal state exits; current_state sums to live machines', async () => {
    const { system, telemetry, clock } = instrumented();
    const a = await GenStatem.start(system, light, null);
    const b = await GenStatem.start(system, light, null);
    await GenStatem.start(system, light, null);
    clock.advance(100);
    a.cast({ kind: 'next' }); // red -> green after 100 ms
    a.cast({ kind: 'next' }); // green -> yellow after 0 ms
    b.cast({ kind: 'next' }); // red -> green
    await system.idle();
    expect(telemetry.value('joerl_gen_statem_current_state', { type: 'light' })).toBe(3);
    expect(telemetry.value('joerl_gen_statem_current_state', { type: 'light', state: 'red' })).toBe(1);
    expect(telemetry.value('joerl_gen_statem_current_state', { type: 'light', state: 'green' })).toBe(1);
    expect(telemetry.value('joerl_gen_statem_current_state', { type: 'light', state: 'yellow' })).toBe(1);
    expect(telemetry.value('joerl_gen_statem_transitions_total', { type: 'light', from: 'red', to: 'green' })).toBe(2);
    expect(telemetry.value('joerl_gen_statem_transitions_total', { type: 'light', from: 'green', to: 'yellow' })).toBe(1);
    expect(telemetry.value('joerl_gen_statem_state_duration_seconds', { type: 'light' })).toBe(3); // 3 transitions so far
    expect(telemetry.histogram('joerl_gen_statem_state_duration_seconds', { type: 'light', state: 'red' })?.sum).toBeCloseTo(0.2, 6);
    await a.stop();
    // stopping exits its state too: one more observation, and it leaves current_state
    expect(telemetry.value('joerl_gen_statem_state_duration_seconds', { type: 'light' })).toBe(4);
    expect(telemetry.value('joerl_gen_statem_current_state', { type: 'light' })).toBe(2);
  });

  it('counts invalid transitions by state and event name', async () => {
    const door: GenStatemDefinition<'shut' | 'ajar', null, Call<{ kind: 'open' }, 'ok'> | { kind: 'shut' }, null> = {
      type: 'door',
      states: ['shut', 'ajar'],
      transitions: { shut: { open: 'ajar' }, ajar: { shut: 'shut' } },
      init: () => GenStatem.init('shut', null),
      handleEvent: (event, _state, data, { from }) =>
        event.kind === 'open' ? GenStatem.nextState('ajar', data, [GenStatem.reply(from, 'ok' as const)]) : GenStatem.nextState('shut', data),
    };
    const { system, telemetry } = instrumented();
    const ref = await GenStatem.start(system, door, null);
    await ref.call({ kind: 'open' });
    await expect(ref.call({ kind: 'open' })).rejects.toBeInstanceOf(InvalidTransitionError);
    expect(telemetry.value('joerl_gen_statem_invalid_transitions_total', { type: 'door', state: 'ajar', event: 'open' })).toBe(1);
    expect(telemetry.value('joerl_calls_total', { type: 'door', outcome: 'error' })).toBe(1);
  });
});

describe('Supervisor metrics', () => {
  const crashy: GenServerDefinition<null, null, Call<{ kind: 'crash' }, never>> = {
    type: 'crashy',
    init: () => GenServer.ok(null),
    handleCall() {
      throw new Error('boom');
    },
  };

  it('count restarts by strategy and child type, and expose how close a tree is to giving up', async () => {
    const { system, telemetry, memory } = instrumented();
    const sup = await Supervisor.start(
      system,
      { strategy: 'one_for_one', intensity: 4, periodMs: 10_000, children: [GenServer.childSpec(crashy, null, { name: 'crashy' })] },
      { type: 'app_sup' },
    );
    for (let i = 0; i < 2; i++) {
      await GenServer.named<Call<{ kind: 'crash' }, never>>(system, 'crashy').call({ kind: 'crash' }).catch(() => undefined);
      await Supervisor.countChildren(sup); // answered after the restart
    }
    expect(telemetry.value('joerl_supervisor_restarts_total', { strategy: 'one_for_one', child_type: 'crashy' })).toBe(2);
    expect(telemetry.value('joerl_supervisor_restart_intensity_usage_ratio', { supervisor_type: 'app_sup' })).toBe(0.5);
    expect(telemetry.value('joerl_supervisor_restart_duration_seconds')).toBe(2);
    expect(memory.of('onSupervisorRestart').map((e) => [e.supervisorType, e.strategy, e.childType])).toEqual([
      ['app_sup', 'one_for_one', 'crashy'],
      ['app_sup', 'one_for_one', 'crashy'],
    ]);
  });

  it('count intensity exceeded once per supervisor that gives up', async () => {
    const telemetry = createTelemetry({ eventLoop: false, logger: null });
    const system = new ActorSystem({ instrumentation: telemetry, logger: null });
    const sup = await Supervisor.start(
      system,
      { strategy: 'one_for_one', intensity: 1, periodMs: 10_000, children: [GenServer.childSpec(crashy, null, { name: 'crashy' })] },
      { type: 'fragile_sup' },
    );
    const exited = system.join(sup.pid);
    for (let i = 0; i < 2; i++) {
      await GenServer.named<Call<{ kind: 'crash' }, never>>(system, 'crashy').call({ kind: 'crash' }).catch(() => undefined);
      await system.idle();
    }
    expect((await exited).kind).toBe('shutdown');
    expect(telemetry.value('joerl_supervisor_restart_intensity_exceeded_total', { supervisor_type: 'fragile_sup' })).toBe(1);
  });
});
