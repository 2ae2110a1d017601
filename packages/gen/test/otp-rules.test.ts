/**
 * The OTP rules of issue 11, each checked against Erlang/OTP 25 with an escript before it was
 * written; each test names the rule it holds.
 */
import { type DownSignal, ExitReason, type Pid, type Signal, TestClock } from '@joerl/core';
import { describe, expect, it } from 'vitest';
import {
  type Call,
  CallingSelfError,
  DEFAULT_INTENSITY,
  DEFAULT_PERIOD_MS,
  DynamicSupervisor,
  GenServer,
  type GenServerDefinition,
  GenStatem,
  type GenStatemDefinition,
  IGNORED,
  MAX_RESTART_INTENSITY,
  pendingCalls,
  ServerRef,
  Supervisor,
} from '../src/index.js';
import { counter, type CounterCall, deferred, loggingWorker, quietSystem, started } from './helpers.js';

type StopCall = Call<{ kind: 'stop' }, string>;

describe('OTP rule: stop with a reply', () => {
  it('gen_server: the reply of stop_and_reply reaches the caller only after terminate has returned', async () => {
    const system = quietSystem();
    const log: string[] = [];
    const release = deferred();
    const def: GenServerDefinition<null, null, StopCall> = {
      type: 'stopper',
      init: () => GenServer.ok(null),
      handleCall: (_req, _from, s) => GenServer.stopAndReply(ExitReason.normal, 'bye', s),
      async terminate() {
        log.push('terminate:begin');
        await release.promise;
        log.push('terminate:end');
      },
    };
    const ref = await GenServer.start(system, def, null);
    const call = ref.call({ kind: 'stop' }).then((r) => log.push(`reply:${r}`));
    await system.idle();
    expect(log).toEqual(['terminate:begin']);
    release.resolve();
    await call;
    expect(log).toEqual(['terminate:begin', 'terminate:end', 'reply:bye']);
  });

  it('gen_server: the reply is still sent when terminate crashes (try ... after), and the exit reason is the crash', async () => {
    const system = quietSystem();
    const def: GenServerDefinition<null, null, StopCall> = {
      type: 'stopper',
      init: () => GenServer.ok(null),
      handleCall: (_req, _from, s) => GenServer.stopAndReply(ExitReason.normal, 'bye', s),
      terminate() {
        throw new Error('cleanup failed');
      },
    };
    const ref = await GenServer.start(system, def, null);
    const exited = system.join(ref.pid);
    expect(await ref.call({ kind: 'stop' })).toBe('bye');
    const reason = await exited;
    expect(reason.kind === 'error' && (reason.error as Error).message).toBe('cleanup failed');
  });

  it('gen_statem (unlike gen_server): the replies of a stop are sent before terminate runs', async () => {
    const system = quietSystem();
    const log: string[] = [];
    const release = deferred();
    const def: GenStatemDefinition<'on', null, StopCall> = {
      type: 'statem-stopper',
      states: ['on'],
      init: () => GenStatem.init('on', null),
      handleEvent: (_e, _s, d, { from }) => GenStatem.stop(ExitReason.normal, d, [GenStatem.reply(from, 'bye')]),
      async terminate() {
        log.push('terminate:begin');
        await release.promise;
      },
    };
    const ref = await GenStatem.start(system, def, undefined);
    const reply = await ref.call({ kind: 'stop' });
    log.push(`reply:${reply}`);
    release.resolve();
    await system.join(ref.pid);
    expect(log).toEqual(['terminate:begin', 'reply:bye']);
  });
});

type Flag = { readonly enabled: boolean };
const optional: GenServerDefinition<null, Flag, Call<{ kind: 'ping' }, string>, never, never, true> = {
  type: 'optional',
  init: (flag) => (flag.enabled ? GenServer.ok(null) : GenServer.ignore()),
  handleCall: (_req, _from, s) => GenServer.reply('pong', s),
  terminate() {
    throw new Error('an ignored server never ran, so its terminate must not run');
  },
};

