import { describe, expect, it } from 'vitest';
import {
  type ActorHandle,
  type ActorType,
  type CrashPhase,
  type ExitReason,
  NoopInstrumentation,
  type SendFailureReason,
  type SignalKind,
  type SignalOutcome,
  TestClock,
} from '../src/index.js';
import { quietSystem, spawnProbe } from './helpers.js';

/** Records every runtime hook as a readable line. */
class Recorder extends NoopInstrumentation {
  events: string[] = [];
  private seq = 0;
  override actorSpawned(a: ActorHandle) {
    this.events.push(`spawned ${a.type}`);
  }
  override actorStopped(a: ActorHandle, r: ExitReason, lifetimeMs: number) {
    this.events.push(`stopped ${a.type} ${r.kind} ${lifetimeMs}ms depth=${a.mailboxDepth}`);
  }
  override actorCrashed(a: ActorHandle, e: unknown, phase: CrashPhase) {
    this.events.push(`crashed ${a.type} ${phase} ${(e as Error).message}`);
  }
  override messageSent(t: ActorHandle, s: ActorHandle | null): unknown {
    const meta = ++this.seq;
    this.events.push(`sent ${s?.type ?? 'outside'}->${t.type} #${meta}`);
    return meta;
  }
  override sendFailed(r: SendFailureReason, t: ActorType | null, s: ActorHandle | null) {
    this.events.push(`failed ${r} ${t?.name ?? '?'} from ${s?.type ?? 'outside'}`);
  }
  override mailboxFull(a: ActorHandle) {
    this.events.push(`full ${a.type}`);
  }
  override messageStart(a: ActorHandle, meta: unknown): unknown {
    this.events.push(`start ${a.type} #${String(meta)}`);
    return `tok${String(meta)}`;
  }
  override messageEnd(a: ActorHandle, meta: unknown, token: unknown, failed: boolean, error: unknown) {
    this.events.push(`end ${a.type} #${String(meta)} ${String(token)} ${failed ? `failed: ${(error as Error).message}` : 'ok'}`);
  }
  override invoke<A, B, R>(token: unknown, fn: (a: A, b: B) => R, thisArg: unknown, a: A, b: B): R {
    this.events.push(`invoke ${String(token)}`);
    return fn.call(thisArg, a, b);
  }
  override linkCreated(a: ActorHandle, b: ActorHandle) {
    this.events.push(`link ${a.type}-${b.type}`);
  }
  override monitorCreated(w: ActorHandle | null, t: ActorHandle) {
    this.events.push(`monitor ${w?.type ?? 'outside'}->${t.type}`);
  }
  override signalSent(f: ActorHandle | null, t: ActorHandle, k: SignalKind, r: ExitReason) {
    this.events.push(`signal ${k} ${r.kind} ${f?.type ?? 'system'}->${t.type}`);
  }
  override signalReceived(t: ActorHandle, k: SignalKind, r: ExitReason, o: SignalOutcome) {
    this.events.push(`received ${k} ${r.kind} by ${t.type}: ${o}`);
  }
}

