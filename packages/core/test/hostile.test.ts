import { fc, test } from '@fast-check/vitest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type ActorContext,
  type ActorSystem,
  type Behavior,
  consoleLogger,
  type ExitReason,
  ExitReason as Exit,
  InvalidArgumentError,
  isExitReason,
  type Logger,
  NoopInstrumentation,
  TestClock,
} from '../src/index.js';
import { deferred, hostileValue, makeHostile, quietSystem, within } from './helpers.js';

/** The error `fn` throws synchronously (undefined if none). */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

function expectInvalid(fn: () => unknown, argument: string): void {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(InvalidArgumentError);
  expect((error as InvalidArgumentError).code).toBe('INVALID_ARGUMENT');
  expect((error as InvalidArgumentError).argument).toBe(argument);
}

/** Proof the system still works: a fresh actor gets a message handled. */
async function stillProcessing(system: ActorSystem): Promise<void> {
  const handled = deferred<string>();
  const ref = system.spawn<string>((m) => handled.resolve(m), { type: 'canary' });
  ref.send('alive');
  expect(await within(handled.promise, 2000, 'the canary to handle a message')).toBe('alive');
}

type Phase = 'init' | 'receive' | 'signal' | 'terminate';
type How = 'throw' | 'reject' | 'then-getter-throws' | 'then-throws';

/** What a misbehaving handler does with `value`. */
function misbehave(how: How, value: unknown): unknown {
  switch (how) {
    case 'throw':
      throw value;
    case 'reject':
      return Promise.reject(value); // eslint-disable-line @typescript-eslint/prefer-promise-reject-errors -- hostile on purpose
    case 'then-getter-throws':
      return Object.defineProperty({}, 'then', {
        get() {
          throw value;
        },
      });
    case 'then-throws':
      return {
        then() {
          throw value;
        },
      };
  }
}

function hostileLogger(kind: 'none' | 'console' | 'throwing'): Logger | null {
  if (kind === 'none') return null;
  if (kind === 'console') return consoleLogger;
  return {
    warn() {
      throw makeHostile('revoked-proxy');
    },
    error() {
      throw makeHostile('throwing-toString');
    },
  };
}

describe('hostile values at every boundary where user code runs', () => {
  afterEach(() => vi.restoreAllMocks());

  test.prop(
    [
      hostileValue,
      fc.constantFrom<Phase>('init', 'receive', 'signal', 'terminate'),
      fc.constantFrom<How>('throw', 'reject', 'then-getter-throws', 'then-throws'),
      fc.constantFrom('none' as const, 'console' as const, 'throwing' as const),
    ],
    { numRuns: 200 },
  )('anything thrown or rejected ends the actor with an exit reason; the system keeps processing', async (hostile, phase, how, logger) => {
    const written = vi.spyOn(console, 'error').mockImplementation(() => {});
    const system = quietSystem({ logger: hostileLogger(logger) });
    const value = hostile.make();
    const behavior: Behavior<string> = {
      init: () => (phase === 'init' ? misbehave(how, value) : undefined) as void,
      receive: (m: string, ctx: ActorContext<string>) => {
        if (phase === 'receive') return misbehave(how, value) as void;
        if (m === 'stop') ctx.stop();
      },
      handleSignal: () => (phase === 'signal' ? misbehave(how, value) : undefined) as void,
      terminate: () => (phase === 'terminate' ? misbehave(how, value) : undefined) as void,
    };
    const ref = system.spawn(behavior, { type: 'hostile', trapExit: true });
    if (phase === 'signal') system.exit(ref, Exit.custom('poke'));
    ref.send('stop');
    const reason: ExitReason = await within(system.join(ref.pid), 2000, 'the hostile actor to exit');
    // (in terminate too: as in OTP, a crash there replaces the exit reason)
    expect(reason.kind).toBe('error');
    // the exit reason carries exactly what was thrown (a throwing `then` getter: what it threw)
    expect((reason as { error: unknown }).error).toBe(value);
    await stillProcessing(system);
    if (logger === 'console') {
      for (const call of written.mock.calls) expect(typeof call[0]).toBe('string');
    }
  });

  test.prop([hostileValue, fc.boolean()])('anything sent as a message is handled, with instrumentation on', async (hostile, perMessage) => {
    const ins = new (class extends NoopInstrumentation {
      override readonly perMessage = perMessage;
      override messageSent(): unknown {
        return perMessage ? undefined : { at: 1 }; // some messages travel in envelopes
      }
    })();
    const system = quietSystem({ instrumentation: ins });
    const value = hostile.make();
    const got = deferred<unknown[]>();
    const ref = system.spawn((m) => got.resolve([m]), { type: 'receiver' }); // boxed: a promise would probe its `then`
    expect(ref.send(value)).toBe(true);
    const [received] = await within(got.promise, 2000, 'the hostile message');
    expect(received === value || (Number.isNaN(received) && Number.isNaN(value))).toBe(true);
    await stillProcessing(system);
  });

  test.prop([hostileValue])('consoleLogger never throws, whatever the details hold', (hostile) => {
    const written = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const value = hostile.make();
    expect(() => consoleLogger.error('crash', { error: value })).not.toThrow();
    expect(() => consoleLogger.warn('warn', value as Record<string, unknown>)).not.toThrow();
    expect(typeof written.mock.calls[0]?.[0]).toBe('string');
  });

  test.prop([hostileValue])('a monitor listener that throws anything is logged, never raised', async (hostile) => {
    const system = quietSystem({ logger: hostileLogger('throwing') });
    const listened = deferred();
    const live = system.spawn(() => {}, { type: 'watched' });
    system.monitor(live, () => {
      listened.resolve();
      throw hostile.make();
    });
    system.exit(live, 'kill');
    await within(listened.promise, 2000, 'the listener of a live pid');
    const gone = deferred();
    system.monitor(live, () => {
      gone.resolve();
      throw hostile.make();
    });
    await within(gone.promise, 2000, 'the listener of a dead pid');
    await stillProcessing(system);
  });

  test.prop([hostileValue])('hostile spawn options and behaviours are typed errors, never a raw TypeError', (hostile) => {
    const system = quietSystem();
    const value = hostile.make();
    const error = thrownBy(() => system.spawn(value as never, { type: 'x' }));
    if (error !== undefined) expect((error as { code?: unknown }).code).toMatch(/^INVALID_/);
    const optionsError = thrownBy(() => system.spawn(() => {}, value as never));
    if (optionsError !== undefined) expect((optionsError as { code?: unknown }).code).toMatch(/^INVALID_/);
  });
});

