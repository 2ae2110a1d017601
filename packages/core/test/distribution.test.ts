import {
  type ActorSystem,
  type Distribution,
  type DownSignal,
  ActorType,
  ExitReason,
  type ExitSignalReason,
  type MonitorRef,
  NO_NODE,
  Pid,
  type RemoteName,
  RemoteNode,
  RemotePid,
} from '@joerl/core';
import { describe, expect, it } from 'vitest';
import { monitorFrom } from '../src/exit-signals.js';
import { quietSystem, spawnProbe } from './helpers.js';

type Call = [string, ...unknown[]];

/** A distribution that records what the runtime asks of it. */
class RecordingDistribution implements Distribution {
  readonly node = 'a@host';
  readonly creation = 7;
  readonly calls: Call[] = [];
  accept = true;
  listeners = new Map<MonitorRef, ((down: DownSignal) => void) | null>();
  send(from: Pid | null, to: RemotePid | RemoteName, message: unknown): boolean {
    this.calls.push(['send', from, to, message]);
    return this.accept;
  }
  link(from: Pid, to: RemotePid): void {
    this.calls.push(['link', from, to]);
  }
  unlink(from: Pid, to: RemotePid): void {
    this.calls.push(['unlink', from, to]);
  }
  exit(from: Pid, to: RemotePid, reason: ExitSignalReason): boolean {
    this.calls.push(['exit', from, to, reason]);
    return true;
  }
  monitor(ref: MonitorRef, watcher: Pid | null, listener: ((down: DownSignal) => void) | null): void {
    this.calls.push(['monitor', ref, watcher]);
    this.listeners.set(ref, listener);
  }
  demonitor(ref: MonitorRef): boolean {
    this.calls.push(['demonitor', ref]);
    return this.listeners.delete(ref);
  }
  call(): Promise<unknown> {
    return Promise.resolve('unused');
  }
  cast(): boolean {
    return true;
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
  /** What the distribution holds of cross-node links and monitors, by local pid. */
  readonly links = new Map<Pid, RemotePid[]>();
  readonly monitors = new Map<Pid, RemotePid[]>();
  remoteLinks(pid: Pid): readonly RemotePid[] {
    return this.links.get(pid) ?? [];
  }
  remoteMonitors(pid: Pid): readonly RemotePid[] {
    return this.monitors.get(pid) ?? [];
  }
}

function distributed(): { system: ActorSystem; dist: RecordingDistribution; remote: RemotePid; home: RemoteNode } {
  const system = quietSystem();
  const dist = new RecordingDistribution();
  system.setDistribution(dist);
  const home = new RemoteNode('b@host', 3, 5);
  const remote = new RemotePid(42, home, new ActorType('remote', system));
  return { system, dist, remote, home };
}

describe('pids across nodes', () => {
  it('a system outside any cluster is nonode@nohost with creation 0', () => {
    const system = quietSystem();
    const pid = system.spawn(() => undefined);
    expect([system.nodeName, system.creation, pid.nodeName, pid.creation, pid.isRemote]).toEqual([NO_NODE, 0, NO_NODE, 0, false]);
  });

  it("a local pid takes its node's name and creation once the system joins", () => {
    const { system } = distributed();
    const pid = system.spawn(() => undefined);
    expect([pid.nodeName, pid.creation]).toEqual(['a@host', 7]);
  });

  it('a remote pid prints with its node index, as Erlang does', () => {
    const { remote } = distributed();
    expect([String(remote), remote.nodeName, remote.creation, remote.isRemote]).toEqual(['<5.42.0>', 'b@host', 3, true]);
  });

  it('pids of two incarnations of one node are not equal', () => {
    const { system, remote } = distributed();
    const later = new RemotePid(42, new RemoteNode('b@host', 4, 5), new ActorType('remote', system));
    const same = new RemotePid(42, remote.home, new ActorType('remote', system));
    expect([remote.equals(later), remote.equals(same), Pid.compare(remote, later) < 0]).toEqual([false, true, true]);
  });
});

describe('the distribution port', () => {
  it('a send to a remote pid goes to the distribution, with the sender', () => {
    const { system, dist, remote } = distributed();
    expect(system.send(remote, 'hi')).toBe(true);
    dist.accept = false;
    expect(remote.send('again')).toBe(false);
    expect(dist.calls).toEqual([
      ['send', null, remote, 'hi'],
      ['send', null, remote, 'again'],
    ]);
  });

  it('a send to { name, node } goes to the distribution', () => {
    const { system, dist } = distributed();
    expect(system.send({ name: 'cache', node: 'b@host' }, 1)).toBe(true);
    expect(dist.calls).toEqual([['send', null, { name: 'cache', node: 'b@host' }, 1]]);
  });

  it('without a distribution, a remote destination is noproc', () => {
    const system = quietSystem();
    expect(system.send({ name: 'cache', node: 'b@host' }, 1)).toBe(false);
  });

  it('link, unlink, monitor, demonitor and exit of a remote pid reach the distribution', () => {
    const { system, dist, remote } = distributed();
    let ref: MonitorRef | undefined;
    const pid = system.spawn((m: string, ctx) => {
      if (m === 'go') {
        ctx.link(remote);
        ref = ctx.monitor(remote);
        ctx.unlink(remote);
        ctx.demonitor(ref);
        ctx.exit(remote, 'shutdown');
      }
    });
    pid.send('go');
    return system.idle().then(() => {
      expect(dist.calls.map((c) => c[0])).toEqual(['link', 'monitor', 'unlink', 'demonitor', 'exit']);
      expect(dist.calls[0]).toEqual(['link', pid, remote]);
      expect(dist.calls[4]).toEqual(['exit', pid, remote, 'shutdown']);
    });
  });

  it('spawn linked to a remote pid asks the distribution to link', () => {
    const { system, dist, remote } = distributed();
    const pid = system.spawn(() => undefined, { link: remote });
    expect(dist.calls).toEqual([['link', pid, remote]]);
  });

  it('an exit signal from a remote link kills an actor not trapping exits', async () => {
    const { system, remote } = distributed();
    const pid = system.spawn(() => undefined);
    expect(system.deliverRemote(pid, { kind: 'exit', from: remote, reason: ExitReason.noconnection })).toBe(true);
    expect(await system.join(pid)).toEqual({ kind: 'noconnection' });
  });

  it('a trapping actor receives the remote exit signal with its remote sender', async () => {
    const { system, remote } = distributed();
    const probe = spawnProbe(system);
    system.deliverRemote(probe.ref, { kind: 'exit', from: remote, reason: ExitReason.noconnection });
    expect(await probe.waitForSignals(1)).toEqual([{ kind: 'exit', from: remote, reason: { kind: 'noconnection' } }]);
  });

  it('a remote kill cannot be trapped', async () => {
    const { system, remote } = distributed();
    const probe = spawnProbe(system);
    system.deliverRemote(probe.ref, { kind: 'kill', from: remote });
    expect(await system.join(probe.ref)).toEqual({ kind: 'killed' });
  });

  it('the down of a remote monitor reaches the watching actor, and a demonitor drops it', async () => {
    const { system, remote } = distributed();
    const probe = spawnProbe(system);
    const ref = monitorFrom(system, system.handle(probe.ref) as never, remote, null);
    system.deliverRemote(probe.ref, { kind: 'down', ref, pid: remote, reason: ExitReason.noproc });
    expect(await probe.waitForSignals(1)).toEqual([{ kind: 'down', ref, pid: remote, reason: { kind: 'noproc' } }]);
  });

  it('a signal for a dead local actor is refused', async () => {
    const { system, remote } = distributed();
    const pid = system.spawn(() => undefined);
    system.exit(pid, 'kill');
    await system.join(pid);
    expect(system.deliverRemote(pid, { kind: 'exit', from: remote, reason: ExitReason.noconnection })).toBe(false);
  });

  it("info lists an actor's links and monitors on other nodes after its local ones, as the distribution reports them", () => {
    const { system, dist, remote } = distributed();
    const local = system.spawn(() => undefined);
    const pid = system.spawn(() => undefined, { link: local });
    const watched = system.spawn(() => undefined);
    monitorFrom(system, system.handle(pid) as never, watched, null);
    expect([system.info(pid)?.links, system.info(pid)?.monitors]).toEqual([[local], [watched]]);
    dist.links.set(pid, [remote]);
    dist.monitors.set(pid, [remote]);
    const info = system.info(pid);
    expect(info?.links).toEqual([local, remote]);
    expect(info?.links[1]).toBe(remote);
    expect(info?.monitors).toEqual([watched, remote]);
    expect(system.actors().find((a) => a.pid === pid)?.links).toEqual([local, remote]);
    dist.links.delete(pid);
    expect(system.info(pid)?.links).toEqual([local]);
  });

  it('a second distribution cannot be attached', () => {
    const { system } = distributed();
    expect(() => system.setDistribution(new RecordingDistribution())).toThrow(/one cluster/);
  });

  it('sendAfter to a remote pid sends through the distribution when it fires', async () => {
    const { system, dist, remote } = distributed();
    system.sendAfter(remote, 'later', 0);
    await new Promise<void>((resolve) => {
      const check = (): void => (dist.calls.length > 0 ? resolve() : void setImmediate(check));
      check();
    });
    expect(dist.calls).toEqual([['send', null, remote, 'later']]);
  });
});
