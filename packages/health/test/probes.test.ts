import { ExitReason, formatValue } from '@joerl/core';
import { GenServer, type GenServerDefinition, Supervisor } from '@joerl/gen';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UnknownCheckError } from '../src/index.js';
import { closeAll, deferred, harness, panic, supervisor } from './helpers.js';

afterEach(closeAll);

describe('liveness', () => {
  it('asks only whether the process can make progress: system and event-loop stall', () => {
    const { health } = harness();
    expect(health.checkNames('liveness')).toEqual(['system', 'event-loop-stall']);
  });

  it('stays healthy through degradation: full mailboxes, panics and critical thresholds', async () => {
    const { system, health } = harness({ thresholds: { panicRate: { warn: 1, critical: 2 }, actors: { criticalAbove: 0 } } });
    await panic(system, 5);
    const gate = deferred();
    const ref = system.spawn<number>(() => gate.promise, { type: 'slow', mailbox: { capacity: 2 } });
    ref.send(1);
    ref.send(2);
    ref.send(3);
    expect((await health.check()).status).toBe('unhealthy');
    expect((await health.liveness()).status).toBe('healthy');
    gate.resolve();
  });

  it('fails after the event loop stalled beyond stallMs, reporting how long', async () => {
    const { loop, health } = harness({ liveness: { stallMs: 1000, windowMs: 10_000, intervalMs: 100 } });
    loop.run(50);
    loop.stall(3000);
    const report = await health.liveness();
    expect(report.status).toBe('unhealthy');
    expect(report.issues).toEqual([
      expect.objectContaining({ check: 'event-loop-stall', severity: 'critical', observed: 2950, threshold: 1000, unit: 'ms' }),
    ]);
  });

  it('recovers once the stall is older than the window', async () => {
    const { loop, health } = harness({ liveness: { stallMs: 1000, windowMs: 10_000, intervalMs: 100 } });
    loop.stall(3000);
    loop.run(10_001);
    expect((await health.liveness()).status).toBe('healthy');
  });

  it('fails once the system has stopped, but not while it is stopping', async () => {
    const { clock, system, health } = harness();
    const gate = deferred();
    system.spawn<number>({ receive() {}, terminate: () => gate.promise }, { type: 'slow-to-stop' });
    const stopping = system.shutdown();
    expect(system.status).toBe('stopping');
    expect((await health.liveness()).status).toBe('degraded');
    gate.resolve();
    clock.advance(0);
    await stopping;
    const report = await health.liveness();
    expect(report.status).toBe('unhealthy');
    expect(report.issues[0]).toMatchObject({ check: 'system', observed: 'stopped' });
  });
});

