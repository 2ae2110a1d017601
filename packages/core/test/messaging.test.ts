import { describe, expect, it } from 'vitest';
import { type ActorContext, ExitReason, InvalidConfigError } from '../src/index.js';
import { deferred, quietSystem, spawnProbe } from './helpers.js';

describe('messaging', () => {
  it('delivers messages to one actor in the order they were sent', async () => {
    const system = quietSystem();
    const probe = spawnProbe<number>(system);
    for (let i = 0; i < 1000; i++) expect(probe.ref.send(i)).toBe(true);
    const got = await probe.waitForMessages(1000);
    expect(got).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('keeps per-actor order across async handlers, and an async handler suspends only its own actor', async () => {
    const system = quietSystem();
    const gate = deferred();
    const order: string[] = [];
    const slow = system.spawn<string>(
      {
        async receive(msg) {
          order.push(`slow:start:${msg}`);
          if (msg === 'a') await gate.promise;
          order.push(`slow:end:${msg}`);
        },
      },
      { type: 'slow' },
    );
    const fast = spawnProbe<string>(system);
    slow.send('a');
    slow.send('b');
    fast.ref.send('x');
    await fast.waitForMessages(1);
    await system.idle();
    // 'b' waits behind the suspended 'a'; the other actor was not held up.
    expect(order).toEqual(['slow:start:a']);
    gate.resolve();
    await system.idle();
    await Promise.resolve();
    await system.idle();
    expect(order).toEqual(['slow:start:a', 'slow:end:a', 'slow:start:b', 'slow:end:b']);
  });

  it('returns false, never throwing, for a send to a dead pid or an unknown name', async () => {
    const system = quietSystem();
    const ref = system.spawn(() => {}, { type: 'short' });
    system.exit(ref.pid, 'kill');
    await system.join(ref.pid);
    expect(ref.send('late')).toBe(false);
    expect(system.send(ref.pid, 'late')).toBe(false);
    expect(system.send('nobody', 'hello')).toBe(false);
  });

  it('sends by registered name and by ref', async () => {
    const system = quietSystem();
    const probe = spawnProbe<string>(system, { name: 'inbox' });
    expect(system.send('inbox', 'by-name')).toBe(true);
    expect(system.send(probe.ref, 'by-ref')).toBe(true);
    expect(await probe.waitForMessages(2)).toEqual(['by-name', 'by-ref']);
  });

  it('lets handlers send from ctx, to themselves and to others', async () => {
    const system = quietSystem();
    const probe = spawnProbe<number>(system);
    const counter = system.spawn<number>(
      (n, ctx) => {
        if (n < 3) ctx.send(ctx.self, n + 1);
        else ctx.send(probe.ref, n);
      },
      { type: 'counter' },
    );
    counter.send(0);
    expect(await probe.waitForMessages(1)).toEqual([3]);
  });

  it('runs init before the first message, even when init is async', async () => {
    const system = quietSystem();
    const seen: string[] = [];
    const gate = deferred();
    const ref = system.spawn<string>(
      {
        async init() {
          seen.push('init:start');
          await gate.promise;
          seen.push('init:end');
        },
        receive(msg) {
          seen.push(msg);
        },
      },
      { type: 'slow-init' },
    );
    ref.send('m1');
    await system.idle();
    expect(seen).toEqual(['init:start']);
    expect(system.info(ref.pid)?.status).toBe('starting');
    gate.resolve();
    await gate.promise;
    await system.idle();
    expect(seen).toEqual(['init:start', 'init:end', 'm1']);
  });

  it('accepts a class instance as behaviour and names its type after the class', async () => {
    const system = quietSystem();
    const done = deferred<number>();
    class Accumulator {
      total = 0;
      receive(n: number, ctx: ActorContext<number>) {
        this.total += n;
        if (this.total >= 6) {
          done.resolve(this.total);
          ctx.stop();
        }
      }
    }
    const ref = system.spawn(new Accumulator());
    expect(system.info(ref.pid)?.type).toBe('Accumulator');
    const exited = system.join(ref.pid);
    ref.send(1);
    ref.send(2);
    ref.send(3);
    expect(await done.promise).toBe(6);
    expect(await exited).toEqual(ExitReason.normal);
  });

  it('rejects a bad behaviour, type or mailbox option with an error naming the setting', () => {
    const system = quietSystem();
    expect(() => system.spawn({} as never)).toThrow(InvalidConfigError);
    expect(() => system.spawn(() => {}, { type: 'user 42 <x>' })).toThrow(/invalid type/);
    expect(() => system.spawn(() => {}, { type: 'w', mailbox: { capacity: 0 } })).toThrow(/mailbox\.capacity/);
    expect(() => system.spawn(() => {}, { type: 'w', mailbox: { overflow: 'drop' as never } })).toThrow(
      /mailbox\.overflow.*'reject', 'drop-oldest', 'backpressure'/,
    );
    expect(() => system.spawn(() => {}, { type: 'w', link: true })).toThrow(/ctx\.spawnLink/);
    try {
      system.spawn(() => {}, { type: 'w', mailbox: { capacity: -1 } });
    } catch (e) {
      expect((e as InvalidConfigError).code).toBe('INVALID_CONFIG');
      expect((e as InvalidConfigError).setting).toBe('mailbox.capacity');
    }
  });
});
