import { describe, expect, it } from 'vitest';
import { type ActorContext, ExitReason, SystemStoppedError, TestClock } from '../src/index.js';
import { quietSystem } from './helpers.js';

describe('shutdown', () => {
  it('stops every actor and resolves once every terminate callback ran', async () => {
    const system = quietSystem();
    const terminated: string[] = [];
    const behavior = (id: string) => ({
      receive() {},
      async terminate(reason: ExitReason) {
        await Promise.resolve();
        terminated.push(`${id}:${reason.kind}`);
      },
    });
    system.spawn(behavior('root1'), { type: 'r' });
    system.spawn(
      {
        init(ctx: ActorContext) {
          ctx.spawnLink(behavior('child'), { type: 'c' });
        },
        ...behavior('root2'),
      },
      { type: 'r' },
    );
    await system.idle();
    expect(system.stats().actors).toBe(3);
    await system.shutdown();
    expect(system.stats().actors).toBe(0);
    expect(terminated.sort()).toEqual(['child:shutdown', 'root1:shutdown', 'root2:shutdown']);
    expect(system.status).toBe('stopped');
  });

  it('asks roots first, newest first, so trees stop their own children', async () => {
    const system = quietSystem();
    const order: string[] = [];
    const node = (id: string, children: string[]) => ({
      init(ctx: ActorContext) {
        for (const c of children) ctx.spawnLink(node(c, []), { type: 'leaf' });
      },
      receive() {},
      terminate() {
        order.push(id);
      },
    });
    system.spawn(node('tree1', ['leaf1']), { type: 'tree' });
    system.spawn(node('tree2', ['leaf2']), { type: 'tree' });
    await system.idle();
    await system.shutdown();
    expect(order.slice(0, 2)).toEqual(['tree2', 'tree1']);
    expect(order.sort()).toEqual(['leaf1', 'leaf2', 'tree1', 'tree2']);
  });

  it('kills actors whose terminate outlives the timeout', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const hang = system.spawn({ receive() {}, terminate: () => new Promise<void>(() => {}) }, { type: 'hang' });
    const exited = system.join(hang.pid);
    const done = system.shutdown({ timeoutMs: 1000 });
    await system.idle();
    expect(system.isAlive(hang.pid)).toBe(false); // exiting
    expect(system.stats().actors).toBe(1);
    clock.advance(1000);
    await done;
    expect(await exited).toEqual(ExitReason.killed);
  });

  it('afterwards, spawn throws a typed error and sends return false', async () => {
    const system = quietSystem();
    const ref = system.spawn(() => {}, { type: 'x' });
    await system.shutdown();
    expect(() => system.spawn(() => {}, { type: 'x' })).toThrow(SystemStoppedError);
    expect(ref.send('late')).toBe(false);
    // calling it again is harmless
    await system.shutdown();
  });
});