describe('OTP rule: init can return ignore', () => {
  it('start resolves with the ignored result and no pid; nothing stays alive', async () => {
    const system = quietSystem();
    const result = await GenServer.start(system, optional, { enabled: false });
    expect(result).toBe(IGNORED);
    expect(result.pid).toBeNull();
    await system.idle();
    expect(system.actors()).toEqual([]);
  });

  it('a supervisor keeps an ignored child in its list with no pid, counts it as a spec, and starts the rest', async () => {
    const system = quietSystem();
    const log: string[] = [];
    const sup = await Supervisor.start(system, {
      strategy: 'one_for_one',
      children: [
        GenServer.childSpec(optional, { enabled: false }, { id: 'a' }),
        loggingWorker(log, 'b'),
        GenServer.childSpec(optional, { enabled: false }, { id: 'c', restart: 'temporary' }),
        GenServer.childSpec(optional, { enabled: false }, { id: 'd', restart: 'transient' }),
      ],
    });
    expect(log).toEqual(['start:b']);
    const children = await Supervisor.whichChildren(sup);
    // OTP: which_children shows {a, undefined, ...}; a temporary ignored child is not kept.
    expect(children.map((c) => [c.id, c.pid === null])).toEqual([
      ['a', true],
      ['b', false],
      ['d', true],
    ]);
    expect(await Supervisor.countChildren(sup)).toEqual({ specs: 3, active: 1, supervisors: 0, workers: 3 });
  });

  it('restartChild of an ignored child starts it again and resolves null if it is ignored again (OTP: {ok, undefined})', async () => {
    const system = quietSystem();
    let enabled = false;
    const sup = await Supervisor.start(system, {
      strategy: 'one_for_one',
      children: [{ id: 'a', start: (s) => GenServer.start(s, optional, { enabled }, { link: true }) }],
    });
    expect(await Supervisor.restartChild(sup, 'a')).toBeNull();
    enabled = true;
    const pid = started(await Supervisor.restartChild(sup, 'a'));
    expect(await ServerRef.of<Call<{ kind: 'ping' }, string>>(system, pid).call({ kind: 'ping' })).toBe('pong');
  });

  it('startChild of an ignored child resolves null and keeps its spec, unless it is temporary', async () => {
    const system = quietSystem();
    const sup = await Supervisor.start(system, { strategy: 'one_for_one', children: [] });
    expect(await Supervisor.startChild(sup, GenServer.childSpec(optional, { enabled: false }, { id: 'e' }))).toBeNull();
    expect(await Supervisor.startChild(sup, GenServer.childSpec(optional, { enabled: false }, { id: 'f', restart: 'temporary' }))).toBeNull();
    expect((await Supervisor.whichChildren(sup)).map((c) => c.id)).toEqual(['e']);
  });

  it('a GenStatem init can return ignore too: start resolves with IGNORED, onEnter and terminate never run', async () => {
    const system = quietSystem();
    const ran: string[] = [];
    const def: GenStatemDefinition<'on', null, { kind: 'x' }, boolean, never, true> = {
      type: 'optional-statem',
      states: ['on'],
      init: (enabled) => (enabled ? GenStatem.init('on', null) : GenStatem.ignore()),
      handleEvent: (_e, _s, d) => GenStatem.keepState(d),
      onEnter: () => void ran.push('onEnter'),
      terminate: () => void ran.push('terminate'),
    };
    expect(await GenStatem.start(system, def, false)).toBe(IGNORED);
    await system.idle();
    expect(system.actors()).toEqual([]);
    expect(ran).toEqual([]);
  });

  it('a dynamic supervisor adds no child for an ignored start, and startChild resolves null', async () => {
    const system = quietSystem();
    const pool = await DynamicSupervisor.start(system);
    expect(await DynamicSupervisor.startChild(pool, { start: (s) => GenServer.start(s, optional, { enabled: false }, { link: true }) })).toBeNull();
    expect((await DynamicSupervisor.countChildren(pool)).specs).toBe(0);
  });
});

describe('OTP rule: a crash inside terminate replaces the exit reason', () => {
  const crashingTerminate: GenServerDefinition<null, null, StopCall, { kind: 'stop' }> = {
    type: 'bad-cleanup',
    init: () => GenServer.ok(null),
    handleCast: (_req, s) => GenServer.stop(ExitReason.normal, s),
    terminate() {
      throw new Error('cleanup failed');
    },
  };

  it('monitors and links see the error, not the normal reason the server stopped with', async () => {
    const system = quietSystem();
    const ref = await GenServer.start(system, crashingTerminate, null);
    const down = deferred<DownSignal>();
    system.monitor(ref.pid, down.resolve);
    const linked = deferred<Signal>();
    system.spawn(
      {
        init: (ctx) => void (ctx.trapExit(true), ctx.link(ref.pid)),
        receive() {},
        handleSignal: (signal) => linked.resolve(signal),
      },
      { type: 'linker' },
    );
    await system.idle();
    ref.cast({ kind: 'stop' });
    const [d, l] = await Promise.all([down.promise, linked.promise]);
    expect(d.reason.kind === 'error' && (d.reason.error as Error).message).toBe('cleanup failed');
    expect(l.kind === 'exit' && l.reason.kind).toBe('error');
  });

  it('a transient child that stops normally but crashes in terminate is restarted', async () => {
    const system = quietSystem();
    let starts = 0;
    const sup = await Supervisor.start(system, {
      strategy: 'one_for_one',
      children: [
        {
          id: 'w',
          restart: 'transient',
          start: (s) => {
            starts++;
            return GenServer.start(s, crashingTerminate, null, { link: true });
          },
        },
      ],
    });
    const [first] = await Supervisor.whichChildren(sup);
    ServerRef.of<never, { kind: 'stop' }>(system, first!.pid!).cast({ kind: 'stop' });
    await system.join(first!.pid!);
    await system.idle();
    const [second] = await Supervisor.whichChildren(sup);
    expect(starts).toBe(2);
    expect(second?.pid).not.toBeNull();
    expect(second?.pid).not.toBe(first?.pid);
  });
});

