import { describe, expect, it } from 'vitest';
import { type ActorContext, type ActorRef, type ExitSignal, ExitReason, LinkNoProcError } from '../src/index.js';
import { quietSystem, spawnProbe } from './helpers.js';

/** An actor that crashes with `boom` when told, and otherwise waits. */
const crasher = {
  receive(msg: unknown, ctx: ActorContext) {
    if (msg === 'crash') throw new Error('boom');
    if (msg === 'stop') ctx.stop();
    if (msg === 'shutdown') ctx.stop(ExitReason.shutdown());
  },
};

function spawnLinkedPair(system: ReturnType<typeof quietSystem>, opts: { trapB?: boolean } = {}) {
  let b!: ActorRef;
  const a = system.spawn<unknown>(
    {
      init(ctx) {
        b = ctx.spawnLink(crasher, { type: 'b', trapExit: opts.trapB ?? false });
      },
      receive: crasher.receive,
    },
    { type: 'a' },
  );
  return { a, b: () => b };
}

describe('links', () => {
  it('an abnormal exit kills the linked actor with the same reason, in both directions', async () => {
    for (const side of ['a', 'b'] as const) {
      const system = quietSystem();
      const { a, b } = spawnLinkedPair(system);
      await system.idle();
      const [dying, other] = side === 'a' ? [a, b()] : [b(), a];
      dying.send('crash');
      const reason = await system.join(other.pid);
      expect(reason.kind).toBe('error');
      expect((reason as { error: Error }).error.message).toBe('boom');
      expect(system.isAlive(dying.pid)).toBe(false);
    }
  });

  it('a normal exit does not kill a linked actor', async () => {
    const system = quietSystem();
    const { a, b } = spawnLinkedPair(system);
    await system.idle();
    b().send('stop');
    expect(await system.join(b().pid)).toEqual(ExitReason.normal);
    await system.idle();
    expect(system.isAlive(a.pid)).toBe(true);
    expect(system.info(a.pid)?.links).toEqual([]);
  });

  it('a shutdown exit kills a linked actor that does not trap exits', async () => {
    const system = quietSystem();
    const { a, b } = spawnLinkedPair(system);
    await system.idle();
    b().send('shutdown');
    expect((await system.join(a.pid)).kind).toBe('shutdown');
  });

  it('an actor trapping exits receives an exit signal instead of dying', async () => {
    const system = quietSystem();
    const probe = spawnProbe(system);
    const child = system.spawn(crasher, { type: 'child', link: probe.ref.pid });
    child.send('crash');
    const [signal] = await probe.waitForSignals(1);
    expect(signal?.kind).toBe('exit');
    expect((signal as ExitSignal).from).toBe(child.pid);
    expect((signal as ExitSignal).reason.kind).toBe('error');
    expect(system.isAlive(probe.ref.pid)).toBe(true);
  });

  it('a trapping actor also receives normal exits of linked actors', async () => {
    const system = quietSystem();
    const probe = spawnProbe(system);
    const child = system.spawn(crasher, { type: 'child', link: probe.ref.pid });
    child.send('stop');
    const [signal] = await probe.waitForSignals(1);
    expect(signal).toEqual({ kind: 'exit', from: child.pid, reason: ExitReason.normal });
  });

  it("exit(pid, 'kill') cannot be trapped and ends the actor with killed; linked actors see killed", async () => {
    const system = quietSystem();
    const probe = spawnProbe(system);
    let terminated = false;
    const victim = system.spawn(
      {
        receive() {},
        terminate() {
          terminated = true;
        },
      },
      { type: 'victim', trapExit: true, link: probe.ref.pid },
    );
    system.exit(victim.pid, 'kill');
    expect(await system.join(victim.pid)).toEqual(ExitReason.killed);
    expect(terminated).toBe(false);
    const [signal] = await probe.waitForSignals(1);
    expect(signal).toEqual({ kind: 'exit', from: victim.pid, reason: ExitReason.killed });
  });

  it('exit(pid, reason) kills an actor that does not trap, and is delivered to one that does', async () => {
    const system = quietSystem();
    const plain = system.spawn(() => {}, { type: 'plain' });
    const trapper = spawnProbe(system);
    system.exit(plain.pid, ExitReason.custom('evicted'));
    system.exit(trapper.ref.pid, ExitReason.custom('evicted'));
    expect(await system.join(plain.pid)).toEqual(ExitReason.custom('evicted'));
    const [signal] = await trapper.waitForSignals(1);
    expect(signal).toEqual({ kind: 'exit', from: system.rootPid, reason: ExitReason.custom('evicted') });
  });

  it('exit(pid, normal) is ignored by another actor that does not trap exits, but ends the caller itself', async () => {
    const system = quietSystem();
    const bystander = system.spawn(() => {}, { type: 'bystander' });
    system.exit(bystander.pid, 'normal');
    const self = system.spawn<string>((_, ctx) => void ctx.exit(ctx.self, 'normal'), { type: 'self-exit' });
    self.send('go');
    expect(await system.join(self.pid)).toEqual(ExitReason.normal);
    expect(system.isAlive(bystander.pid)).toBe(true);
  });

  // Checked against Erlang/OTP 25: `catch link(Dead)` gives {'EXIT', {noproc, _}} without
  // trap_exit; with it, `link(Dead)` returns true and {'EXIT', Dead, noproc} arrives.
  it('link/1 to a dead pid raises noproc in a caller that does not trap exits (Erlang: error:noproc)', async () => {
    const system = quietSystem();
    const dead = system.spawn(() => {}, { type: 'dead' });
    system.exit(dead.pid, 'kill');
    await system.join(dead.pid);
    let thrown: unknown;
    const plain = system.spawn<string>(
      (_, ctx) => {
        try {
          ctx.link(dead.pid);
        } catch (e) {
          thrown = e;
          throw e;
        }
      },
      { type: 'plain' },
    );
    plain.send('link');
    const reason = await system.join(plain.pid);
    expect(thrown).toBeInstanceOf(LinkNoProcError);
    expect((thrown as LinkNoProcError).code).toBe('NOPROC');
    expect((thrown as LinkNoProcError).pid).toBe(dead.pid);
    expect(reason).toEqual({ kind: 'error', error: thrown });
  });

  it('link/1 to a dead pid returns true to a trapping caller, then an exit signal with reason noproc arrives', async () => {
    const system = quietSystem();
    const dead = system.spawn(() => {}, { type: 'dead' });
    system.exit(dead.pid, 'kill');
    await system.join(dead.pid);
    const probe = spawnProbe(system);
    const trapped = system.spawn<string>(
      {
        handleSignal(signal, ctx) {
          ctx.send(probe.ref, signal);
        },
        receive(_, ctx) {
          ctx.send(probe.ref, ctx.link(dead.pid));
        },
      },
      { type: 'trapped', trapExit: true },
    );
    trapped.send('link');
    const [result, signal] = await probe.waitForMessages(2);
    expect(result).toBe(true);
    expect(signal).toEqual({ kind: 'exit', from: dead.pid, reason: ExitReason.noproc });
    expect(system.isAlive(trapped.pid)).toBe(true);
  });

  it('unlink stops further exit signals', async () => {
    const system = quietSystem();
    const probe = spawnProbe(system);
    const child = system.spawn(crasher, { type: 'child' });
    const unlinker = system.spawn<string>(
      (msg, ctx) => {
        if (msg === 'link') ctx.link(child.pid);
        if (msg === 'unlink') ctx.unlink(child.pid);
      },
      { type: 'unlinker', link: probe.ref.pid },
    );
    unlinker.send('link');
    await system.idle();
    expect(system.info(child.pid)?.links).toEqual([unlinker.pid]);
    unlinker.send('unlink');
    await system.idle();
    expect(system.info(child.pid)?.links).toEqual([]);
    child.send('crash');
    await system.join(child.pid);
    await system.idle();
    expect(system.isAlive(unlinker.pid)).toBe(true);
    expect(probe.signals).toEqual([]);
  });

  it('a crash propagates along a chain of 10,000 links without overflowing the stack', async () => {
    const system = quietSystem();
    const first = system.spawn(crasher, { type: 'chain' });
    let prev = first.pid;
    const pids = [prev];
    for (let i = 0; i < 10_000; i++) {
      prev = system.spawn(() => {}, { type: 'chain', link: prev }).pid;
      pids.push(prev);
    }
    first.send('crash');
    const last = await system.join(prev);
    expect(last.kind).toBe('error');
    expect(system.stats().actors).toBe(0);
  });
});
