/**
 * Issue 10 §1: values that cannot be turned into strings, thrown or rejected from every
 * callback and child start. Every start and call settles with a typed error whose message is
 * text, and the system keeps processing.
 */
import { ActorSystem, type ExitReason, type Logger } from '@joerl/core';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  CalleeExitedError,
  ChildStartError,
  DynamicSupervisor,
  GenServer,
  type GenServerDefinition,
  GenStatem,
  type GenStatemDefinition,
  InitFailedError,
  Supervisor,
  type Call,
} from '../src/index.js';
import { counter, type Hostile, hostileValue, within } from './helpers.js';

const RUNS = { numRuns: 40 };

/** A system whose logger formats every report, as a real one would, and keeps the lines. */
function loggingSystem(): { system: ActorSystem; lines: string[] } {
  const lines: string[] = [];
  const logger: Logger = { warn: (m) => void lines.push(m), error: (m) => void lines.push(m) };
  return { system: new ActorSystem({ logger }), lines };
}

/** Throws `value` synchronously, or rejects with it. */
function fail(value: unknown, async: boolean): never | Promise<never> {
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rejecting with a non-Error is the point
  if (async) return Promise.reject(value);
  throw value;
}

/** The system still serves calls after whatever happened. */
async function stillServes(system: ActorSystem): Promise<void> {
  const ref = await GenServer.start(system, counter, 41);
  expect(await ref.call({ kind: 'add', n: 1 })).toBe(42);
}

function expectTextMessage(error: unknown): void {
  expect(error).toBeInstanceOf(Error);
  expect(typeof (error as Error).message).toBe('string');
  expect(typeof (error as { code?: unknown }).code).toBe('string');
}

type Q = Call<{ kind: 'q' }, null>;

