import { ExitReason, TestClock } from '@joerl/core';
import { describe, expect, it } from 'vitest';
import { DynamicSupervisor, GenServer, GenStatem, type GenStatemDefinition, ServerRef, Supervisor, type Call } from '../src/index.js';
import { counter, type CounterCall, type CounterCast, crash, deferred, loggingWorker, quietSystem, Recorder } from './helpers.js';

describe('instrumentation', () => {
  it('reports each call with its outcome: ok, timeout, noproc, exit', async () => {
    const clock = new TestClock();
    const recorder = new Recorder();
    const system = quietSystem({ clock, instrumentation: recorder });
    const ref = await GenServer.start(system, counter, 0);
    await ref.call({ kind: 'get' });
    const late = ref.call({ kind: 'never' }, { timeoutMs: 10 }).catch(() => undefined);
    await system.idle();
    clock.advance(10);
    await late;
    await ref.call({ kind: 'crash' }).catch(() => undefined);
    await ref.call({ kind: 'get' }).catch(() => undefined); // dead pid: refused, not started
    expect(recorder.of('callEnded').map((e) => e.outcome)).toEqual(['ok', 'timeout', 'exit']);
    expect(recorder.of('callRefused')).toEqual([{ hook: 'callRefused', kind: 'call', server: 'counter', caller: null }]);
    expect(recorder.of('callStarted')).toEqual([
      { hook: 'callStarted', server: 'counter', caller: null },
      { hook: 'callStarted', server: 'counter', caller: null },
      { hook: 'callStarted', server: 'counter', caller: null },
    ]);
  });

  it('an invalid transition ends the call with outcome error', async () => {
    const recorder = new Recorder();
    const system = quietSystem({ instrumentation: recorder });
    const def: GenStatemDefinition<'a' | 'b', null, Call<{ kind: 'x' }, null>> = {
      type: 'fsm',
      states: ['a', 'b'],
      transitions: { b: { x: [] } },
      init: () => GenStatem.init('a', null),
      handleEvent: (_e, _s, d) => GenStatem.keepState(d),
    };
    const ref = await GenStatem.start(system, def, undefined);
    await ref.call({ kind: 'x' }).catch(() => undefined);
    expect(recorder.of('callEnded').map((e) => e.outcome)).toEqual(['error']);
  });

  it('hands the call token back to callEnded, and sends the request through invoke when there is one', async () => {
    const recorder = new Recorder();
    recorder.token = 'span-1';
    const system = quietSystem({ instrumentation: recorder });
    const ref = await GenServer.start(system, counter, 0);
    await ref.call({ kind: 'get' });
    expect(recorder.invoked).toContain('span-1');
    expect(recorder.of('callEnded')[0]?.token).toBe('span-1');
  });

  it('reports every call and cast that finds no live server as refused, by pid (with its type) or by name (type null), and never also as started or ended', async () => {
    const recorder = new Recorder();
    const system = quietSystem({ instrumentation: recorder });
    const ref = await GenServer.start(system, counter, 0, { name: 'c' });
    await ref.stop();
    const named = GenServer.named<CounterCall, CounterCast>(system, 'c');
    await expect(ref.call({ kind: 'get' })).rejects.toMatchObject({ code: 'NOPROC' });
    await expect(named.call({ kind: 'get' })).rejects.toMatchObject({ code: 'NOPROC' });
    expect(ref.cast({ kind: 'inc' })).toBe(false);
    expect(named.cast({ kind: 'inc' })).toBe(false);
    const caller = deferred();
    system.spawn(
      {
        init: (ctx) => void named.call({ kind: 'get' }, { caller: ctx }).catch(() => caller.resolve()),
        receive() {},
      },
      { type: 'client' },
    );
    await caller.promise;
    expect(recorder.of('callRefused')).toEqual([
      { hook: 'callRefused', kind: 'call', server: 'counter', caller: null },
      { hook: 'callRefused', kind: 'call', server: null, caller: null },
      { hook: 'callRefused', kind: 'cast', server: 'counter', caller: null },
      { hook: 'callRefused', kind: 'cast', server: null, caller: null },
      { hook: 'callRefused', kind: 'call', server: null, caller: 'client' },
    ]);
    expect(recorder.of('callStarted')).toEqual([]);
    expect(recorder.of('callEnded')).toEqual([]);
    expect(recorder.of('castSent')).toEqual([]);
  });

  it('reports casts', async () => {
    const recorder = new Recorder();
    const system = quietSystem({ instrumentation: recorder });
    const ref = await GenServer.start(system, counter, 0);
    ref.cast({ kind: 'inc' });
    expect(recorder.of('castSent')).toEqual([{ hook: 'castSent', server: 'counter' }]);
  });

  it('reports a state machine start with its declared states, and state changes but not keep or repeat', async () => {
    const recorder = new Recorder();
    const system = quietSystem({ instrumentation: recorder });
    type E = { kind: 'go' } | { kind: 'stay' } | { kind: 'again' };
    const def: GenStatemDefinition<'idle' | 'running', null, E> = {
      type: 'job',
      states: ['idle', 'running'],
      init: () => GenStatem.init('idle', null),
      handleEvent(e, s, d) {
        if (e.kind === 'go') return GenStatem.nextState(s === 'idle' ? 'running' : 'idle', d);
        return e.kind === 'stay' ? GenStatem.keepState(d) : GenStatem.repeatState(d);
      },
    };
    const ref = await GenStatem.start(system, def, undefined);
    for (const kind of ['go', 'stay', 'again', 'go'] as const) ref.cast({ kind });
    await ref.stop();
    expect(recorder.of('stateMachineStarted')).toEqual([{ hook: 'stateMachineStarted', actor: 'job', states: ['idle', 'running'], initial: 'idle' }]);
    expect(recorder.of('stateChanged').map((e) => `${e.from}->${e.to}`)).toEqual(['idle->running', 'running->idle']);
  });

  it('reports supervisor starts with a probe of the restart budget', async () => {
    const clock = new TestClock();
    const recorder = new Recorder();
    const system = quietSystem({ clock, instrumentation: recorder });
    const sup = await Supervisor.start(system, { strategy: 'rest_for_one', intensity: 4, periodMs: 1000, children: [loggingWorker([], 'a')] });
    await DynamicSupervisor.start(system);
    const [started, dynamic] = recorder.of('supervisorStarted');
    expect(started?.probe).toMatchObject({ strategy: 'rest_for_one', intensity: 4, periodMs: 1000 });
    expect(dynamic?.probe.strategy).toBe('dynamic');
    expect(started?.probe.intensityUsage()).toBe(0);
    await crash(system, (await Supervisor.whichChildren(sup))[0]!.pid!);
    await Supervisor.whichChildren(sup);
    expect(started?.probe.intensityUsage()).toBe(0.25);
    clock.advance(1001);
    expect(started?.probe.intensityUsage()).toBe(0);
  });

  it("reports each restart with the strategy, the child's own actor type and the time it took", async () => {
    const clock = new TestClock();
    const recorder = new Recorder();
    const system = quietSystem({ clock, instrumentation: recorder });
    const sup = await Supervisor.start(system, { strategy: 'one_for_all', children: [loggingWorker([], 'a', {}, 'inventory'), loggingWorker([], 'b', {}, 'billing')] }, { type: 'shop-sup' });
    await crash(system, (await Supervisor.whichChildren(sup))[1]!.pid!);
    await Supervisor.whichChildren(sup);
    expect(recorder.of('supervisorRestarted')).toEqual([{ hook: 'supervisorRestarted', actor: 'shop-sup', strategy: 'one_for_all', childType: 'billing', durationMs: 0 }]);
  });

  it('reports an exceeded intensity', async () => {
    const recorder = new Recorder();
    const system = quietSystem({ instrumentation: recorder });
    const sup = await Supervisor.start(system, { strategy: 'one_for_one', intensity: 0, children: [loggingWorker([], 'a')] });
    const exited = system.join(sup.pid);
    await crash(system, (await Supervisor.whichChildren(sup))[0]!.pid!);
    await exited;
    expect(recorder.of('supervisorIntensityExceeded')).toEqual([{ hook: 'supervisorIntensityExceeded', actor: 'supervisor' }]);
    expect(recorder.of('supervisorRestarted')).toEqual([]);
  });

  it('works without instrumentation (every hook is skipped)', async () => {
    const system = quietSystem();
    const sup = await Supervisor.start(system, { strategy: 'one_for_one', children: [GenServer.childSpec(counter, 1, { name: 'c' })] });
    expect(await GenServer.named<Call<{ kind: 'get' }, number>>(system, 'c').call({ kind: 'get' })).toBe(1);
    await ServerRef.of(system, sup.pid).stop(ExitReason.shutdown());
  });
});
