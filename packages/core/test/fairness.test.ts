import { describe, expect, it } from 'vitest';
import type { ActorRef } from '../src/index.js';
import { deferred, quietSystem } from './helpers.js';

/** Holds the CPU for `ms` milliseconds, as a heavy handler would. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

describe('fairness: sliceMs holds between heavy messages', () => {
  it('a timer runs between the heavy messages of one actor, not after its whole mailbox', async () => {
    const system = quietSystem({ scheduler: { sliceMs: 2 } });
    const events: string[] = [];
    const done = deferred();
    const heavy = system.spawn<number>((n) => {
      busy(4);
      events.push(`m${n}`);
      if (n === 9) done.resolve();
    }, { type: 'heavy' });
    for (let i = 0; i < 10; i++) heavy.send(i);
    setTimeout(() => events.push('timer'), 0);
    await done.promise;
    // Each message outlasts the slice (4 ms > 2 ms) and the timer is due after 1 ms: it runs
    // after the first heavy message, or the second at worst, not after all ten.
    const at = events.indexOf('timer');
    expect(at).toBeGreaterThanOrEqual(1);
    expect(at).toBeLessThanOrEqual(2);
  });

  it('a timer runs during a ping-pong of heavy handlers', async () => {
    const system = quietSystem({ scheduler: { sliceMs: 2 } });
    const events: string[] = [];
    const done = deferred();
    let pong: ActorRef<number> | undefined;
    const ping = system.spawn<number>((n, ctx) => {
      busy(3);
      events.push(`ping${n}`);
      if (n >= 10) done.resolve();
      else ctx.send(pong!, n + 1);
    }, { type: 'ping' });
    pong = system.spawn<number>((n, ctx) => {
      busy(3);
      events.push(`pong${n}`);
      ctx.send(ping, n + 1);
    }, { type: 'pong' });
    ping.send(0);
    setTimeout(() => events.push('timer'), 0);
    await done.promise;
    const at = events.indexOf('timer');
    expect(at).toBeGreaterThanOrEqual(1);
    expect(at).toBeLessThanOrEqual(2);
  });

  it('a timer runs between heavy inits of many actors', async () => {
    const system = quietSystem({ scheduler: { sliceMs: 2 } });
    const events: string[] = [];
    const pids = [];
    for (let i = 0; i < 10; i++) {
      pids.push(
        system.spawn({
          init() {
            busy(3);
            events.push(`init${i}`);
          },
          receive() {},
        }, { type: 'slow-init' }),
      );
    }
    setTimeout(() => events.push('timer'), 0);
    await system.idle();
    const at = events.indexOf('timer');
    expect(at).toBeGreaterThanOrEqual(1);
    expect(at).toBeLessThanOrEqual(2);
  });

  it('light messages still run in long batches: no yield per message', async () => {
    const system = quietSystem();
    let handled = 0;
    const light = system.spawn<number>(() => void handled++, { type: 'light' });
    for (let i = 0; i < 5000; i++) light.send(i);
    await system.idle();
    expect(handled).toBe(5000);
    // 5000 trivial messages fit in a handful of 5 ms slices, not thousands of yields
    expect(system.stats().yields).toBeLessThan(50);
  });
});