describe('hostile values never take the behaviours down', () => {
  test.prop([hostileValue, fc.boolean()], RUNS)('init that throws or rejects: start rejects with InitFailedError', async (hostile: Hostile, async) => {
    const { system, lines } = loggingSystem();
    const def: GenServerDefinition<null, null> = { type: 'bad-init', init: () => fail(hostile.make(), async) };
    const error = await within(GenServer.start(system, def, null).catch((e: unknown) => e), 2000, 'the start to settle');
    expect(error).toBeInstanceOf(InitFailedError);
    expectTextMessage(error);
    expect(lines.every((l) => typeof l === 'string')).toBe(true);
    await stillServes(system);
    await system.shutdown();
  });

  test.prop([hostileValue, fc.boolean(), fc.constantFrom('handleCall', 'handleCast', 'handleInfo', 'terminate')], RUNS)(
    'a callback that throws or rejects: pending calls reject with CalleeExitedError, the server exits with an error',
    async (hostile: Hostile, async, callback) => {
      const { system } = loggingSystem();
      const boom = (): never | Promise<never> => fail(hostile.make(), async);
      const def: GenServerDefinition<null, null, Q, { kind: 'c' }, string> = {
        type: 'bad-callback',
        init: () => GenServer.ok(null),
        handleCall: (_r, _f, s) => (callback === 'handleCall' ? boom() : GenServer.noreply(s)),
        handleCast: (_r, s) => (callback === 'handleCast' ? boom() : GenServer.stop({ kind: 'normal' }, s)),
        handleInfo: (_m, s) => (callback === 'handleInfo' ? boom() : GenServer.noreply(s)),
        terminate: () => (callback === 'terminate' ? (boom()) : undefined),
      };
      const ref = await GenServer.start(system, def, null);
      const exited = system.join(ref.pid);
      const call = callback === 'handleCall' ? ref.call({ kind: 'q' }).catch((e: unknown) => e) : null;
      if (callback === 'handleCast' || callback === 'terminate') ref.cast({ kind: 'c' });
      if (callback === 'handleInfo') system.send(ref.pid, 'info');
      const reason: ExitReason = await within(exited, 2000, 'the server to exit');
      expect(reason.kind).toBe('error');
      if (call !== null) {
        const error = await call;
        expect(error).toBeInstanceOf(CalleeExitedError);
        expectTextMessage(error);
      }
      await stillServes(system);
      await system.shutdown();
    },
  );

  test.prop([hostileValue], RUNS)('a callback that returns a hostile value: the call rejects with CalleeExitedError', async (hostile: Hostile) => {
    const { system } = loggingSystem();
    const def: GenServerDefinition<null, null, Q> = {
      type: 'bad-return',
      init: () => GenServer.ok(null),
      handleCall: () => hostile.make() as never,
    };
    const ref = await GenServer.start(system, def, null);
    const error = await within(
      ref.call({ kind: 'q' }).then(
        () => null,
        (e: unknown) => e,
      ),
      2000,
      'the call to settle',
    );
    // A value that happens to be a valid result (fc.anything() can make { kind: 'noreply', ... }) may not crash.
    if (error !== null) expectTextMessage(error);
    await stillServes(system);
    await system.shutdown();
  });

  test.prop([hostileValue, fc.boolean(), fc.constantFrom('handleEvent', 'onEnter', 'terminate')], RUNS)(
    'GenStatem callbacks that throw or reject: calls settle, the machine exits with an error',
    async (hostile: Hostile, async, callback) => {
      const { system } = loggingSystem();
      const boom = (): never | Promise<never> => fail(hostile.make(), async);
      let entered = false;
      const def: GenStatemDefinition<'a' | 'b', null, Q | { kind: 'go' }> = {
        type: 'bad-statem',
        states: ['a', 'b'],
        init: () => GenStatem.init('a', null),
        handleEvent: (e, _s, d) => {
          if (callback === 'handleEvent') return boom();
          if (e.kind === 'go') return GenStatem.nextState('b', d);
          return GenStatem.stop({ kind: 'normal' }, d);
        },
        onEnter: () => {
          if (callback === 'onEnter' && entered) return boom();
          entered = true;
        },
        terminate: () => (callback === 'terminate' ? (boom()) : undefined),
      };
      const ref = await GenStatem.start(system, def, undefined);
      const exited = system.join(ref.pid);
      if (callback === 'onEnter') ref.cast({ kind: 'go' });
      const call = callback === 'onEnter' ? null : ref.call({ kind: 'q' }).catch((e: unknown) => e);
      const reason = await within(exited, 2000, 'the machine to exit');
      expect(reason.kind).toBe('error');
      if (call !== null) {
        const settled = await call;
        if (callback === 'handleEvent') expect(settled).toBeInstanceOf(CalleeExitedError);
        if (settled instanceof Error) expectTextMessage(settled);
      }
      await stillServes(system);
      await system.shutdown();
    },
  );

  test.prop([hostileValue, fc.constantFrom('throw', 'reject', 'resolve')], RUNS)(
    "a supervisor child's start that throws, rejects or resolves with a hostile value: Supervisor.start rejects with InitFailedError",
    async (hostile: Hostile, how) => {
      const { system } = loggingSystem();
      const start = (): never => {
        const v = hostile.make();
        if (how === 'throw') throw v;
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rejecting with a non-Error is the point
        return (how === 'reject' ? Promise.reject(v) : Promise.resolve(v)) as never;
      };
      const error = await within(
        Supervisor.start(system, { strategy: 'one_for_one', children: [{ id: 'bad', start }] }).then(
          () => null,
          (e: unknown) => e,
        ),
        2000,
        'the supervisor start to settle',
      );
      // fc.anything() may resolve with { pid: null }: an ignored start, which is a success.
      if (error !== null) {
        expect(error).toBeInstanceOf(InitFailedError);
        expectTextMessage(error);
      }
      await stillServes(system);
      await system.shutdown();
    },
  );

  test.prop([hostileValue, fc.constantFrom('throw', 'reject', 'resolve')], RUNS)(
    'a dynamic child whose start throws, rejects or resolves with a hostile value: startChild rejects with ChildStartError and the pool keeps serving',
    async (hostile: Hostile, how) => {
      const { system } = loggingSystem();
      const pool = await DynamicSupervisor.start(system);
      const start = (): never => {
        const v = hostile.make();
        if (how === 'throw') throw v;
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rejecting with a non-Error is the point
        return (how === 'reject' ? Promise.reject(v) : Promise.resolve(v)) as never;
      };
      const result = await within(
        DynamicSupervisor.startChild(pool, { start }).then(
          (pid) => pid,
          (e: unknown) => e,
        ),
        2000,
        'startChild to settle',
      );
      if (result !== null) {
        expect(result).toBeInstanceOf(ChildStartError);
        expectTextMessage(result);
      }
      expect((await DynamicSupervisor.countChildren(pool)).active).toBe(0);
      await stillServes(system);
      await system.shutdown();
    },
  );

  test.prop([hostileValue], RUNS)('a hostile plain message sent to any behaviour is dropped or handled, never a crash', async (hostile: Hostile) => {
    const { system } = loggingSystem();
    const server = await GenServer.start(system, counter, 1);
    const echo: GenStatemDefinition<'s', null, Q> = {
      type: 'm',
      states: ['s'],
      init: () => GenStatem.init('s', null),
      handleEvent: (_e, _s, d, { from }) => GenStatem.keepState(d, [GenStatem.reply(from, null)]),
    };
    const machine = await GenStatem.start(system, echo, undefined);
    const sup = await Supervisor.start(system, { strategy: 'one_for_one', children: [] });
    const pool = await DynamicSupervisor.start(system);
    for (const pid of [server.pid, machine.pid, sup.pid, pool.pid]) system.send(pid, hostile.make());
    expect(await server.call({ kind: 'get' })).toBe(1);
    expect(await machine.call({ kind: 'q' })).toBeNull();
    expect(await Supervisor.countChildren(sup)).toMatchObject({ specs: 0 });
    expect(await DynamicSupervisor.countChildren(pool)).toMatchObject({ specs: 0 });
    await system.shutdown();
  });

  test.prop([hostileValue], RUNS)('a hostile spec, definition or options: a typed error, thrown or rejected, never a hang', async (hostile: Hostile) => {
    const { system } = loggingSystem();
    const attempts: Array<() => unknown> = [
      () => Supervisor.start(system, hostile.make() as never),
      () => DynamicSupervisor.start(system, hostile.make() as never),
      () => GenStatem.start(system, hostile.make() as never, undefined),
      () => GenServer.start(system, hostile.make() as never, null),
      () => GenServer.start(system, counter, 0, hostile.make() as never),
      () => GenServer.start(hostile.make() as never, counter, 0),
    ];
    for (const attempt of attempts) {
      let outcome: unknown;
      try {
        outcome = await within(Promise.resolve(attempt()), 2000, 'the start to settle');
      } catch (error) {
        outcome = error;
      }
      // fc.anything() may produce a valid value ({} options, {} dynamic spec): then it started.
      if (outcome instanceof Error) expectTextMessage(outcome);
    }
    await stillServes(system);
    await system.shutdown();
  });
});
