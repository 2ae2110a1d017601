/**
 * Issue 10 §2 and §3: delays of any size (2^31 ms and more honoured, Infinity = never where
 * allowed, anything else refused with a typed error), callers of a server that exits told at
 * once, and the public API's arguments checked.
 */
import { ExitReason, InvalidArgumentError, InvalidConfigError, TestClock } from '@joerl/core';
import { fc, test } from '@fast-check/vitest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type Call,
  CalleeExitedError,
  DynamicSupervisor,
  GenServer,
  type GenServerDefinition,
  GenStatem,
  type GenStatemDefinition,
  NamedServerRef,
  reply,
  ServerRef,
  Supervisor,
} from '../src/index.js';
import { counter, deferred, loggingWorker, quietSystem } from './helpers.js';

const RUNS = { numRuns: 50 };
const MAX_NODE_DELAY = 2 ** 31 - 1;

/** Anything that is not a non-negative number (NaN, negatives, strings, objects...). */
const badDelay = fc.oneof(
  fc.constant(Number.NaN),
  fc.constant(Number.NEGATIVE_INFINITY),
  fc.double({ max: -Number.MIN_VALUE, noNaN: true }),
  fc.anything().filter((v) => typeof v !== 'number' && v !== undefined),
);
/** Any finite delay, small or past Node's 2^31 - 1 ms limit. */
const finiteDelay = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: MAX_NODE_DELAY - 5, max: 2 ** 40 }), fc.double({ min: 0, max: 2 ** 45, noNaN: true }));

