import { describe, expect, it, vi } from 'vitest';
import { ActorSystem, ExitReason, type Logger } from '../src/index.js';
import { deferred, quietSystem, spawnProbe } from './helpers.js';

describe('crashing handlers', () => {
  it('a throwing handler ends only its actor, with { kind: error } carrying the thrown value', async () => {
    const system = quietSystem();
    const bystander = spawnProbe<string>(system, { trapExit: false });
    const error = new Error('boom');
    const ref = system.spawn<string>(() => {
      throw error;
    }, { type: 'thrower' });
    const exited = system.join(ref.pid);
    ref.send('go');
    expect(await exited).toEqual({ kind: 'error', error });
    bystander.ref.send('still here');
    expect(await bystander.waitForMessages(1)).toEqual(['still here']);
  });

  it('a rejecting async handler ends its actor the same way', async () => {
    const system = quietSystem();
    const ref = system.spawn<string>(async (msg) => {
      await Promise.resolve();
      throw new Error(msg);
    }, { type: 'rejecter' });
    const exited = system.join(ref.pid);
    ref.send('async boom');
    const reason = await exited;
    expect(reason.kind).toBe('error');
    expect((reason as { error: Error }).error.message).toBe('async boom');
  });

  it('a crashing init ends the actor before any message is handled', async () => {
    const system = quietSystem();
    const received: unknown[] = [];
    const ref = system.spawn(
      {
        init() {
          throw new Error('bad config');
        },
        receive(m) {
          received.push(m);
        },
      },
      { type: 'bad-init' },
    );
    ref.send('never handled');
    const reason = await system.join(ref.pid);
    expect(reason.kind).toBe('error');
    expect(received).toEqual([]);
  });

  it('a thrown ExitReason is still an error exit (stop() is how an actor chooses its reason)', async () => {
    const system = quietSystem();
    const ref = system.spawn<string>((_, ctx) => ctx.stop(ExitReason.custom('done_early')), { type: 's' });
    const exited = system.join(ref.pid);
    ref.send('x');
    expect(await exited).toEqual(ExitReason.custom('done_early'));
  });

  it('terminate runs once with the reason, and a throwing terminate replaces the reason with its error (OTP: gen_server exits with the terminate crash)', async () => {
    const system = quietSystem();
    const calls: unknown[] = [];
    const ref = system.spawn<string>(
      {
        receive() {
          throw new Error('x');
        },
        terminate(reason) {
          calls.push(reason.kind);
          throw new Error('cleanup failed');
        },
      },
      { type: 't' },
    );
    const exited = system.join(ref.pid);
    ref.send('go');
    const reason = await exited;
    expect(reason.kind === 'error' && (reason.error as Error).message).toBe('cleanup failed');
    expect(calls).toEqual(['error']);
  });

  it('an async terminate is awaited before links and monitors are told', async () => {
    const system = quietSystem();
    const probe = spawnProbe(system);
    const cleanup = deferred();
    const ref = system.spawn(
      {
        receive() {},
        async terminate() {
          await cleanup.promise;
        },
      },
      { type: 'slow-exit', link: probe.ref.pid },
    );
    system.exit(ref.pid, 'shutdown');
    await system.idle();
    expect(system.info(ref.pid)?.status).toBe('exiting');
    expect(probe.signals).toEqual([]);
    cleanup.resolve();
    const [signal] = await probe.waitForSignals(1);
    expect(signal?.reason).toEqual(ExitReason.shutdown());
  });

  it('kill interrupts a hanging terminate', async () => {
    const system = quietSystem();
    const ref = system.spawn({ receive() {}, terminate: () => new Promise<void>(() => {}) }, { type: 'hang' });
    system.exit(ref.pid, 'shutdown');
    await system.idle();
    expect(system.info(ref.pid)?.status).toBe('exiting');
    const exited = system.join(ref.pid);
    system.exit(ref.pid, 'kill');
    expect(await exited).toEqual(ExitReason.killed);
  });

  it('logs a crash report naming the actor, to the configured logger', async () => {
    const logger: Logger = { warn: vi.fn(), error: vi.fn() };
    const system = new ActorSystem({ logger });
    const ref = system.spawn<string>(() => {
      throw new TypeError('nope');
    }, { type: 'reporter' });
    const exited = system.join(ref.pid);
    ref.send('go');
    await exited;
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(vi.mocked(logger.error).mock.calls[0]?.[0]).toBe(`actor ${ref.pid} (type 'reporter') crashed in receive: TypeError: nope`);
  });
});

describe('killed', () => {
  it('an actor that stops itself with reason killed still runs terminate; one killed by the signal does not', async () => {
    const system = quietSystem();
    const ran: string[] = [];
    const behavior = (id: string) => ({
      receive(_: unknown, ctx: { stop(r: ExitReason): void }) {
        ctx.stop(ExitReason.killed);
      },
      terminate() {
        ran.push(id);
      },
    });
    const chooser = system.spawn(behavior('chooser'), { type: 't' });
    const victim = system.spawn(behavior('victim'), { type: 't' });
    const linked = system.spawn(behavior('linked'), { type: 't', link: victim });
    const [c, v, l] = [chooser, victim, linked].map((pid) => system.join(pid));
    chooser.send('stop');
    system.exit(victim, 'kill');
    expect(await c).toEqual(ExitReason.killed);
    expect(await v).toEqual(ExitReason.killed);
    // the linked actor dies of the propagated `killed` reason: an ordinary exit, so terminate runs
    expect(await l).toEqual(ExitReason.killed);
    expect(ran.sort()).toEqual(['chooser', 'linked']);
  });
});