describe('instrumentation hooks', () => {
  it("see the message itself, and a system.send from inside a handler as that actor's send (every Erlang send has a sender)", async () => {
    const seen: string[] = [];
    class Payloads extends NoopInstrumentation {
      override messageSent(t: ActorHandle, s: ActorHandle | null, message: unknown): unknown {
        seen.push(`${s?.type ?? 'outside'}->${t.type} ${String(message)}`);
        return undefined;
      }
    }
    const system = quietSystem({ instrumentation: new Payloads() });
    const probe = spawnProbe<string>(system, { name: 'sink' });
    const relay = system.spawn<string>((m) => void system.send('sink', `${m}!`), { type: 'relay' });
    relay.send('hi');
    await probe.waitForMessages(1);
    system.send('sink', 'direct');
    await probe.waitForMessages(2);
    expect(seen).toEqual(['outside->relay hi', 'relay->probe hi!', 'outside->probe direct']);
  });

  it('see a message from send through handling, with its meta and token', async () => {
    const ins = new Recorder();
    const system = quietSystem({ instrumentation: ins });
    const echo = system.spawn<string>((m, ctx) => void ctx.send(probe.ref, m), { type: 'echo' });
    const probe = spawnProbe<string>(system);
    echo.send('hi');
    await probe.waitForMessages(1);
    expect(ins.events).toEqual([
      'spawned echo',
      'spawned probe',
      'sent outside->echo #1',
      'start echo #1',
      'invoke tok1',
      'sent echo->probe #2',
      'end echo #1 tok1 ok',
      'start probe #2',
      'invoke tok2',
      'end probe #2 tok2 ok',
    ]);
  });

  it('see crashes, stops with reason and lifetime, links, monitors and signals', async () => {
    const clock = new TestClock();
    const ins = new Recorder();
    const system = quietSystem({ instrumentation: ins, clock });
    const watcher = spawnProbe(system, { type: 'watcher' });
    const victim = system.spawn<string>(
      (m) => {
        throw new Error(m);
      },
      { type: 'victim', link: watcher.ref.pid },
    );
    system.monitor(victim.pid, () => {});
    clock.advance(250);
    ins.events.length = 0;
    victim.send('boom');
    await watcher.waitForSignals(1);
    expect(ins.events).toEqual([
      'sent outside->victim #1',
      'start victim #1',
      'invoke tok1',
      'end victim #1 tok1 failed: boom',
      'crashed victim receive boom',
      'stopped victim error 250ms depth=0',
      'signal exit error victim->watcher',
      'received exit error by watcher: delivered',
    ]);
  });

  it('see every kind of failed send, with the target type when it is known', async () => {
    const ins = new Recorder();
    const system = quietSystem({ instrumentation: ins });
    const dead = system.spawn(() => {}, { type: 'gone' });
    system.exit(dead.pid, 'kill');
    await system.join(dead.pid);
    ins.events.length = 0;
    system.send(dead.pid, 1);
    system.send('no-such-name', 1);
    const full = system.spawn(() => {}, { type: 'tiny', mailbox: { capacity: 1 } });
    full.send(1);
    full.send(2);
    expect(ins.events.filter((e) => e.startsWith('failed') || e.startsWith('full'))).toEqual([
      'failed noproc gone from outside',
      'failed noproc ? from outside',
      'full tiny',
      'failed mailbox_full tiny from outside',
    ]);
  });

  it('see kill, ignored normal exits and links/monitors created', async () => {
    const ins = new Recorder();
    const system = quietSystem({ instrumentation: ins });
    const a = system.spawn(() => {}, { type: 'a' });
    const b = system.spawn(() => {}, { type: 'b', link: a.pid });
    system.monitor(b.pid, () => {});
    system.exit(a.pid, 'normal');
    system.exit(b.pid, 'kill');
    await system.join(b.pid);
    expect(ins.events.filter((e) => /^(link|monitor|signal|received)/.test(e))).toEqual([
      'link b-a',
      'monitor outside->b',
      'signal exit normal system->a',
      'received exit normal by a: ignored',
      'signal kill killed system->b',
      'received kill killed by b: terminated',
      'signal exit killed b->a',
      'received exit killed by a: terminated',
    ]);
  });

  it('are optional: a system without instrumentation runs the same program', async () => {
    const system = quietSystem();
    expect(system.instrumentation).toBeNull();
    const probe = spawnProbe<number>(system);
    for (let i = 0; i < 10; i++) probe.ref.send(i);
    expect(await probe.waitForMessages(10)).toHaveLength(10);
  });

  it('the per-type slot is shared by all actors of a type, and the per-actor slot is the instrumentation\'s own', () => {
    class Slots extends NoopInstrumentation {
      override actorSpawned(a: ActorHandle) {
        a.actorType.slot ??= { spawned: 0 };
        (a.actorType.slot as { spawned: number }).spawned++;
        a.slot = a.pid.id;
      }
    }
    const system = quietSystem({ instrumentation: new Slots() });
    const x = system.spawn(() => {}, { type: 'shared' });
    system.spawn(() => {}, { type: 'shared' });
    const handle = system.handle(x.pid)!;
    expect(handle.actorType.slot).toEqual({ spawned: 2 });
    expect(handle.slot).toBe(x.pid.id);
    expect([...system.handles()].map((h) => h.type)).toEqual(['shared', 'shared']);
  });

  it('with perMessage false, only messages carrying meta go through messageStart/messageEnd', async () => {
    class EveryOther extends NoopInstrumentation {
      override readonly perMessage = false;
      seen: string[] = [];
      private n = 0;
      override messageSent(): unknown {
        return ++this.n % 2 === 0 ? this.n : undefined;
      }
      override messageStart(_a: ActorHandle, meta: unknown): unknown {
        this.seen.push(`start ${String(meta)}`);
        return undefined;
      }
      override messageEnd(_a: ActorHandle, meta: unknown): void {
        this.seen.push(`end ${String(meta)}`);
      }
    }
    const ins = new EveryOther();
    const system = quietSystem({ instrumentation: ins });
    const got: number[] = [];
    const ref = system.spawn<number>(async (n) => {
      await Promise.resolve();
      got.push(n);
    }, { type: 'w' });
    for (let i = 1; i <= 4; i++) ref.send(i);
    await system.idle();
    await system.idle();
    expect(got).toEqual([1, 2, 3, 4]);
    expect(ins.seen).toEqual(['start 2', 'end 2', 'start 4', 'end 4']);
  });
});
