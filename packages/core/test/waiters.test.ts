import { describe, expect, it } from 'vitest';
import { TestClock } from '../src/index.js';
import { gated, quietSystem } from './helpers.js';

/** An actor stuck in its first message until `gate` opens, so its mailbox stays full. */
function stuck(system: ReturnType<typeof quietSystem>, capacity: number) {
  return gated<number>(system, { capacity, overflow: 'backpressure' });
}

describe('sendAsync waiters at scale', () => {
  it('100k waiters timing out together all settle with false, each deadline O(1)', async () => {
    const system = quietSystem();
    const { ref, gate } = stuck(system, 1);
    ref.send(-1);
    await system.idle();
    ref.send(-2); // the mailbox is now full
    const n = 100_000;
    const waits: Promise<boolean>[] = new Array<Promise<boolean>>(n);
    for (let i = 0; i < n; i++) waits[i] = ref.sendAsync(i, { timeoutMs: 50 });
    const results = await Promise.all(waits);
    expect(results.every((r) => r === false)).toBe(true);
    const stats = system.stats();
    expect(stats.refused).toBe(n);
    expect(system.info(ref.pid)?.mailbox.depth).toBe(1);
    gate.resolve();
    await system.idle();
    expect(system.stats().processed).toBe(2);
  });

  it('admits waiters in order, skipping those that timed out, and leaves no timer behind', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const { ref, gate, seen } = stuck(system, 2);
    ref.send(0);
    await system.idle();
    ref.send(1);
    ref.send(2);
    const early = Array.from({ length: 5 }, (_, i) => ref.sendAsync(10 + i, { timeoutMs: 100 }));
    const short = Array.from({ length: 5 }, (_, i) => ref.sendAsync(20 + i, { timeoutMs: 10 }));
    const never = Array.from({ length: 5 }, (_, i) => ref.sendAsync(30 + i, { timeoutMs: Number.POSITIVE_INFINITY }));
    expect(clock.pending).toBe(2); // one timer per distinct deadline, not one per waiter
    clock.advance(10);
    expect(await Promise.all(short)).toEqual([false, false, false, false, false]);
    gate.resolve();
    expect(await Promise.all(early)).toEqual([true, true, true, true, true]);
    expect(await Promise.all(never)).toEqual([true, true, true, true, true]);
    await system.idle();
    expect(seen).toEqual([0, 1, 2, 10, 11, 12, 13, 14, 30, 31, 32, 33, 34]);
    expect(clock.pending).toBe(0);
  });

  it('waiters of an actor that exits resolve false at once and are counted as refused', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const { ref } = stuck(system, 1);
    ref.send(0);
    await system.idle();
    ref.send(1);
    const waits = [ref.sendAsync(2, { timeoutMs: 1000 }), ref.sendAsync(3, { timeoutMs: Number.POSITIVE_INFINITY })];
    system.exit(ref.pid, 'kill');
    expect(await Promise.all(waits)).toEqual([false, false]);
    await system.idle(); // an emptied deadline timer is disarmed when the macrotask ends
    expect(clock.pending).toBe(0);
    const s = system.stats();
    expect(s.refused).toBe(2);
    expect(s.discarded).toBe(1);
    expect(s.sent).toBe(s.processed + s.refused + s.dropped + s.discarded);
  });
});