describe('delays', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test.prop([badDelay], RUNS)('a call with a timeoutMs that is not a non-negative number throws InvalidArgumentError naming options.timeoutMs', async (ms) => {
    const system = quietSystem();
    const ref = await GenServer.start(system, counter, 0);
    let thrown: unknown;
    try {
      void ref.call({ kind: 'get' }, { timeoutMs: ms as number });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidArgumentError);
    expect(thrown).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'options.timeoutMs' });
    expect(await ref.call({ kind: 'get' })).toBe(0);
  });

  // Timeouts are grouped per millisecond: a call never times out early, and at most 1 ms late
  // (exactly on time for a whole number of ms on a whole-ms clock).
  test.prop([finiteDelay], RUNS)('a call times out after its timeoutMs (rounded up to a whole ms), whatever its size', async (ms) => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const ref = await GenServer.start(system, counter, 0);
    let settled = false;
    const call = ref
      .call({ kind: 'never' }, { timeoutMs: ms })
      .catch((e: unknown) => e)
      .finally(() => (settled = true));
    await system.idle();
    const due = Math.ceil(ms);
    if (due > 1) {
      clock.advance(due - 1);
      await system.idle();
      expect(settled).toBe(false);
    }
    clock.advance(1);
    expect(await call).toMatchObject({ code: 'CALL_TIMEOUT', timeoutMs: ms });
  });

  it('a call timeout past 2^31 ms does not fire early on the real clock (Node would clamp it to 1 ms)', async () => {
    vi.useFakeTimers();
    const system = quietSystem();
    const ref = await GenServer.start(system, counter, 0);
    let settled = false;
    const call = ref
      .call({ kind: 'never' }, { timeoutMs: 2 ** 31 + 10 })
      .catch((e: unknown) => e)
      .finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(MAX_NODE_DELAY);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(11);
    expect(await call).toMatchObject({ code: 'CALL_TIMEOUT' });
  });

  it('a call with timeoutMs Infinity never times out and arms no timer', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const ref = await GenServer.start(system, counter, 0);
    const call = ref.call({ kind: 'never' }, { timeoutMs: Number.POSITIVE_INFINITY }).catch((e: unknown) => e);
    await system.idle();
    expect(clock.pending).toBe(0);
    system.exit(ref.pid, 'kill');
    expect(await call).toMatchObject({ code: 'CALLEE_EXITED' });
  });

  test.prop([badDelay, fc.constantFrom('stateTimeout', 'eventTimeout', 'timeout')], RUNS)(
    'a GenStatem timeout action with a bad delay throws InvalidArgumentError naming ms',
    (ms, action) => {
      const make = (): unknown =>
        action === 'timeout' ? GenStatem.timeout('t', ms as number, { kind: 'x' }) : GenStatem[action](ms as number, { kind: 'x' });
      expect(make).toThrow(InvalidArgumentError);
      expect(() => make()).toThrow(/invalid ms/);
    },
  );

  it('a GenStatem state timeout past 2^31 ms fires at its time on the real clock, not early', async () => {
    vi.useFakeTimers();
    const system = quietSystem();
    const fired: string[] = [];
    type Ev = { kind: 'wake' };
    const def: GenStatemDefinition<'asleep' | 'awake', null, Ev> = {
      type: 'sleeper',
      states: ['asleep', 'awake'],
      init: () => GenStatem.init('asleep', null, [GenStatem.stateTimeout(2 ** 32, { kind: 'wake' })]),
      handleEvent: (e, _s, d) => (fired.push(e.kind), GenStatem.nextState('awake', d)),
    };
    await GenStatem.start(system, def, undefined);
    await vi.advanceTimersByTimeAsync(2 ** 32 - 1);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toEqual(['wake']);
  });

  it("a child's shutdown past 2^31 ms gives it that long before the kill; Infinity is 'infinity'", async () => {
    vi.useFakeTimers();
    const system = quietSystem();
    const stubborn = {
      id: 'stubborn',
      shutdown: 2 ** 31 + 10,
      start: (sup: Parameters<Parameters<typeof Supervisor.startChild>[1]['start']>[0]) =>
        sup.spawn({ init: (ctx) => void ctx.trapExit(true), receive() {}, handleSignal() {} }, { link: true, type: 'stubborn' }),
    };
    const sup = await Supervisor.start(system, { strategy: 'one_for_one', children: [stubborn, loggingWorker([], 'patient', { shutdown: Number.POSITIVE_INFINITY })] });
    const [child] = await Supervisor.whichChildren(sup);
    let done = false;
    const terminated = Supervisor.terminateChild(sup, 'stubborn').then(() => (done = true));
    await vi.advanceTimersByTimeAsync(MAX_NODE_DELAY);
    expect(done).toBe(false);
    expect(system.isAlive(child!.pid!)).toBe(true);
    await vi.advanceTimersByTimeAsync(11);
    await terminated;
    expect(system.isAlive(child!.pid!)).toBe(false);
  });

  test.prop([fc.oneof(badDelay, fc.constant('forever'))], RUNS)("a child's shutdown that is not ms, Infinity, 'infinity' or 'brutal_kill' rejects the start with InvalidConfigError", async (shutdown) => {
    const system = quietSystem();
    const error = await Supervisor.start(system, { strategy: 'one_for_one', children: [loggingWorker([], 'a', { shutdown: shutdown as number })] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidConfigError);
  });

  it('a restart period past 2^31 ms counts every restart within it', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const sup = await Supervisor.start(system, { strategy: 'one_for_one', intensity: 1, periodMs: 2 ** 33, children: [loggingWorker([], 'a')] });
    const exited = system.join(sup.pid);
    for (let i = 0; i < 2; i++) {
      const [child] = await Supervisor.whichChildren(sup);
      system.exit(child!.pid!, ExitReason.custom('boom'));
      await system.join(child!.pid!);
      await system.idle();
      clock.advance(2 ** 32);
    }
    expect((await exited).kind).toBe('shutdown');
  });

  test.prop([fc.oneof(badDelay, fc.constant(0), fc.constant(Number.POSITIVE_INFINITY))], RUNS)('a restart period that is not a positive finite number rejects the start with InvalidConfigError', async (periodMs) => {
    const system = quietSystem();
    await expect(Supervisor.start(system, { strategy: 'one_for_one', periodMs: periodMs as number, children: [] })).rejects.toBeInstanceOf(InvalidConfigError);
    await expect(DynamicSupervisor.start(system, { periodMs: periodMs as number })).rejects.toBeInstanceOf(InvalidConfigError);
  });
});