describe('public API arguments are checked synchronously, naming the argument', () => {
  const notPid = hostileValue;

  test.prop([notPid])('anything but a pid', (hostile) => {
    const system = quietSystem();
    const v = hostile.make() as never;
    expectInvalid(() => system.exit(v, 'kill'), 'pid');
    expectInvalid(() => system.join(v), 'pid');
    expectInvalid(() => system.isAlive(v), 'pid');
    expectInvalid(() => system.monitor(v, () => {}), 'pid');
    expectInvalid(() => system.info(v), 'pid');
    expectInvalid(() => system.handle(v), 'pid');
    expectInvalid(() => system.register('name', v), 'pid');
    expectInvalid(() => system.demonitor(v), 'ref');
    expectInvalid(() => system.cancelTimer(v), 'timer');
  });

  test.prop([hostileValue.filter((h) => h.kind !== 'anything' || typeof h.make() !== 'string')])('anything but a name', (hostile) => {
    const system = quietSystem();
    const pid = system.spawn(() => {}, { type: 'x' });
    const v = hostile.make() as never;
    expectInvalid(() => system.register(v, pid), 'name');
    expectInvalid(() => system.unregister(v), 'name');
    expectInvalid(() => system.whereis(v), 'name');
    expectInvalid(() => system.ref(v), 'dest');
    expectInvalid(() => system.sendAfter(v, 'm', 1), 'dest');
  });

  test.prop([hostileValue])('anything as an exit reason: accepted only from the ExitReason union', (hostile) => {
    const system = quietSystem();
    const pid = system.spawn(() => {}, { type: 'x', trapExit: true });
    const v = hostile.make();
    const valid = v === 'kill' || v === 'normal' || v === 'shutdown' || isExitReason(v);
    if (valid) expect(system.exit(pid, v as never)).toBe(true);
    else expectInvalid(() => system.exit(pid, v as never), 'reason');
  });

  it('numbers, arbitrary strings, symbols and null are not exit reasons', () => {
    const system = quietSystem();
    const pid = system.spawn(() => {}, { type: 'x' });
    for (const v of [42, 'boom', Symbol('x'), null, undefined, { kind: 'custom' }, { kind: 'error' }]) {
      expectInvalid(() => system.exit(pid, v as never), 'reason');
    }
    expect(system.isAlive(pid)).toBe(true);
  });

  test.prop([hostileValue])('spawn options of the wrong type', (hostile) => {
    const system = quietSystem();
    const v = hostile.make();
    if (typeof v !== 'boolean' && v !== undefined) expectInvalid(() => system.spawn(() => {}, { trapExit: v as never }), 'options.trapExit');
    if (typeof v !== 'string' && v !== undefined) expectInvalid(() => system.spawn(() => {}, { name: v as never }), 'options.name');
    if ((typeof v !== 'object' || v === null) && v !== undefined) expectInvalid(() => system.spawn(() => {}, v as never), 'options');
  });

  test.prop([hostileValue])('from inside an actor: link, unlink, monitor, trapExit, exit, stop', async (hostile) => {
    const system = quietSystem();
    const errors = deferred<Record<string, unknown>>();
    const ref = system.spawn<string>((_, ctx) => {
      const v = hostile.make() as never;
      errors.resolve({
        link: thrownBy(() => ctx.link(v)),
        unlink: thrownBy(() => ctx.unlink(v)),
        monitor: thrownBy(() => ctx.monitor(v)),
        demonitor: thrownBy(() => ctx.demonitor(v)),
        exit: thrownBy(() => ctx.exit(v, 'kill')),
        trapExit: typeof v === 'boolean' ? 'skip' : thrownBy(() => ctx.trapExit(v)),
        spawnLink: typeof v === 'object' || v === undefined ? 'skip' : thrownBy(() => ctx.spawnLink(() => {}, v)),
        stop: isExitReason(v) || v === undefined ? 'skip' : thrownBy(() => ctx.stop(v)), // undefined: the default, normal
      });
    }, { type: 'inside' });
    ref.send('go');
    const e = await within(errors.promise, 2000, 'the checks to run');
    const expected = { link: 'pid', unlink: 'pid', monitor: 'pid', demonitor: 'ref', exit: 'pid', trapExit: 'flag', spawnLink: 'options', stop: 'reason' };
    for (const [fn, argument] of Object.entries(expected)) {
      if (e[fn] === 'skip') continue;
      expect(e[fn], fn).toBeInstanceOf(InvalidArgumentError);
      expect((e[fn] as InvalidArgumentError).argument, fn).toBe(argument);
    }
    await stillProcessing(system);
  });

  it('send to something that is neither a pid nor a name returns false, counted as refused', () => {
    const system = quietSystem();
    for (const v of [undefined, null, 42, {}, Symbol('s')]) expect(system.send(v as never, 'm')).toBe(false);
    expect(system.stats()).toMatchObject({ sent: 5, refused: 5 });
  });
});

