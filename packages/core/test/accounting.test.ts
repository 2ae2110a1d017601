import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  type ActorHandle,
  type ActorRef,
  type ActorType,
  ExitReason,
  NoopInstrumentation,
  type OverflowPolicy,
  type SendFailureReason,
  TestClock,
} from '../src/index.js';
import { deferred, HOSTILE_KINDS, makeHostile, quietSystem } from './helpers.js';

/** Counts what the instrumentation port is told about messages. */
class Ledger extends NoopInstrumentation {
  override readonly perMessage = false;
  enqueued = 0;
  readonly failed: Record<SendFailureReason, number> = { noproc: 0, mailbox_full: 0, dropped: 0, timeout: 0 };
  discarded = 0;
  discardCalls = 0;
  override messageSent(): unknown {
    this.enqueued++;
    return undefined;
  }
  override sendFailed(reason: SendFailureReason, _t: ActorType | null, _s: ActorHandle | null): void {
    this.failed[reason]++;
  }
  override messagesDiscarded(_actor: ActorHandle, count: number): void {
    this.discardCalls++;
    this.discarded += count;
  }
}

type Payload = { kind: 'plain' } | { kind: 'crash'; hostile: number } | { kind: 'stop' } | { kind: 'forward'; to: number };

type Op =
  | { op: 'send'; to: number; payload: Payload }
  | { op: 'sendAsync'; to: number; payload: Payload; timeoutMs: number }
  | { op: 'kill'; to: number }
  | { op: 'exit'; to: number; reason: 'shutdown' | 'normal' | 'custom' }
  | { op: 'open'; to: number }
  | { op: 'advance'; ms: number }
  | { op: 'idle' };

interface ActorSpec {
  capacity: number;
  overflow: OverflowPolicy;
  async: boolean;
  trapExit: boolean;
}

const ACTORS = 4;
const target = fc.integer({ min: 0, max: ACTORS }); // ACTORS itself: a name nobody holds
const payload: fc.Arbitrary<Payload> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Payload>({ kind: 'plain' }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: HOSTILE_KINDS.length - 1 }).map((hostile): Payload => ({ kind: 'crash', hostile })) },
  { weight: 1, arbitrary: fc.constant<Payload>({ kind: 'stop' }) },
  { weight: 2, arbitrary: target.map((to): Payload => ({ kind: 'forward', to })) },
);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ op: fc.constant('send' as const), to: target, payload }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('sendAsync' as const),
      to: target,
      payload,
      timeoutMs: fc.constantFrom(0, 5, 50, Number.POSITIVE_INFINITY),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('kill' as const), to: target }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('exit' as const), to: target, reason: fc.constantFrom('shutdown' as const, 'normal' as const, 'custom' as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('open' as const), to: target }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(1, 5, 60) }) },
  { weight: 2, arbitrary: fc.constant<Op>({ op: 'idle' }) },
);
const actorSpec: fc.Arbitrary<ActorSpec> = fc.record({
  capacity: fc.constantFrom(1, 2, 3, 8),
  overflow: fc.constantFrom<OverflowPolicy>('reject', 'drop-oldest', 'backpressure'),
  async: fc.boolean(),
  trapExit: fc.boolean(),
});

describe('message accounting', () => {
  test.prop(
    [
      fc.array(actorSpec, { minLength: ACTORS, maxLength: ACTORS }),
      fc.array(op, { maxLength: 80 }),
      fc.constantFrom('drain' as const, 'shutdown' as const),
      fc.boolean(),
    ],
    { numRuns: 100, timeout: 5000 },
  )(
    'at quiescence, sent = processed + refused + dropped + discarded, for every policy and every way an actor ends',
    async (specs, ops, ending, instrumented) => {
      const clock = new TestClock();
      const ledger = new Ledger();
      const system = quietSystem({ clock, instrumentation: instrumented ? ledger : null });
      let sent = 0; // what the model counts: every send, sendAsync and ctx.send
      const gates: ReturnType<typeof deferred<void>>[] = [];
      const refs: ActorRef<Payload>[] = [];
      const dest = (i: number): ActorRef<Payload> | string => (i < ACTORS ? (refs[i] as ActorRef<Payload>) : 'nobody');
      specs.forEach((spec, i) => {
        const gate = deferred();
        gates.push(gate);
        refs.push(
          system.spawn<Payload>(
            (m, ctx) => {
              if (m.kind === 'crash') throw makeHostile(HOSTILE_KINDS[m.hostile] as (typeof HOSTILE_KINDS)[number]);
              if (m.kind === 'stop') ctx.stop(ExitReason.custom('stop'));
              if (m.kind === 'forward') {
                sent++;
                ctx.send(dest(m.to), { kind: 'plain' });
              }
              return spec.async ? gate.promise : undefined;
            },
            { type: `a${i}`, mailbox: { capacity: spec.capacity, overflow: spec.overflow }, trapExit: spec.trapExit },
          ),
        );
      });
      const waits: Promise<boolean>[] = [];
      for (const o of ops) {
        switch (o.op) {
          case 'send':
            sent++;
            system.send(dest(o.to), o.payload);
            break;
          case 'sendAsync':
            sent++;
            waits.push(system.sendAsync(dest(o.to), o.payload, { timeoutMs: o.timeoutMs }));
            break;
          case 'kill':
            if (o.to < ACTORS) system.exit(refs[o.to] as ActorRef<Payload>, 'kill');
            break;
          case 'exit':
            if (o.to < ACTORS) system.exit(refs[o.to] as ActorRef<Payload>, o.reason === 'custom' ? ExitReason.custom('model') : o.reason);
            break;
          case 'open':
            gates[o.to]?.resolve();
            break;
          case 'advance':
            clock.advance(o.ms);
            break;
          case 'idle':
            await system.idle();
            break;
        }
      }
      if (ending === 'shutdown') {
        // actors trapping exits without handleSignal ignore the shutdown signal: killed at the timeout
        const done = system.shutdown({ timeoutMs: 1000 });
        await system.idle();
        clock.advance(1000);
        await done;
      } else {
        for (const g of gates) g.resolve();
        clock.advance(100); // every finite deadline passes
        // Infinity waiters are admitted as the (now open) actors drain
        await Promise.all(waits);
        await system.idle();
      }
      await Promise.all(waits);
      const s = system.stats();
      expect(s.queued).toBe(0);
      expect(s.sent).toBe(sent);
      expect(s.sent).toBe(s.processed + s.refused + s.dropped + s.discarded);
      if (instrumented) {
        // the port tells the same story
        const f = ledger.failed;
        expect(ledger.enqueued).toBe(s.processed + s.dropped + s.discarded);
        expect(f.noproc + f.mailbox_full + f.timeout).toBe(s.refused);
        expect(f.dropped).toBe(s.dropped);
        expect(ledger.discarded).toBe(s.discarded);
      }
    },
  );

  it('counts the 999 messages queued behind a crash as discarded, through the port once', async () => {
    const ledger = new Ledger();
    const system = quietSystem({ instrumentation: ledger });
    const ref = system.spawn<number>((n) => {
      if (n === 0) throw new Error('boom');
    }, { type: 'crashy' });
    for (let i = 0; i < 1000; i++) ref.send(i);
    await system.join(ref.pid);
    const s = system.stats();
    expect(s).toMatchObject({ sent: 1000, processed: 1, discarded: 999, refused: 0, dropped: 0 });
    expect(ledger.discardCalls).toBe(1);
    expect(ledger.discarded).toBe(999);
  });
});
