import { ExitReason, NameTakenError } from '@joerl/core';
import { describe, expect, it } from 'vitest';
import { type Call, type From, GenServer, type GenServerDefinition, InitFailedError, reply, type ServerRef } from '../src/index.js';
import { type CounterCall, type CounterCast, counter, deferred, quietSystem } from './helpers.js';

describe('GenServer', () => {
  it('start resolves once init has run, with a ref that calls and casts', async () => {
    const system = quietSystem();
    const ref = await GenServer.start(system, counter, 40);
    expect(system.info(ref.pid)?.status).not.toBe('starting');
    ref.cast({ kind: 'inc' });
    expect(await ref.call({ kind: 'add', n: 1 })).toBe(42);
    await system.shutdown();
  });

  it('plain messages go to handleInfo, in order with calls and casts', async () => {
    const system = quietSystem();
    const seen: string[] = [];
    const def: GenServerDefinition<null, null, Call<{ kind: 'seen' }, string[]>, { kind: 'c' }, string> = {
      type: 'info-server',
      init: () => GenServer.ok(null),
      handleCall: (_r, _f, s) => GenServer.reply(seen.slice(), s),
      handleCast: (_r, s) => (seen.push('cast'), GenServer.noreply(s)),
      handleInfo: (m, s) => (seen.push(typeof m === 'string' ? m : m.kind), GenServer.noreply(s)),
    };
    const ref = await GenServer.start(system, def, null);
    system.send(ref.pid, 'hello');
    ref.cast({ kind: 'c' });
    system.send(ref.pid, 'bye');
    expect(await ref.call({ kind: 'seen' })).toEqual(['hello', 'cast', 'bye']);
  });

  it('a call handler can keep `from` and reply later', async () => {
    const system = quietSystem();
    type Req = Call<{ kind: 'wait' }, string> | Call<{ kind: 'release'; value: string }, number>;
    const def: GenServerDefinition<From<string | number>[], null, Req> = {
      type: 'barrier',
      init: () => GenServer.ok([]),
      handleCall(req, from, waiting) {
        if (req.kind === 'wait') return GenServer.noreply([...waiting, from]);
        for (const w of waiting) reply(w, req.value);
        return GenServer.reply(waiting.length, []);
      },
    };
    const ref = await GenServer.start(system, def, null);
    const a = ref.call({ kind: 'wait' });
    const b = ref.call({ kind: 'wait' });
    expect(await ref.call({ kind: 'release', value: 'go' })).toBe(2);
    expect(await Promise.all([a, b])).toEqual(['go', 'go']);
  });

  it('a call handler can stop the server with a reply, and terminate sees the final state', async () => {
    const system = quietSystem();
    const terminated: [string, number][] = [];
    const def: GenServerDefinition<number, null, Call<{ kind: 'quit' }, string>> = {
      type: 'quitter',
      init: () => GenServer.ok(1),
      handleCall: (_req, _from, n) => GenServer.stopAndReply(ExitReason.shutdown('asked'), 'bye', n + 1),
      terminate: (reason, n) => void terminated.push([reason.kind, n]),
    };
    const ref = await GenServer.start(system, def, null);
    const exited = system.join(ref.pid);
    expect(await ref.call({ kind: 'quit' })).toBe('bye');
    expect(await exited).toEqual(ExitReason.shutdown('asked'));
    expect(terminated).toEqual([['shutdown', 2]]);
  });

  it('stop() stops the server in order, running terminate with its state', async () => {
    const system = quietSystem();
    const terminated: number[] = [];
    const ref = await GenServer.start(system, { ...counter, terminate: (_r, n) => void terminated.push(n) }, 1);
    ref.cast({ kind: 'inc' });
    await ref.stop();
    expect(terminated).toEqual([2]);
    expect(ref.isAlive()).toBe(false);
  });

  it('start rejects with InitFailedError when init throws, and with its reason when init asks to stop', async () => {
    const system = quietSystem();
    const throwing: GenServerDefinition<null, null> = {
      type: 'bad',
      init() {
        throw new Error('no config');
      },
    };
    const err = await GenServer.start(system, throwing, null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InitFailedError);
    expect((err as InitFailedError).code).toBe('INIT_FAILED');
    expect((err as InitFailedError).reason.kind).toBe('error');
    const stopping: GenServerDefinition<null, null> = { type: 'bad', init: () => GenServer.stopInit(ExitReason.custom('no_db')) };
    const err2 = (await GenServer.start(system, stopping, null).catch((e: unknown) => e)) as InitFailedError;
    expect(err2.reason).toEqual(ExitReason.custom('no_db'));
    expect(system.actors()).toEqual([]);
  });

  it('an async init is awaited before start resolves', async () => {
    const system = quietSystem();
    const ref = await GenServer.start(system, { ...counter, init: async (n: number) => GenServer.ok(await Promise.resolve(n * 2)) }, 21);
    expect(await ref.call({ kind: 'get' })).toBe(42);
  });

  it('a taken name rejects the start with NameTakenError', async () => {
    const system = quietSystem();
    await GenServer.start(system, counter, 0, { name: 'c' });
    await expect(GenServer.start(system, counter, 0, { name: 'c' })).rejects.toBeInstanceOf(NameTakenError);
  });

  it('a named ref reaches whichever server holds the name', async () => {
    const system = quietSystem();
    const first = await GenServer.start(system, counter, 1, { name: 'c' });
    const named = GenServer.named<CounterCall>(system, 'c');
    expect(await named.call({ kind: 'get' })).toBe(1);
    await first.stop();
    await GenServer.start(system, counter, 2, { name: 'c' });
    expect(await named.call({ kind: 'get' })).toBe(2);
  });

  it('started from an actor, the server is its child; link: true links them', async () => {
    const system = quietSystem();
    const started = deferred<ServerRef<CounterCall, CounterCast>>();
    const parent = system.spawn(
      {
        init(ctx) {
          GenServer.start(ctx, counter, 0, { link: true }).then(started.resolve, started.reject);
        },
        receive() {},
      },
      { type: 'parent' },
    );
    const ref = await started.promise;
    expect(system.info(ref.pid)?.parent).toBe(parent.pid);
    expect(system.info(ref.pid)?.links).toContain(parent.pid);
    expect(system.info(parent.pid)?.parent).toBeNull();
  });

  it('handleInfo receives down signals of monitors, and exit signals when trapping exits', async () => {
    const system = quietSystem();
    const watched = system.spawn(() => {}, { type: 'watched' });
    const linked = system.spawn(() => {}, { type: 'linked' });
    const signals: string[] = [];
    const def: GenServerDefinition<null, null, never, never, string> = {
      type: 'watcher',
      init(_arg, ctx) {
        ctx.trapExit(true);
        ctx.monitor(watched.pid);
        ctx.link(linked.pid);
        return GenServer.ok(null);
      },
      handleInfo: (m, s) => (typeof m !== 'string' && signals.push(`${m.kind}:${m.reason.kind}`), GenServer.noreply(s)),
    };
    const ref = await GenServer.start(system, def, null);
    system.exit(watched.pid, 'kill');
    system.exit(linked.pid, ExitReason.custom('gone'));
    await Promise.all([system.join(watched.pid), system.join(linked.pid)]);
    await ref.stop(); // handled after both signals
    expect(signals.sort()).toEqual(['down:killed', 'exit:custom']);
  });

  it('a callback returning a bad value crashes the server with BadReturnError', async () => {
    const system = quietSystem();
    const def = { ...counter, handleCast: () => undefined as never };
    const ref = await GenServer.start(system, def, 0);
    ref.cast({ kind: 'inc' });
    const reason = await system.join(ref.pid);
    expect(reason.kind === 'error' && (reason.error as { code: string }).code).toBe('BAD_RETURN');
  });
});
