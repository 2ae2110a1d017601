import { describe, expect, it } from 'vitest';
import { type ActorRef, type DownSignal, ExitReason, type MonitorRef, type Pid } from '../src/index.js';
import { deferred, quietSystem, spawnProbe } from './helpers.js';

type Cmd = { op: 'monitor'; pid: Pid } | { op: 'demonitor' };

describe('monitors', () => {
  it('deliver exactly one down signal with the exit reason, without linking', async () => {
    const system = quietSystem();
    const probe = spawnProbe<Cmd>(system, { trapExit: false });
    const target = system.spawn<string>((m) => {
      if (m === 'die') throw new Error('gone');
    }, { type: 'target' });
    let ref: MonitorRef | undefined;
    const watcher = system.spawn<Cmd>(
      {
        receive(cmd, ctx) {
          if (cmd.op === 'monitor') ref = ctx.monitor(cmd.pid);
        },
        handleSignal(signal, ctx) {
          ctx.send(probe.ref, { op: 'down', signal } as never);
        },
      },
      { type: 'watcher' },
    );
    watcher.send({ op: 'monitor', pid: target.pid });
    watcher.send({ op: 'monitor', pid: target.pid });
    await system.idle();
    expect(system.info(target.pid)?.monitoredBy).toEqual([watcher.pid, watcher.pid]);
    target.send('die');
    const got = (await probe.waitForMessages(2)) as unknown as { signal: DownSignal }[];
    await system.idle();
    expect(probe.messages).toHaveLength(2); // one per monitor, no more
    const downs = got.map((m) => m.signal);
    expect(downs.every((d) => d.kind === 'down' && d.pid === target.pid && d.reason.kind === 'error')).toBe(true);
    expect(downs[1]?.ref).toBe(ref);
    expect(system.isAlive(watcher.pid)).toBe(true);
  });

  it('monitoring an already-dead pid yields a noproc down signal at once', async () => {
    const system = quietSystem();
    const dead = system.spawn(() => {}, { type: 'dead' });
    system.exit(dead.pid, 'kill');
    await system.join(dead.pid);
    const probe = spawnProbe(system);
    const watcher = system.spawn<Pid>(
      {
        receive(pid, ctx) {
          ctx.monitor(pid);
        },
        handleSignal(signal, ctx) {
          ctx.send(probe.ref, signal);
        },
      },
      { type: 'watcher' },
    );
    watcher.send(dead.pid);
    const [down] = (await probe.waitForMessages(1)) as DownSignal[];
    expect(down?.kind).toBe('down');
    expect(down?.reason).toEqual(ExitReason.noproc);
    expect(down?.pid).toBe(dead.pid);
  });

  it('demonitor stops the down signal, even one already queued', async () => {
    const system = quietSystem();
    const target = system.spawn(() => {}, { type: 'target' });
    const seen: unknown[] = [];
    let ref: MonitorRef | undefined;
    const watcher = system.spawn<string>(
      {
        receive(msg, ctx) {
          if (msg === 'monitor') ref = ctx.monitor(target.pid);
          if (msg === 'demonitor' && ref !== undefined) ctx.demonitor(ref);
        },
        handleSignal(signal) {
          seen.push(signal);
        },
      },
      { type: 'watcher' },
    );
    watcher.send('monitor');
    await system.idle();
    // demonitor before the exit: nothing arrives
    watcher.send('demonitor');
    await system.idle();
    system.exit(target.pid, 'kill');
    await system.join(target.pid);
    await system.idle();
    expect(seen).toEqual([]);
    expect(system.info(watcher.pid)?.monitors).toEqual([]);
  });

  it('removes a down signal that is queued but not yet handled', async () => {
    const system = quietSystem();
    const target = system.spawn(() => {}, { type: 'target' });
    const gate = deferred();
    const seen: unknown[] = [];
    const watcher = system.spawn<string>(
      {
        async receive(_, ctx) {
          const ref = ctx.monitor(target.pid);
          await gate.promise;
          ctx.demonitor(ref);
        },
        handleSignal(signal) {
          seen.push(signal);
        },
      },
      { type: 'watcher' },
    );
    watcher.send('go');
    await system.idle();
    system.exit(target.pid, 'kill');
    await system.join(target.pid);
    expect(system.info(watcher.pid)?.pendingSignals).toBe(1);
    gate.resolve();
    await gate.promise;
    await system.idle();
    expect(seen).toEqual([]);
    expect(system.info(watcher.pid)?.pendingSignals).toBe(0);
  });

  it('delivers messages sent before an exit ahead of the down signal, as Erlang does', async () => {
    const system = quietSystem();
    const log: string[] = [];
    let watcherRef: ActorRef<string> | undefined;
    const sender = system.spawn<string>(
      (msg, ctx) => {
        ctx.send(watcherRef!, 'hello');
        throw new Error(msg);
      },
      { type: 'sender' },
    );
    watcherRef = system.spawn<string>(
      {
        init(ctx) {
          ctx.monitor(sender.pid);
        },
        receive(msg) {
          log.push(msg);
        },
        handleSignal(signal) {
          log.push(signal.kind);
        },
      },
      { type: 'watcher' },
    );
    await system.idle();
    sender.send('boom');
    await system.join(sender.pid);
    await system.idle();
    expect(log).toEqual(['hello', 'down']);
  });

  it('system.monitor calls back once with the reason, or with noproc for a dead pid', async () => {
    const system = quietSystem();
    const target = system.spawn(() => {}, { type: 'target' });
    const downs: DownSignal[] = [];
    system.monitor(target.pid, (d) => downs.push(d));
    system.exit(target.pid, ExitReason.shutdown('bye'));
    await system.join(target.pid);
    expect(downs.map((d) => d.reason)).toEqual([ExitReason.shutdown('bye')]);
    const late = new Promise<DownSignal>((resolve) => system.monitor(target.pid, resolve));
    expect((await late).reason).toEqual(ExitReason.noproc);
  });
});