describe('readiness', () => {
  it('is ready at once when it waits for nothing', async () => {
    const { health } = harness();
    expect((await health.readiness()).status).toBe('healthy');
  });

  it('is not ready until the required supervisor (by name) has started its children', async () => {
    const { system, health } = harness({ supervisors: ['app'] });
    expect((await health.readiness()).issues[0]).toMatchObject({ check: 'supervisors', message: expect.stringContaining("'app' is not running") });
    const gate = deferred();
    const slow: GenServerDefinition<null, null, never, never> = { type: 'slow-init', init: async () => (await gate.promise, GenServer.ok(null)) };
    const started = Supervisor.start(system, { strategy: 'one_for_one', children: [{ id: 's', start: (s) => GenServer.start(s, slow, null, { link: true }) }] }, { name: 'app' });
    await system.idle();
    expect((await health.readiness()).issues[0]?.message).toContain('still starting');
    gate.resolve();
    await started;
    await system.idle(); // core marks the supervisor started a few microtasks after its start resolves
    expect((await health.readiness()).status).toBe('healthy');
  });

  it('is not ready once a required supervisor died', async () => {
    const { system, health } = harness();
    const { sup, child } = await supervisor(system, { intensity: 0 });
    health.requireStarted(sup);
    expect((await health.readiness()).status).toBe('healthy');
    system.exit(await child(), ExitReason.custom('boom'));
    await system.join(sup.pid);
    expect((await health.readiness({ exclude: ['restart-intensity'] })).issues.map((i) => i.check)).toEqual(['supervisors']);
  });

  it('with awaitReady, is not ready until markReady()', async () => {
    const { health } = harness({ awaitReady: true });
    expect((await health.readiness()).issues[0]).toMatchObject({ check: 'ready', message: 'starting: waiting for markReady()' });
    health.markReady();
    expect((await health.readiness()).status).toBe('healthy');
  });

  it('is not ready once shutdown began, while overall health stays green', async () => {
    const { health } = harness();
    health.beginShutdown();
    expect(health.shuttingDown).toBe(true);
    expect((await health.readiness()).issues[0]).toMatchObject({ check: 'shutdown', severity: 'critical' });
    expect((await health.check()).status).toBe('healthy');
  });

  it('is not ready while a critical threshold is crossed, and ready while merely degraded', async () => {
    const { system, health } = harness({ thresholds: { actors: { warnAbove: 1, criticalAbove: 2 } } });
    system.spawn<number>(() => {}, { type: 'w' });
    system.spawn<number>(() => {}, { type: 'w' });
    expect((await health.readiness()).status).toBe('degraded');
    system.spawn<number>(() => {}, { type: 'w' });
    expect((await health.readiness()).status).toBe('unhealthy');
  });
});

describe('graceful shutdown', () => {
  it('turns readiness to 503 at once, and stops the system only after the drain period', async () => {
    const { clock, system, health } = harness();
    const done = health.drainAndShutdown({ drainMs: 5000 });
    expect((await health.readiness()).status).toBe('unhealthy');
    clock.advance(4999);
    expect(system.status).toBe('running');
    clock.advance(1);
    await done;
    expect(system.status).toBe('stopped');
  });

  it('a shutdown hook does the same on a signal', async () => {
    const { clock, system, health } = harness();
    const remove = health.installShutdownHook({ signals: ['SIGUSR2'], drainMs: 1000, exit: false });
    process.emit('SIGUSR2', 'SIGUSR2');
    expect((await health.readiness()).issues.map((i) => i.check)).toEqual(['shutdown']);
    expect(system.status).toBe('running');
    clock.advance(1000);
    await health.drainAndShutdown(); // the shutdown the signal started
    expect(system.status).toBe('stopped');
    remove();
  });

  it('a shutdown that fails with a value that cannot be printed is logged, not thrown', async () => {
    const { health } = harness();
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the hostile value is the point
    vi.spyOn(health, 'drainAndShutdown').mockReturnValue(Promise.reject(revoked.proxy));
    const logged = deferred<string>();
    const logger = { warn: () => undefined, error: (message: string) => logged.resolve(message) };
    const remove = health.installShutdownHook({ signals: ['SIGUSR2'], exit: false, logger });
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(await logged.promise).toBe(`shutdown after SIGUSR2 failed: ${formatValue(revoked.proxy)}`);
    remove();
  });

  it('removing the hook removes its signal handlers', () => {
    const { health } = harness();
    const before = process.listenerCount('SIGUSR2');
    const remove = health.installShutdownHook({ signals: ['SIGUSR2'], exit: false });
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    remove();
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });
});

describe('asking one check', () => {
  it('runs only that check', async () => {
    const { health } = harness();
    health.addCheck('database', () => false);
    const report = await health.probe('readiness', { check: 'heap' });
    expect(report.checks.map((c) => c.check)).toEqual(['heap']);
    expect(report.status).toBe('healthy');
  });

  it('rejects a check the probe does not have', async () => {
    const { health } = harness();
    await expect(health.probe('liveness', { check: 'heap' })).rejects.toBeInstanceOf(UnknownCheckError);
  });
});