describe('delays', () => {
  // boxed like hostileValue: fast-check cannot hold a revoked Proxy as a generated value
  const delay: fc.Arbitrary<{ make(): unknown }> = fc.oneof(
    fc
      .oneof(
        fc.double(),
        fc.integer({ min: -10, max: 2 ** 40 }),
        fc.constantFrom(0, -0, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 7, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN),
      )
      .map((n) => ({ make: () => n, toString: () => String(n) })),
    hostileValue,
  );
  const isDelay = (d: unknown): d is number => typeof d === 'number' && d >= 0;

  test.prop([delay])('sendAfter takes any finite delay >= 0 and delivers it on time, and refuses the rest', async (boxed) => {
    const d = boxed.make();
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const got: string[] = [];
    const ref = system.spawn<string>((m) => void got.push(m), { type: 'timed' });
    if (!isDelay(d) || d === Number.POSITIVE_INFINITY) {
      expectInvalid(() => system.sendAfter(ref, 'late', d as number), 'ms');
      return;
    }
    const timer = system.sendAfter(ref, 'late', d);
    if (d >= 1 && Number.isSafeInteger(d)) {
      clock.advance(d - 1);
      await system.idle();
      expect(got).toEqual([]);
      expect(system.cancelTimer(timer)).toBe(1);
      return;
    }
    clock.advance(d);
    await system.idle();
    expect(got).toEqual(['late']);
  });

  test.prop([delay])('sendAsync and shutdown take any delay >= 0 (Infinity: never; undefined: the default) and refuse the rest', async (boxed) => {
    const d = boxed.make();
    const system = quietSystem();
    const ref = system.spawn(() => {}, { type: 'x' });
    if (isDelay(d) || d === undefined) {
      const options = d === undefined ? {} : { timeoutMs: d };
      await expect(system.sendAsync(ref, 'm', options)).resolves.toBe(true);
      await within(system.shutdown(options), 2000, 'shutdown');
      expect(system.status).toBe('stopped');
    } else {
      expectInvalid(() => system.sendAsync(ref, 'm', { timeoutMs: d as number }), 'options.timeoutMs');
      expectInvalid(() => system.shutdown({ timeoutMs: d as number }), 'options.timeoutMs');
      expect(system.status).toBe('running');
    }
  });

  it('shutdown with a timeout of 2^31 ms runs every terminate instead of killing after 1 ms', async () => {
    const system = quietSystem();
    const reasons: ExitReason[] = [];
    system.spawn(
      {
        receive() {},
        async terminate(reason) {
          // a terminate that takes longer than the 1 ms Node would clamp 2^31 ms to
          await new Promise((resolve) => setTimeout(resolve, 5));
          reasons.push(reason);
        },
      },
      { type: 'slow-terminate' },
    );
    await system.shutdown({ timeoutMs: 2 ** 31 });
    expect(reasons).toEqual([Exit.shutdown()]);
  });

  describe('with fake timers', () => {
    afterEach(() => vi.useRealTimers());

    it('a sendAsync waiting 2^31 ms + 5 times out after that, not at once', async () => {
      vi.useFakeTimers();
      const system = quietSystem();
      const gate = deferred();
      const ref = system.spawn<number>(() => gate.promise, { type: 'full', mailbox: { capacity: 1, overflow: 'backpressure' } });
      ref.send(1);
      await system.idle();
      ref.send(2);
      let settled: boolean | undefined;
      void ref.sendAsync(3, { timeoutMs: 2 ** 31 + 5 }).then((ok) => (settled = ok));
      await vi.advanceTimersByTimeAsync(2 ** 31 - 1);
      expect(settled).toBeUndefined();
      await vi.advanceTimersByTimeAsync(10);
      expect(settled).toBe(false);
      gate.resolve();
    });
  });
});