describe('OTP rule: call timeouts by behaviour', () => {
  type ReadEvent = Call<{ kind: 'read' }, string> | { kind: 'answer' };
  const slow: GenStatemDefinition<'waiting', { from: unknown }, ReadEvent> = {
    type: 'slow-statem',
    states: ['waiting'],
    init: () => GenStatem.init('waiting', { from: null }),
    handleEvent: (_e, _s, d) => GenStatem.keepState(d),
  };

  it('gen_statem:call defaults to infinity: a GenStatem call without timeoutMs never times out', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const ref = await GenStatem.start(system, slow, undefined);
    let settled = false;
    const call = ref.call({ kind: 'read' }).finally(() => (settled = true));
    clock.advance(2 ** 40);
    await system.idle();
    expect(settled).toBe(false);
    expect(clock.pending).toBe(0); // no timer was even armed
    expect(GenStatem.named<ReadEvent>(system, 'x').defaultTimeoutMs).toBe(Number.POSITIVE_INFINITY);
    expect(GenStatem.ref<ReadEvent>(system, ref.pid).defaultTimeoutMs).toBe(Number.POSITIVE_INFINITY);
    await ref.stop();
    await expect(call).rejects.toMatchObject({ code: 'CALLEE_EXITED' });
  });

  it('gen_server:call keeps its 5000 ms default', async () => {
    const system = quietSystem();
    const ref = await GenServer.start(system, counter, 0);
    expect(ref.defaultTimeoutMs).toBe(5000);
    expect(GenServer.named(system, 'c').defaultTimeoutMs).toBe(5000);
  });
});

describe("OTP rule: supervisor defaults are OTP's, 1 restart in 5 s", () => {
  it('the second restart within 5 s of a supervisor without settings takes it down', async () => {
    expect([DEFAULT_INTENSITY, DEFAULT_PERIOD_MS]).toEqual([1, 5000]);
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const sup = await Supervisor.start(system, { strategy: 'one_for_one', children: [loggingWorker([], 'a')] });
    const exited = system.join(sup.pid);
    const crashChild = async (): Promise<void> => {
      const [child] = await Supervisor.whichChildren(sup);
      system.exit(child!.pid!, ExitReason.custom('boom'));
      await system.join(child!.pid!);
      await system.idle();
    };
    await crashChild();
    expect(system.isAlive(sup.pid)).toBe(true);
    clock.advance(4999);
    await crashChild();
    expect(await exited).toEqual(MAX_RESTART_INTENSITY);
  });
});

describe('OTP rule: a server calling itself fails at once with calling_self', () => {
  it('a call to itself from its own callback rejects with CallingSelfError, without waiting for the timeout', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const def: GenServerDefinition<null, null, Call<{ kind: 'outer' }, string> | Call<{ kind: 'inner' }, string>> = {
      type: 'narcissus',
      init: () => GenServer.ok(null),
      async handleCall(req, _from, s) {
        if (req.kind === 'inner') return GenServer.reply('inner', s);
        const error = await GenServer.named(system, 'narcissus')
          .call({ kind: 'inner' })
          .catch((e: unknown) => e);
        return GenServer.reply(error instanceof CallingSelfError ? error.code : 'no error', s);
      },
    };
    const ref = await GenServer.start(system, def, null, { name: 'narcissus' });
    expect(await ref.call({ kind: 'outer' })).toBe('CALLING_SELF');
    expect(clock.now()).toBe(0);
    expect(pendingCalls(system)).toBe(0);
  });

  it('with caller: ctx the call to itself is refused even after an await', async () => {
    const system = quietSystem();
    const def: GenServerDefinition<null, null, Call<{ kind: 'outer' }, string>> = {
      type: 'narcissus',
      init: () => GenServer.ok(null),
      async handleCall(_req, _from, s, ctx) {
        await Promise.resolve();
        const error = await ServerRef.of<Call<{ kind: 'outer' }, string>>(ctx.system, ctx.self)
          .call({ kind: 'outer' }, { caller: ctx })
          .catch((e: unknown) => e);
        return GenServer.reply(error instanceof CallingSelfError ? error.code : 'no error', s);
      },
    };
    const ref = await GenServer.start(system, def, null);
    expect(await ref.call({ kind: 'outer' })).toBe('CALLING_SELF');
  });
});

