import { ExitReason, TestClock } from '@joerl/core';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  type Call,
  CalleeExitedError,
  CallTimeoutError,
  type From,
  GenServer,
  type GenServerDefinition,
  NoProcError,
  pendingCalls,
  reply,
  type ReplyOf,
  ServerBusyError,
} from '../src/index.js';
import { type CounterCall, counter, deferred, quietSystem } from './helpers.js';

describe('calls', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a call whose request declares a reply type resolves to that type', async () => {
    const system = quietSystem();
    const ref = await GenServer.start(system, counter, 1);
    const n = ref.call({ kind: 'get' });
    expectTypeOf(n).toEqualTypeOf<Promise<number>>();
    expectTypeOf<ReplyOf<CounterCall, { kind: 'never' }>>().toEqualTypeOf<string>();
    expectTypeOf<ReplyOf<CounterCall, { kind: 'add'; n: number }>>().toEqualTypeOf<number>();
    const typeOnly = () =>
      // @ts-expect-error: not a request of this server
      ref.call({ kind: 'nope' });
    void typeOnly;
    expect(await n).toBe(1);
  });

  it('a call times out after 5000 ms by default, rejecting with CallTimeoutError', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const ref = await GenServer.start(system, counter, 0);
    const call = ref.call({ kind: 'never' });
    let settled = false;
    call.catch(() => undefined).finally(() => (settled = true));
    clock.advance(4999);
    await system.idle();
    expect(settled).toBe(false);
    clock.advance(1);
    const err = await call.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallTimeoutError);
    expect(err).toMatchObject({ code: 'CALL_TIMEOUT', server: ref.pid, timeoutMs: 5000 });
  });

  it('timeoutMs sets the call timeout (driven by vi fake timers through the default clock)', async () => {
    vi.useFakeTimers();
    const system = quietSystem();
    const ref = await GenServer.start(system, counter, 0);
    const call = ref.call({ kind: 'never' }, { timeoutMs: 100 });
    const caught = call.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(await caught).toMatchObject({ code: 'CALL_TIMEOUT', timeoutMs: 100 });
  });

  it('a late reply after a timeout is dropped and leaves no pending call behind', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    let kept: From<string> | undefined;
    const def: GenServerDefinition<null, null, Call<{ kind: 'slow' }, string>> = {
      type: 'slow',
      init: () => GenServer.ok(null),
      handleCall: (_r, from, s) => ((kept = from), GenServer.noreply(s)),
    };
    const ref = await GenServer.start(system, def, null);
    const call = ref.call({ kind: 'slow' }, { timeoutMs: 10 }).catch((e: unknown) => e);
    await system.idle();
    expect(pendingCalls(system)).toBe(1);
    clock.advance(10);
    expect(await call).toBeInstanceOf(CallTimeoutError);
    expect(reply(kept!, 'too late')).toBe(false);
    expect(pendingCalls(system)).toBe(0);
    expect(clock.pending).toBe(0);
    expect(system.info(ref.pid)?.monitoredBy).toEqual([]);
  });

  it('an answered call leaves no timer (once the macrotask ends), monitor or pending entry', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const ref = await GenServer.start(system, counter, 0);
    await ref.call({ kind: 'get' });
    expect(pendingCalls(system)).toBe(0);
    await system.idle();
    expect(clock.pending).toBe(0);
    expect(system.info(ref.pid)?.monitoredBy).toEqual([]);
  });

  it('a call to a dead pid or an unknown name rejects with NoProcError', async () => {
    const system = quietSystem();
    const ref = await GenServer.start(system, counter, 0);
    await ref.stop();
    const dead = await ref.call({ kind: 'get' }).catch((e: unknown) => e);
    expect(dead).toBeInstanceOf(NoProcError);
    expect(dead).toMatchObject({ code: 'NOPROC', server: ref.pid });
    const unknown = await GenServer.named(system, 'nobody').call({}).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'NOPROC', server: 'nobody' });
  });

  it('a server that dies during the call rejects the caller with its exit reason', async () => {
    const system = quietSystem();
    const ref = await GenServer.start(system, counter, 0);
    const err = await ref.call({ kind: 'crash' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CalleeExitedError);
    expect((err as CalleeExitedError).code).toBe('CALLEE_EXITED');
    const reason = (err as CalleeExitedError).reason;
    expect(reason.kind === 'error' && (reason.error as Error).message).toBe('boom');
    expect(pendingCalls(system)).toBe(0);
  });

  it('a server killed while a deferred call waits rejects that caller with killed', async () => {
    const system = quietSystem();
    const ref = await GenServer.start(system, counter, 0);
    const call = ref.call({ kind: 'never' }).catch((e: unknown) => e);
    await system.idle();
    system.exit(ref.pid, 'kill');
    expect(await call).toMatchObject({ code: 'CALLEE_EXITED', reason: ExitReason.killed });
  });

  it('a call the full mailbox refuses rejects with ServerBusyError', async () => {
    const system = quietSystem();
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    const def: GenServerDefinition<null, null, Call<{ kind: 'block' }, null>, { kind: 'x' }> = {
      type: 'busy',
      init: () => GenServer.ok(null),
      handleCall: async (_r, _f, s) => (await blocked, GenServer.reply(null, s)),
      handleCast: (_r, s) => GenServer.noreply(s),
    };
    const ref = await GenServer.start(system, def, null, { mailbox: { capacity: 1 } });
    const first = ref.call({ kind: 'block' });
    await system.idle();
    expect(ref.cast({ kind: 'x' })).toBe(true); // fills the mailbox
    const err = await ref.call({ kind: 'block' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerBusyError);
    expect((err as ServerBusyError).code).toBe('MAILBOX_FULL');
    release();
    expect(await first).toBeNull();
  });

  it('a call from inside an actor names it as the caller', async () => {
    const system = quietSystem();
    let caller: unknown;
    const def: GenServerDefinition<null, null, Call<{ kind: 'who' }, null>> = {
      type: 'who',
      init: () => GenServer.ok(null),
      handleCall: (_r, from, s) => ((caller = from.caller), GenServer.reply(null, s)),
    };
    const ref = await GenServer.start(system, def, null);
    const done = deferred();
    const client = system.spawn(
      {
        async init(ctx) {
          await ref.call({ kind: 'who' }, { caller: ctx });
          done.resolve();
        },
        receive() {},
      },
      { type: 'client' },
    );
    await done.promise;
    expect(caller).toBe(client.pid);
  });
});
