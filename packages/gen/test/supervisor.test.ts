import { type ActorSystem, ExitReason, TestClock } from '@joerl/core';
import { describe, expect, it } from 'vitest';
import {
  type ChildSpec,
  ChildNotFoundError,
  ChildRunningError,
  DuplicateChildError,
  GenServer,
  type GenServerDefinition,
  InitFailedError,
  MAX_RESTART_INTENSITY,
  ServerRef,
  Supervisor,
  type SupervisorSpec,
} from '../src/index.js';
import { crash, exitItself, liveTypes, loggingWorker, quietSystem, started } from './helpers.js';

async function pidOf(sup: Parameters<typeof Supervisor.whichChildren>[0], id: string) {
  const child = (await Supervisor.whichChildren(sup)).find((c) => c.id === id);
  if (child?.pid == null) throw new Error(`child ${id} is not running`);
  return child.pid;
}

async function startTree(system: ActorSystem, spec: SupervisorSpec) {
  const sup = await Supervisor.start(system, spec);
  return { sup, pid: (id: string) => pidOf(sup, id) };
}

describe('Supervisor', () => {
  it('starts children in order and stops them in reverse order', async () => {
    const system = quietSystem();
    const log: string[] = [];
    const { sup } = await startTree(system, { strategy: 'one_for_one', children: ['a', 'b', 'c'].map((id) => loggingWorker(log, id)) });
    expect(log).toEqual(['start:a', 'start:b', 'start:c']);
    await sup.stop(ExitReason.shutdown());
    expect(log.slice(3)).toEqual(['stop:c', 'stop:b', 'stop:a']);
    expect(system.actors()).toEqual([]);
  });

  it('a root supervisor stops its tree in reverse order when the system shuts down', async () => {
    const system = quietSystem();
    const log: string[] = [];
    await startTree(system, { strategy: 'one_for_one', children: ['a', 'b'].map((id) => loggingWorker(log, id)) });
    await system.shutdown();
    expect(log).toEqual(['start:a', 'start:b', 'stop:b', 'stop:a']);
  });

  it('one_for_one restarts only the child that crashed', async () => {
    const system = quietSystem();
    const log: string[] = [];
    const { sup, pid } = await startTree(system, { strategy: 'one_for_one', children: ['a', 'b', 'c'].map((id) => loggingWorker(log, id)) });
    const [a, c] = [await pid('a'), await pid('c')];
    const b = await pid('b');
    await crash(system, b);
    expect(await pid('b')).not.toBe(b);
    expect([await pid('a'), await pid('c')]).toEqual([a, c]);
    expect(log.slice(3)).toEqual(['stop:b', 'start:b']); // the crash itself logs stop:b
    void sup;
  });

  it('one_for_all stops every sibling (reverse order) and restarts each exactly once, leaving no extra actor', async () => {
    const system = quietSystem();
    const log: string[] = [];
    const { sup, pid } = await startTree(system, { strategy: 'one_for_all', children: ['a', 'b', 'c'].map((id) => loggingWorker(log, id)) });
    const before = system.actors().length;
    await crash(system, await pid('b'));
    await Supervisor.whichChildren(sup);
    expect(log.slice(3)).toEqual(['stop:b', 'stop:c', 'stop:a', 'start:a', 'start:b', 'start:c']);
    expect(system.actors().length).toBe(before);
    expect(liveTypes(system)).toEqual(['supervisor', 'worker', 'worker', 'worker']);
  });

  it('rest_for_one restarts the crashed child and those started after it, not those before', async () => {
    const system = quietSystem();
    const log: string[] = [];
    const { pid } = await startTree(system, { strategy: 'rest_for_one', children: ['a', 'b', 'c', 'd'].map((id) => loggingWorker(log, id)) });
    const a = await pid('a');
    await crash(system, await pid('b'));
    expect(await pid('a')).toBe(a);
    expect(log.slice(4)).toEqual(['stop:b', 'stop:d', 'stop:c', 'start:b', 'start:c', 'start:d']);
  });

  it('one_for_all drops a temporary sibling instead of restarting it, and restarts a stopped transient one', async () => {
    const system = quietSystem();
    const log: string[] = [];
    const { sup, pid } = await startTree(system, {
      strategy: 'one_for_all',
      children: [loggingWorker(log, 'a'), loggingWorker(log, 'tmp', { restart: 'temporary' }), loggingWorker(log, 't', { restart: 'transient' })],
    });
    await exitItself(system, await pid('t'), ExitReason.normal);
    await crash(system, await pid('a'));
    const children = await Supervisor.whichChildren(sup);
    expect(children.map((c) => [c.id, c.pid !== null])).toEqual([
      ['a', true],
      ['t', true],
    ]);
  });

  it('a transient child that exits normal or shutdown is not restarted; one that crashes is', async () => {
    const system = quietSystem();
    const log: string[] = [];
    const { sup, pid } = await startTree(system, {
      strategy: 'one_for_one',
      children: ['n', 's', 'x'].map((id) => loggingWorker(log, id, { restart: 'transient' })),
    });
    await exitItself(system, await pid('n'), ExitReason.normal);
    await exitItself(system, await pid('s'), ExitReason.shutdown('done'));
    await crash(system, await pid('x'));
    const children = await Supervisor.whichChildren(sup);
    expect(children.map((c) => [c.id, c.pid !== null])).toEqual([
      ['n', false],
      ['s', false],
      ['x', true],
    ]);
  });

  it('a temporary child is never restarted and its spec is removed when it exits', async () => {
    const system = quietSystem();
    const log: string[] = [];
    const { sup, pid } = await startTree(system, { strategy: 'one_for_one', children: [loggingWorker(log, 'tmp', { restart: 'temporary' })] });
    await crash(system, await pid('tmp'));
    expect(await Supervisor.whichChildren(sup)).toEqual([]);
    expect(log).toEqual(['start:tmp', 'stop:tmp']);
  });

  it('a permanent child is restarted even after a normal exit', async () => {
    const system = quietSystem();
    const log: string[] = [];
    const { pid } = await startTree(system, { strategy: 'one_for_one', children: [loggingWorker(log, 'p')] });
    const p = await pid('p');
    await exitItself(system, p, ExitReason.normal);
    expect(await pid('p')).not.toBe(p);
  });

  it('allows `intensity` restarts within the period; the next one stops every child and the supervisor with reached_max_restart_intensity', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const log: string[] = [];
    const { sup, pid } = await startTree(system, {
      strategy: 'one_for_one',
      intensity: 3,
      periodMs: 5000,
      children: [loggingWorker(log, 'a'), loggingWorker(log, 'b')],
    });
    const exited = system.join(sup.pid);
    for (let i = 0; i < 3; i++) {
      await crash(system, await pid('a'));
      clock.advance(1000);
    }
    expect(sup.isAlive()).toBe(true);
    await crash(system, await pid('a'));
    expect(await exited).toEqual(MAX_RESTART_INTENSITY);
    expect(MAX_RESTART_INTENSITY).toEqual({ kind: 'shutdown', detail: 'reached_max_restart_intensity' });
    expect(log.filter((l) => l === 'start:a')).toHaveLength(4);
    expect(log.at(-1)).toBe('stop:b');
    expect(system.actors()).toEqual([]);
  });

  it('restarts older than the period no longer count', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const { sup, pid } = await startTree(system, { strategy: 'one_for_one', intensity: 1, periodMs: 1000, children: [loggingWorker([], 'a')] });
    for (let i = 0; i < 5; i++) {
      await crash(system, await pid('a'));
      clock.advance(1001);
    }
    expect(sup.isAlive()).toBe(true);
  });

  it('intensity exceeded propagates up two levels of supervisors', async () => {
    const system = quietSystem();
    const top = await Supervisor.start(system, {
      strategy: 'one_for_one',
      intensity: 0,
      children: [
        Supervisor.childSpec(
          { strategy: 'one_for_one', intensity: 0, children: [Supervisor.childSpec({ strategy: 'one_for_one', intensity: 0, children: [loggingWorker([], 'leaf')] }, { id: 'bottom', type: 'bottom-sup' })] },
          { id: 'middle', type: 'middle-sup' },
        ),
      ],
    });
    const middle = await pidOf(top, 'middle');
    const bottom = await pidOf(ServerRef.of(system, middle), 'bottom');
    const leaf = await pidOf(ServerRef.of(system, bottom), 'leaf');
    const exited = system.join(top.pid);
    await crash(system, leaf);
    expect(await exited).toEqual(MAX_RESTART_INTENSITY);
    expect(system.actors()).toEqual([]);
  });

  it('a nested supervisor has its own type label and stops its whole subtree when stopped', async () => {
    const system = quietSystem();
    const log: string[] = [];
    const top = await Supervisor.start(system, {
      strategy: 'one_for_one',
      children: [Supervisor.childSpec({ strategy: 'one_for_one', children: [loggingWorker(log, 'x', {}, 'inventory')] }, { id: 'inner', type: 'inventory-sup' })],
    });
    expect(liveTypes(system)).toEqual(['inventory', 'inventory-sup', 'supervisor']);
    expect((await Supervisor.whichChildren(top))[0]).toMatchObject({ id: 'inner', type: 'supervisor', actorType: 'inventory-sup' });
    await top.stop();
    expect(log).toEqual(['start:x', 'stop:x']);
    expect(system.actors()).toEqual([]);
  });

  it('a supervisor that is killed leaves no child alive, trapping or not', async () => {
    const system = quietSystem();
    const trapping: GenServerDefinition<null, null> = { type: 'trapper', init: (_a, ctx) => (ctx.trapExit(true), GenServer.ok(null)) };
    const sup = await Supervisor.start(system, {
      strategy: 'one_for_one',
      children: [loggingWorker([], 'plain'), GenServer.childSpec(trapping, null, { id: 'trapping' }), Supervisor.childSpec({ strategy: 'one_for_one', children: [loggingWorker([], 'deep')] }, { id: 'inner' })],
    });
    expect(system.actors()).toHaveLength(5);
    system.exit(sup.pid, 'kill');
    await system.join(sup.pid);
    await system.idle();
    expect(system.actors()).toEqual([]);
  });

  it('a child that ignores shutdown is killed after its shutdown time', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const stubborn: GenServerDefinition<null, null> = {
      type: 'stubborn',
      init: (_a, ctx) => (ctx.trapExit(true), GenServer.ok(null)),
      handleInfo: (_m, s) => GenServer.noreply(s), // the supervisor is not its parent: exits reach handleInfo
    };
    // Started from the system and linked to the supervisor: the supervisor is not its parent, so its shutdown exit reaches handleInfo.
    const spec: ChildSpec = { id: 's', shutdown: 1000, start: (sup) => GenServer.start(sup.system, stubborn, null, { link: sup.self }) };
    const { sup, pid } = await startTree(system, { strategy: 'one_for_one', children: [spec] });
    const child = await pid('s');
    const stopping = Supervisor.terminateChild(sup, 's');
    await system.idle();
    expect(system.isAlive(child)).toBe(true);
    clock.advance(999);
    await system.idle();
    expect(system.isAlive(child)).toBe(true);
    clock.advance(1);
    await stopping;
    expect(system.isAlive(child)).toBe(false);
    expect(clock.pending).toBe(0);
  });

  it('brutal_kill kills the child at once: its terminate does not run', async () => {
    const system = quietSystem();
    const log: string[] = [];
    const { sup } = await startTree(system, { strategy: 'one_for_one', children: [loggingWorker(log, 'k', { shutdown: 'brutal_kill' })] });
    await Supervisor.terminateChild(sup, 'k');
    expect(log).toEqual(['start:k']);
  });

  it('whichChildren and countChildren describe the children', async () => {
    const system = quietSystem();
    const { sup, pid } = await startTree(system, {
      strategy: 'one_for_one',
      children: [loggingWorker([], 'w', {}, 'inventory'), Supervisor.childSpec({ strategy: 'one_for_all', children: [] }, { id: 's' })],
    });
    expect(await Supervisor.whichChildren(sup)).toEqual([
      { id: 'w', pid: await pid('w'), type: 'worker', restart: 'permanent', actorType: 'inventory' },
      { id: 's', pid: await pid('s'), type: 'supervisor', restart: 'permanent', actorType: 'supervisor' },
    ]);
    expect(await Supervisor.countChildren(sup)).toEqual({ specs: 2, active: 2, supervisors: 1, workers: 1 });
  });

  it('startChild appends a child and starts it; a duplicate id is refused', async () => {
    const system = quietSystem();
    const log: string[] = [];
    const { sup } = await startTree(system, { strategy: 'one_for_one', children: [loggingWorker(log, 'a')] });
    const b = started(await Supervisor.startChild(sup, loggingWorker(log, 'b')));
    expect(system.isAlive(b)).toBe(true);
    expect((await Supervisor.whichChildren(sup)).map((c) => c.id)).toEqual(['a', 'b']);
    const err = await Supervisor.startChild(sup, loggingWorker(log, 'a')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DuplicateChildError);
    expect(err).toMatchObject({ code: 'DUPLICATE_CHILD', childId: 'a' });
  });

  it('startChild of a child whose start fails rejects with ChildStartError and keeps no spec', async () => {
    const system = quietSystem();
    const { sup } = await startTree(system, { strategy: 'one_for_one', children: [] });
    const failing: ChildSpec = {
      id: 'f',
      start: () => {
        throw new Error('cannot');
      },
    };
    await expect(Supervisor.startChild(sup, failing)).rejects.toMatchObject({ code: 'CHILD_START_FAILED', childId: 'f' });
    expect(await Supervisor.countChildren(sup)).toMatchObject({ specs: 0 });
  });

  it('terminateChild stops a child without restarting it; restartChild starts it again; deleteChild removes it', async () => {
    const system = quietSystem();
    const log: string[] = [];
    const { sup } = await startTree(system, { strategy: 'one_for_one', children: [loggingWorker(log, 'a')] });
    await Supervisor.terminateChild(sup, 'a');
    expect(await Supervisor.whichChildren(sup)).toMatchObject([{ id: 'a', pid: null }]);
    await expect(Supervisor.deleteChild(sup, 'nope')).rejects.toBeInstanceOf(ChildNotFoundError);
    const pid = started(await Supervisor.restartChild(sup, 'a'));
    expect(system.isAlive(pid)).toBe(true);
    await expect(Supervisor.restartChild(sup, 'a')).rejects.toBeInstanceOf(ChildRunningError);
    await expect(Supervisor.deleteChild(sup, 'a')).rejects.toMatchObject({ code: 'CHILD_RUNNING' });
    await Supervisor.terminateChild(sup, 'a');
    await Supervisor.deleteChild(sup, 'a');
    expect(await Supervisor.whichChildren(sup)).toEqual([]);
    await expect(Supervisor.terminateChild(sup, 'a')).rejects.toMatchObject({ code: 'CHILD_NOT_FOUND' });
    expect(log).toEqual(['start:a', 'stop:a', 'start:a', 'stop:a']);
  });

  it('terminateChild of a temporary child removes its spec', async () => {
    const system = quietSystem();
    const { sup } = await startTree(system, { strategy: 'one_for_one', children: [loggingWorker([], 't', { restart: 'temporary' })] });
    await Supervisor.terminateChild(sup, 't');
    expect(await Supervisor.whichChildren(sup)).toEqual([]);
  });

  it('when a child fails to start, the ones started are stopped in reverse and the start rejects', async () => {
    const system = quietSystem();
    const log: string[] = [];
    const failing: GenServerDefinition<null, null> = { type: 'failing', init: () => GenServer.stopInit(ExitReason.custom('no_config')) };
    const err = await Supervisor.start(system, {
      strategy: 'one_for_one',
      children: [loggingWorker(log, 'a'), loggingWorker(log, 'b'), GenServer.childSpec(failing, null, { id: 'f' }), loggingWorker(log, 'c')],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InitFailedError);
    expect((err as InitFailedError).reason).toMatchObject({ kind: 'shutdown', detail: { code: 'CHILD_START_FAILED', childId: 'f' } });
    expect(log).toEqual(['start:a', 'start:b', 'stop:b', 'stop:a']);
    expect(system.actors()).toEqual([]);
  });

  it('a child whose restart keeps failing exhausts the intensity', async () => {
    const system = quietSystem();
    let starts = 0;
    const flaky: GenServerDefinition<null, null> = {
      type: 'flaky',
      init: () => (++starts === 1 ? GenServer.ok(null) : GenServer.stopInit(ExitReason.custom('still_broken'))),
    };
    const sup = await Supervisor.start(system, { strategy: 'one_for_one', intensity: 2, children: [GenServer.childSpec(flaky, null, { id: 'f' })] });
    const exited = system.join(sup.pid);
    await crash(system, await pidOf(sup, 'f'));
    expect(await exited).toEqual(MAX_RESTART_INTENSITY);
    expect(starts).toBe(3);
  });

  it('rejects an invalid spec with InvalidConfigError', async () => {
    const system = quietSystem();
    const bad = { strategy: 'one_for_some', children: [] } as unknown as SupervisorSpec;
    await expect(Supervisor.start(system, bad)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    const dup: SupervisorSpec = { strategy: 'one_for_one', children: [loggingWorker([], 'a'), loggingWorker([], 'a')] };
    await expect(Supervisor.start(system, dup)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});
