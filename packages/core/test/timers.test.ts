import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError, TestClock } from '../src/index.js';
import { quietSystem, spawnProbe } from './helpers.js';

describe('timers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sendAfter delivers after exactly the delay, by the injected clock', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const probe = spawnProbe<string>(system);
    system.sendAfter(probe.ref, 'tick', 1000);
    clock.advance(999);
    await system.idle();
    expect(probe.messages).toEqual([]);
    clock.advance(1);
    expect(await probe.waitForMessages(1)).toEqual(['tick']);
    expect(system.stats().timers).toBe(0);
  });

  it('cancelTimer returns the time left, or false once fired or cancelled', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const probe = spawnProbe<string>(system);
    const t = system.sendAfter(probe.ref.pid, 'never', 500);
    clock.advance(200);
    expect(system.stats().timers).toBe(1);
    expect(system.cancelTimer(t)).toBe(300);
    expect(system.cancelTimer(t)).toBe(false);
    clock.advance(1000);
    await system.idle();
    expect(probe.messages).toEqual([]);
    const fired = system.sendAfter(probe.ref.pid, 'fired', 10);
    clock.advance(10);
    expect(system.cancelTimer(fired)).toBe(false);
  });

  it('a timer aimed at a pid is cancelled when that actor exits', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const ref = system.spawn(() => {}, { type: 't' });
    const t = system.sendAfter(ref.pid, 'x', 100);
    system.exit(ref.pid, 'kill');
    await system.join(ref.pid);
    expect(t.pending).toBe(false);
    expect(clock.pending).toBe(0);
    expect(system.stats().timers).toBe(0);
  });

  it('a timer aimed at a name resolves the name when it fires', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    system.sendAfter('late-comer', 'hello', 50);
    const probe = spawnProbe<string>(system, { name: 'late-comer' });
    clock.advance(50);
    expect(await probe.waitForMessages(1)).toEqual(['hello']);
  });

  it('actors set timers for themselves from ctx, and vitest fake timers drive the default clock', async () => {
    vi.useFakeTimers();
    const system = quietSystem();
    const probe = spawnProbe<number>(system);
    const ticker = system.spawn<number>((n, ctx) => {
      ctx.send(probe.ref, n);
      if (n < 3) ctx.sendAfter(ctx.self, n + 1, 1000);
    }, { type: 'ticker' });
    ticker.send(1);
    await system.idle();
    expect(probe.messages).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1000);
    await system.idle();
    expect(probe.messages).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(1000);
    await system.idle();
    expect(probe.messages).toEqual([1, 2, 3]);
  });

  it('rejects a negative or non-finite delay', () => {
    const system = quietSystem();
    const ref = system.spawn(() => {}, { type: 't' });
    expect(() => system.sendAfter(ref, 'x', -1)).toThrow(/sendAfter: invalid ms/);
    expect(() => system.sendAfter(ref, 'x', Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => system.sendAfter(ref, 'x', Number.POSITIVE_INFINITY)).toThrow(/finite/);
  });
});