describe('OTP rule: only the parent stops a trapping server with an exit signal', () => {
  function trapping(infos: Signal[], terminated: string[]): GenServerDefinition<null, null, CounterCall> {
    return {
      type: 'trapper',
      init: () => GenServer.ok(null),
      handleCall: (_r, _f, s) => GenServer.reply(0, s),
      handleInfo: (m, s) => (infos.push(m), GenServer.noreply(s)),
      terminate: (reason) => void terminated.push(reason.kind),
    };
  }

  it('an exit signal from another process arrives in handleInfo; one from the parent stops the server', async () => {
    const system = quietSystem();
    const infos: Signal[] = [];
    const terminated: string[] = [];
    const child = deferred<ServerRef<CounterCall>>();
    const parent = system.spawn(
      {
        init(ctx) {
          GenServer.start(ctx, trapping(infos, terminated), null, { link: true, trapExit: true }).then(child.resolve, child.reject);
        },
        receive(msg: { to: Pid }, ctx) {
          ctx.exit(msg.to, ExitReason.custom('from_parent'));
        },
      },
      { type: 'parent' },
    );
    const ref = await child.promise;
    const other = system.spawn<Pid>((to, ctx) => void ctx.exit(to, ExitReason.custom('from_other')), { type: 'other' });
    other.send(ref.pid);
    await system.idle();
    expect(infos.map((s) => s.kind === 'exit' && s.from === other.pid && s.reason)).toEqual([ExitReason.custom('from_other')]);
    expect(system.isAlive(ref.pid)).toBe(true);
    parent.send({ to: ref.pid });
    expect(await system.join(ref.pid)).toEqual(ExitReason.custom('from_parent'));
    expect(terminated).toEqual(['custom']);
  });

  it('a server started from plain code has no parent: system.exit reaches handleInfo, and system.shutdown still stops it', async () => {
    const system = quietSystem();
    const infos: Signal[] = [];
    const terminated: string[] = [];
    const ref = await GenServer.start(system, trapping(infos, terminated), null, { trapExit: true });
    system.exit(ref.pid, 'shutdown');
    await ref.call({ kind: 'get' }); // handled after the signal
    expect(infos.map((s) => s.kind === 'exit' && s.from === system.rootPid && s.reason.kind)).toEqual(['shutdown']);
    expect(system.isAlive(ref.pid)).toBe(true);
    await system.shutdown();
    expect(terminated).toEqual(['shutdown']);
  });

  it('gen_statem follows the same rule: a non-parent exit reaches handleInfo, the parent stops it', async () => {
    const system = quietSystem();
    const infos: string[] = [];
    const def: GenStatemDefinition<'on', null, never, void, never> = {
      type: 'trapping-statem',
      states: ['on'],
      init: (_a, ctx) => (ctx.trapExit(true), GenStatem.init('on', null)),
      handleEvent: (_e, _s, d) => GenStatem.keepState(d),
      handleInfo: (m, _s, d) => (infos.push((m).kind === 'exit' ? (m as { reason: ExitReason }).reason.kind : 'other'), GenStatem.keepState(d)),
    };
    const machine = deferred<Pid>();
    const parent = system.spawn<Pid>(
      {
        init: (ctx) => void GenStatem.start(ctx, def, undefined, { link: true }).then((r) => machine.resolve(r.pid), machine.reject),
        receive: (to, ctx) => void ctx.exit(to, ExitReason.custom('from_parent')),
      },
      { type: 'parent' },
    );
    const pid = await machine.promise;
    system.exit(pid, ExitReason.custom('from_outside'));
    await system.idle();
    expect(infos).toEqual(['custom']);
    parent.send(pid);
    expect(await system.join(pid)).toEqual(ExitReason.custom('from_parent'));
  });

  it('ref.stop() stops a trapping root server even when its mailbox is full (the exit signal it falls back to is a stop request)', async () => {
    const system = quietSystem();
    const infos: Signal[] = [];
    const terminated: string[] = [];
    const gate = deferred();
    const def: GenServerDefinition<null, null, never, { kind: 'block' }> = {
      type: 'blocked',
      init: () => GenServer.ok(null),
      handleCast: async (_r, s) => (await gate.promise, GenServer.noreply(s)),
      handleInfo: (m, s) => (infos.push(m), GenServer.noreply(s)),
      terminate: (reason) => void terminated.push(reason.kind),
    };
    const ref = await GenServer.start(system, def, null, { trapExit: true, mailbox: { capacity: 1, overflow: 'reject' } });
    ref.cast({ kind: 'block' });
    await system.idle();
    ref.cast({ kind: 'block' }); // fills the mailbox
    const stopped = ref.stop();
    gate.resolve();
    await stopped;
    expect(infos).toEqual([]);
    expect(terminated).toEqual(['shutdown']);
  });
});
