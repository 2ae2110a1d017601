import { ActorSystem, ExitReason, type Pid } from '@joerl/core';
import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createTelemetry, MAX_ACTOR_TRACES, type TraceEvent } from '../src/index.js';
import { hostileValue, spawnProbe } from './helpers.js';

const quiet = () => {
  const telemetry = createTelemetry({ eventLoop: false, logger: null });
  const system = new ActorSystem({ instrumentation: telemetry, logger: null });
  return { telemetry, system };
};

describe('a trace of one actor', () => {
  it('sees the messages arriving in that actor, with their sender, and nothing of other actors', async () => {
    const { telemetry, system } = quiet();
    const other = spawnProbe<string>(system, { type: 'other', trapExit: false });
    const traced = spawnProbe<string>(system, { type: 'traced', trapExit: false });
    const relay = system.spawn<string>((m, ctx) => void ctx.send(traced.ref, m), { type: 'relay' });
    traced.ref.send('before'); // before the trace: not seen
    const events: TraceEvent[] = [];
    const stop = telemetry.trace(traced.ref, (e) => void events.push(e));
    expect(stop).toBeTypeOf('function');
    traced.ref.send('a');
    other.ref.send('not traced');
    relay.send('b');
    await traced.waitForMessages(3);
    stop?.();
    traced.ref.send('after'); // after the trace: not seen
    await traced.waitForMessages(4);
    expect(events.map((e) => (e.kind === 'message' ? [e.message, e.from?.toString() ?? null] : e.kind))).toEqual([
      ['a', null],
      ['b', relay.toString()],
    ]);
    expect(events.every((e) => typeof e.at === 'number' && e.at > 0)).toBe(true);
    await system.shutdown();
  });

  it('sees the signals the actor takes, with what became of them, then its exit, which ends the trace', async () => {
    const { telemetry, system } = quiet();
    const traced = system.spawn<string>(() => {}, { type: 'traced', trapExit: true });
    const events: TraceEvent[] = [];
    telemetry.trace(traced, (e) => void events.push(e));
    system.exit(traced, ExitReason.shutdown('test'));
    await system.idle();
    const exited = system.join(traced);
    system.exit(traced, 'kill');
    await exited;
    expect(events.map((e) => (e.kind === 'signal' ? `${e.signal} ${e.reason.kind} ${e.outcome}` : e.kind === 'exit' ? `exit ${e.reason.kind}` : e.kind))).toEqual([
      'exit shutdown ignored', // trapped, and a plain receive function has no handleSignal
      'kill killed terminated',
      'exit killed',
    ]);
    await system.shutdown();
  });

  it('refuses a dead actor and more than MAX_ACTOR_TRACES traces at once', async () => {
    const { telemetry, system } = quiet();
    const dead = system.spawn(() => {});
    const exited = system.join(dead);
    system.exit(dead, 'kill');
    await exited;
    expect(telemetry.trace(dead, () => {})).toBeNull();
    const live = system.spawn(() => {});
    const stops = Array.from({ length: MAX_ACTOR_TRACES }, () => telemetry.trace(live, () => {}));
    expect(stops.every((s) => typeof s === 'function')).toBe(true);
    expect(telemetry.trace(live, () => {})).toBeNull();
    stops[0]?.();
    expect(telemetry.trace(live, () => {})).toBeTypeOf('function');
    await system.shutdown();
  });

  it('a tracer that throws ends its own trace, and the actor never notices', async () => {
    const { telemetry, system } = quiet();
    const traced = spawnProbe<number>(system, { trapExit: false });
    let calls = 0;
    telemetry.trace(traced.ref, () => {
      calls++;
      throw new Error('tracer bug');
    });
    traced.ref.send(1);
    traced.ref.send(2);
    await traced.waitForMessages(2);
    expect(calls).toBe(1);
    expect(traced.messages).toEqual([1, 2]);
    await system.shutdown();
  });

  const hostile = quiet();
  const live = hostile.system.spawn(() => {});
  test.prop([hostileValue, hostileValue])('refuses anything but a pid and a function, with InvalidArgumentError', (pid, tracer) => {
    expect(() => hostile.telemetry.trace(pid.make() as Pid, () => {})).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const value = tracer.make();
    if (typeof value !== 'function') expect(() => hostile.telemetry.trace(live, value as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