describe('a caller waiting on a server that exits is told at once, never by a timeout', () => {
  type Slow = Call<{ kind: 'slow' }, null> | Call<{ kind: 'queued' }, null>;
  const gate = (): { def: GenServerDefinition<null, null, Slow>; release: () => void } => {
    const d = deferred();
    return {
      release: () => d.resolve(),
      def: {
        type: 'gated',
        init: () => GenServer.ok(null),
        handleCall: async (_r, _f, s) => (await d.promise, GenServer.reply(null, s)),
      },
    };
  };

  it('by name, killed while handling another request: the queued call rejects with CalleeExitedError without the clock moving', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const { def } = gate();
    const ref = await GenServer.start(system, def, null, { name: 'gated' });
    const named = GenServer.named<Slow>(system, 'gated');
    void named.call({ kind: 'slow' }).catch(() => undefined);
    const queued = named.call({ kind: 'queued' }).catch((e: unknown) => e); // never dequeued
    await system.idle();
    system.exit(ref.pid, 'kill');
    const error = await queued;
    expect(error).toBeInstanceOf(CalleeExitedError);
    expect(error).toMatchObject({ server: 'gated', reason: ExitReason.killed });
    expect(clock.now()).toBe(0);
  });

  test.prop([fc.constantFrom<'kill' | 'shutdown' | 'custom' | 'stop'>('kill', 'shutdown', 'custom', 'stop')], { numRuns: 8 })(
    'however it exits (kill, exit signal, stop), a pending call rejects with CalleeExitedError',
    async (how) => {
      const clock = new TestClock();
      const system = quietSystem({ clock });
      const ref = await GenServer.start(system, counter, 0);
      const call = ref.call({ kind: 'never' }).catch((e: unknown) => e);
      await system.idle();
      if (how === 'stop') await ref.stop(ExitReason.normal);
      else system.exit(ref.pid, how === 'kill' ? 'kill' : how === 'shutdown' ? 'shutdown' : ExitReason.custom('gone'));
      expect(await call).toBeInstanceOf(CalleeExitedError);
      expect(clock.now()).toBe(0);
    },
  );
});

describe("the public API's arguments", () => {
  test.prop([fc.anything()], RUNS)('refs and starts refuse a system, starter, pid or name of the wrong type with InvalidArgumentError naming it', async (bad) => {
    const system = quietSystem();
    const cases: Array<[() => unknown, string]> = [
      [() => ServerRef.of(bad as never, system.rootPid), 'system'],
      [() => ServerRef.of(system, bad as never), 'pid'],
      [() => NamedServerRef.of(system, bad as never), 'name'],
      [() => GenServer.named(bad as never, 'x'), 'system'],
      [() => GenStatem.ref(system, bad as never), 'pid'],
      [() => GenServer.start(bad as never, counter, 0), 'starter'],
      [() => Supervisor.whichChildren(bad as never), 'sup'],
      [() => DynamicSupervisor.terminateChild(DynamicSupervisor.named(system, 'p'), bad as never), 'pid'],
    ];
    for (const [call, argument] of cases) {
      if (argument === 'name' && typeof bad === 'string' && bad.length > 0) continue;
      expect(call).toThrow(InvalidArgumentError);
      try {
        call();
      } catch (error) {
        expect((error as InvalidArgumentError).argument).toBe(argument);
      }
    }
  });

  it('a start with options of the wrong type throws InvalidArgumentError naming the option', () => {
    const system = quietSystem();
    expect(() => GenServer.start(system, counter, 0, { name: 42 as never })).toThrow(expect.objectContaining({ argument: 'options.name' }) as Error);
    expect(() => GenServer.start(system, counter, 0, { trapExit: 'yes' as never })).toThrow(expect.objectContaining({ argument: 'options.trapExit' }) as Error);
    expect(() => Supervisor.start(system, { strategy: 'one_for_one', children: [] }, 'sup' as never)).toThrow(expect.objectContaining({ argument: 'options' }) as Error);
  });
});

describe('exit reasons, froms and child spec options given to the API', () => {
  test.prop([fc.anything().filter((v) => v !== undefined && !(typeof v === 'object' && v !== null && 'kind' in v))], RUNS)(
    'a reason that is not an ExitReason throws InvalidArgumentError naming reason',
    async (bad) => {
      const system = quietSystem();
      const ref = await GenServer.start(system, counter, 0);
      for (const make of [() => ref.stop(bad as never), () => GenServer.stop(bad as never, null), () => GenServer.stopAndReply(bad as never, 1, null), () => GenStatem.stop(bad as never, null)]) {
        expect(make).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'reason' }) as Error);
      }
      expect(system.isAlive(ref.pid)).toBe(true);
    },
  );

  test.prop([fc.anything()], RUNS)('reply and GenStatem.reply refuse anything but a from', (bad) => {
    expect(() => reply(bad as never, 1)).toThrow(expect.objectContaining({ argument: 'from' }) as Error);
    if (bad !== null) expect(() => GenStatem.reply(bad as never, 1)).toThrow(expect.objectContaining({ argument: 'from' }) as Error);
  });

  it('a childSpec helper refuses options that are not an object', () => {
    expect(() => GenServer.childSpec(counter, 0, null as never)).toThrow(expect.objectContaining({ argument: 'options' }) as Error);
  });
});
