import { describe, expect, it } from 'vitest';
import { DEFAULT_MAILBOX_CAPACITY, ExitReason, NoopInstrumentation, type ActorHandle, type SendFailureReason, TestClock, type ActorType } from '../src/index.js';
import { gated, quietSystem, spawnProbe } from './helpers.js';

class FailureLog extends NoopInstrumentation {
  failures: SendFailureReason[] = [];
  full = 0;
  override sendFailed(reason: SendFailureReason, _t: ActorType | null, _s: ActorHandle | null): void {
    this.failures.push(reason);
  }
  override mailboxFull(): void {
    this.full++;
  }
}

describe('mailboxes', () => {
  it('are bounded by default, at the documented capacity', () => {
    const system = quietSystem();
    const ref = system.spawn(() => {}, { type: 'x' });
    expect(system.info(ref.pid)?.mailbox).toEqual({ depth: 0, capacity: DEFAULT_MAILBOX_CAPACITY, overflow: 'reject' });
  });

  it('reject: a send to a full mailbox returns false and is reported, never silently lost', async () => {
    const ins = new FailureLog();
    const system = quietSystem({ instrumentation: ins });
    const { ref, gate, seen } = gated<number>(system, { capacity: 3 });
    ref.send(0);
    await system.idle(); // 0 is being handled (suspended), the mailbox is empty
    expect([1, 2, 3, 4].map((n) => ref.send(n))).toEqual([true, true, true, false]);
    expect(ins.failures).toEqual(['mailbox_full']);
    expect(ins.full).toBe(1);
    gate.resolve();
    await gate.promise;
    await system.idle();
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('drop-oldest: a full mailbox drops its oldest message to take the new one, and reports it', async () => {
    const ins = new FailureLog();
    const system = quietSystem({ instrumentation: ins });
    const { ref, gate, seen } = gated<number>(system, { capacity: 3, overflow: 'drop-oldest' });
    ref.send(0);
    await system.idle();
    expect([1, 2, 3, 4, 5].map((n) => ref.send(n))).toEqual([true, true, true, true, true]);
    expect(ins.failures).toEqual(['dropped', 'dropped']);
    expect(system.info(ref.pid)?.messages.dropped).toBe(2);
    gate.resolve();
    await gate.promise;
    await system.idle();
    expect(seen).toEqual([0, 3, 4, 5]);
  });

  it('backpressure: sendAsync waits for room, and resolves false after its timeout', async () => {
    const clock = new TestClock();
    const ins = new FailureLog();
    const system = quietSystem({ clock, instrumentation: ins });
    const { ref, gate, seen } = gated<number>(system, { capacity: 2, overflow: 'backpressure' });
    ref.send(0);
    await system.idle();
    expect(ref.send(1)).toBe(true);
    expect(ref.send(2)).toBe(true);
    expect(ref.send(3)).toBe(false); // plain send never waits
    const waiting = ref.sendAsync(4, { timeoutMs: 100 });
    const timingOut = ref.sendAsync(5, { timeoutMs: 10 });
    clock.advance(10);
    expect(await timingOut).toBe(false);
    gate.resolve();
    await gate.promise;
    expect(await waiting).toBe(true);
    await system.idle();
    expect(seen).toEqual([0, 1, 2, 4]);
    expect(ins.failures).toEqual(['mailbox_full', 'timeout']);
  });

  it('reject: sendAsync to a full mailbox resolves false at once', async () => {
    const system = quietSystem();
    const { ref } = gated<number>(system, { capacity: 1 });
    ref.send(0);
    await system.idle();
    ref.send(1);
    expect(await ref.sendAsync(2)).toBe(false);
  });

  it('signals never wait behind a full mailbox: a kill lands at once, a trapped exit is never dropped', async () => {
    const system = quietSystem();
    const { ref } = gated<number>(system, { capacity: 2 });
    ref.send(0);
    await system.idle();
    ref.send(1);
    ref.send(2);
    expect(ref.send(3)).toBe(false);
    system.exit(ref.pid, 'kill');
    expect(await system.join(ref.pid)).toEqual(ExitReason.killed);

    const probe = spawnProbe<number>(system, { mailbox: { capacity: 1 } });
    // fill the probe's mailbox before it can run, then send it exit signals
    probe.ref.send(1);
    expect(probe.ref.send(2)).toBe(false);
    for (let i = 0; i < 5; i++) system.exit(probe.ref.pid, ExitReason.custom(`r${i}`));
    const signals = await probe.waitForSignals(5);
    expect(signals.map((s) => s.reason)).toEqual([0, 1, 2, 3, 4].map((i) => ExitReason.custom(`r${i}`)));
  });

  it('an unbounded mailbox takes any number of messages', async () => {
    const system = quietSystem();
    const probe = spawnProbe<number>(system, { mailbox: { capacity: Number.POSITIVE_INFINITY } });
    for (let i = 0; i < DEFAULT_MAILBOX_CAPACITY + 10; i++) expect(probe.ref.send(i)).toBe(true);
    await probe.waitForMessages(DEFAULT_MAILBOX_CAPACITY + 10);
  });

  it('mailbox depth falls back to 0 once drained', async () => {
    const system = quietSystem();
    const { ref, gate } = gated<number>(system, {});
    ref.send(0);
    await system.idle();
    for (let i = 1; i <= 100; i++) ref.send(i);
    expect(system.info(ref.pid)?.mailbox.depth).toBe(100);
    gate.resolve();
    await gate.promise;
    await system.idle();
    expect(system.info(ref.pid)?.mailbox.depth).toBe(0);
    expect(system.info(ref.pid)?.messages).toEqual({ received: 101, processed: 101, dropped: 0 });
  });
});
