import { describe, expect, it } from 'vitest';
import { TestClock } from '../src/index.js';
import { deferred, quietSystem, spawnProbe } from './helpers.js';

describe('introspection', () => {
  it('info() describes an actor: type, name, parent, status, mailbox, links, monitors, counts', async () => {
    const clock = new TestClock(1000);
    const system = quietSystem({ clock });
    const gate = deferred();
    const parent = spawnProbe(system, { type: 'parent', name: 'boss' });
    let childPid: ReturnType<typeof system.spawn>['pid'] | undefined;
    const spawner = system.spawn<string>(
      {
        async receive(msg, ctx) {
          if (msg === 'spawn') {
            childPid = ctx.spawnLink(() => {}, { type: 'child' }).pid;
            ctx.monitor(childPid);
          }
          if (msg === 'wait') await gate.promise;
        },
      },
      { type: 'spawner', link: parent.ref.pid, mailbox: { capacity: 50, overflow: 'drop-oldest' } },
    );
    spawner.send('spawn');
    spawner.send('wait');
    spawner.send('queued');
    await system.idle();
    clock.advance(42);
    const info = system.info(spawner.pid)!;
    expect(info).toMatchObject({
      pid: spawner.pid,
      type: 'spawner',
      name: undefined,
      parent: null,
      status: 'suspended',
      trapExit: false,
      mailbox: { depth: 1, capacity: 50, overflow: 'drop-oldest' },
      links: [parent.ref.pid, childPid],
      monitors: [childPid],
      monitoredBy: [],
      messages: { received: 3, processed: 1, dropped: 0 },
      spawnedAt: 1000,
      uptimeMs: 42,
    });
    expect(system.info(childPid!)).toMatchObject({ parent: spawner.pid, type: 'child', monitoredBy: [spawner.pid], status: 'waiting' });
    expect(system.info(parent.ref.pid)).toMatchObject({ name: 'boss', trapExit: true });
    gate.resolve();
  });

  it('actors() lists every live actor in spawn order, and stats() counts the system', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const refs = [0, 1, 2].map((i) => system.spawn(() => {}, { type: `t${i}`, ...(i === 1 ? { name: 'one' } : {}) }));
    system.sendAfter(refs[0]!, 'x', 100);
    expect(system.actors().map((a) => a.type)).toEqual(['t0', 't1', 't2']);
    expect(system.stats()).toMatchObject({ actors: 3, registered: 1, timers: 1, spawned: 3 });
    system.exit(refs[1]!.pid, 'kill');
    await system.join(refs[1]!.pid);
    expect(system.actors().map((a) => a.type)).toEqual(['t0', 't2']);
    expect(system.stats()).toMatchObject({ actors: 2, registered: 0, spawned: 3 });
    expect(system.info(refs[1]!.pid)).toBeUndefined();
  });

  it('join resolves noproc for a pid that is not alive', async () => {
    const system = quietSystem();
    const ref = system.spawn(() => {}, { type: 'x' });
    system.exit(ref.pid, 'kill');
    await system.join(ref.pid);
    expect(await system.join(ref.pid)).toEqual({ kind: 'noproc' });
  });
});
