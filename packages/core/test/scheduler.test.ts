import { describe, expect, it } from 'vitest';
import type { ActorRef } from '../src/index.js';
import { deferred, quietSystem } from './helpers.js';

describe('scheduler', () => {
  it('yields to the event loop: a setTimeout fires while two actors ping-pong forever', async () => {
    const system = quietSystem();
    let rounds = 0;
    let peer: ActorRef<string> | undefined;
    const ping = system.spawn<string>((_, ctx) => {
      rounds++;
      ctx.send(peer!, 'ping');
    }, { type: 'ping' });
    peer = system.spawn<string>((_, ctx) => void ctx.send(ping, 'pong'), { type: 'pong' });
    ping.send('start');
    const fired = deferred<number>();
    setTimeout(() => fired.resolve(rounds), 1);
    const roundsWhenFired = await fired.promise;
    expect(roundsWhenFired).toBeGreaterThan(0);
    // and the ping-pong is still going
    const later = deferred<number>();
    setTimeout(() => later.resolve(rounds), 1);
    expect(await later.promise).toBeGreaterThan(roundsWhenFired);
    system.exit(ping.pid, 'kill');
    system.exit(peer.pid, 'kill');
  });

  it('I/O callbacks run while actors are busy', async () => {
    const system = quietSystem();
    let spins = 0;
    const spinner = system.spawn<string>((_, ctx) => {
      spins++;
      ctx.send(ctx.self, 'again');
    }, { type: 'spinner' });
    spinner.send('go');
    const io = deferred<number>();
    setImmediate(() => io.resolve(spins));
    expect(await io.promise).toBeGreaterThan(0);
    system.exit(spinner.pid, 'kill');
  });

  it('is fair: a busy actor does not hold up another actor until its mailbox is empty', async () => {
    const system = quietSystem({ scheduler: { budget: 10 } });
    const order: string[] = [];
    const a = system.spawn<number>((n) => void order.push(`a${n}`), { type: 'a' });
    const b = system.spawn<number>((n) => void order.push(`b${n}`), { type: 'b' });
    for (let i = 0; i < 30; i++) a.send(i);
    b.send(0);
    await system.idle();
    // b ran after a's first 10-message turn, not after all 30
    expect(order.indexOf('b0')).toBe(10);
  });

  it('rejects bad scheduler options with the setting named', () => {
    expect(() => quietSystem({ scheduler: { budget: 0 } })).toThrow(/scheduler\.budget/);
    expect(() => quietSystem({ scheduler: { sliceMs: Number.NaN } })).toThrow(/scheduler\.sliceMs/);
  });
});
