import { ExitReason, type Pid } from '@joerl/core';
import { describe, expect, it } from 'vitest';
import { type DynamicChildSpec, DynamicSupervisor, GenServer, MAX_RESTART_INTENSITY, MaxChildrenError } from '../src/index.js';
import { counter, crash, exitItself, loggingWorker, quietSystem, started } from './helpers.js';

function child(log: string[], name: string, extra: Partial<DynamicChildSpec> = {}): DynamicChildSpec {
  const { id: _id, ...spec } = loggingWorker(log, name, extra, 'session');
  return spec;
}

describe('DynamicSupervisor', () => {
  it('starts children on demand and lists them', async () => {
    const system = quietSystem();
    const log: string[] = [];
    const pool = await DynamicSupervisor.start(system);
    expect(await DynamicSupervisor.countChildren(pool)).toEqual({ specs: 0, active: 0, supervisors: 0, workers: 0 });
    const a = started(await DynamicSupervisor.startChild(pool, child(log, 'a')));
    const b = started(await DynamicSupervisor.startChild(pool, child(log, 'b', { restart: 'transient' })));
    expect(await DynamicSupervisor.whichChildren(pool)).toEqual([
      { pid: a, type: 'worker', restart: 'permanent', actorType: 'session' },
      { pid: b, type: 'worker', restart: 'transient', actorType: 'session' },
    ]);
    expect(system.info(a)?.parent).toBe(pool.pid);
    expect(system.info(a)?.links).toContain(pool.pid);
  });

  it('refuses a child beyond maxChildren with MaxChildrenError', async () => {
    const system = quietSystem();
    const pool = await DynamicSupervisor.start(system, { maxChildren: 1 });
    await DynamicSupervisor.startChild(pool, child([], 'a'));
    const err = await DynamicSupervisor.startChild(pool, child([], 'b')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MaxChildrenError);
    expect(err).toMatchObject({ code: 'MAX_CHILDREN', maxChildren: 1 });
  });

  it('restarts a crashed permanent child, forgets a transient one that exits normally and a temporary one', async () => {
    const system = quietSystem();
    const pool = await DynamicSupervisor.start(system);
    const p = started(await DynamicSupervisor.startChild(pool, child([], 'p')));
    const t = started(await DynamicSupervisor.startChild(pool, child([], 't', { restart: 'transient' })));
    const tmp = started(await DynamicSupervisor.startChild(pool, child([], 'tmp', { restart: 'temporary' })));
    await crash(system, p);
    await exitItself(system, t, ExitReason.normal);
    await crash(system, tmp);
    const children = await DynamicSupervisor.whichChildren(pool);
    expect(children).toHaveLength(1);
    expect(children[0]?.pid).not.toBe(p);
    expect(children[0]?.restart).toBe('permanent');
  });

  it('exceeding the restart intensity stops every child and the supervisor', async () => {
    const system = quietSystem();
    const pool = await DynamicSupervisor.start(system, { intensity: 1 });
    await DynamicSupervisor.startChild(pool, child([], 'other'));
    const exited = system.join(pool.pid);
    const current = async (): Promise<Pid> => (await DynamicSupervisor.whichChildren(pool)).at(-1)!.pid;
    const first = started(await DynamicSupervisor.startChild(pool, child([], 'a')));
    await crash(system, first);
    await crash(system, await current());
    expect(await exited).toEqual(MAX_RESTART_INTENSITY);
    expect(system.actors()).toEqual([]);
  });

  it('terminateChild stops a child for good; an unknown pid is CHILD_NOT_FOUND', async () => {
    const system = quietSystem();
    const log: string[] = [];
    const pool = await DynamicSupervisor.start(system);
    const a = started(await DynamicSupervisor.startChild(pool, child(log, 'a')));
    await DynamicSupervisor.terminateChild(pool, a);
    expect(system.isAlive(a)).toBe(false);
    expect(await DynamicSupervisor.whichChildren(pool)).toEqual([]);
    await expect(DynamicSupervisor.terminateChild(pool, a)).rejects.toMatchObject({ code: 'CHILD_NOT_FOUND' });
    expect(log).toEqual(['start:a', 'stop:a']);
  });

  it('stopping it stops all its children', async () => {
    const system = quietSystem();
    const log: string[] = [];
    const pool = await DynamicSupervisor.start(system, {}, { name: 'pool' });
    for (const id of ['a', 'b', 'c']) await DynamicSupervisor.startChild(DynamicSupervisor.named(system, 'pool'), child(log, id));
    await pool.stop(ExitReason.shutdown());
    expect(log.filter((l) => l.startsWith('stop')).sort()).toEqual(['stop:a', 'stop:b', 'stop:c']);
    expect(system.actors()).toEqual([]);
  });

  it('a dynamic child can be any server started from the supervisor', async () => {
    const system = quietSystem();
    const pool = await DynamicSupervisor.start(system);
    const pid = started(await DynamicSupervisor.startChild(pool, { start: (sup) => GenServer.start(sup, counter, 5, { link: true }) }));
    expect(system.info(pid)?.type).toBe('counter');
  });
});
