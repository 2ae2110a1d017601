import { ExitReason } from '@joerl/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HealthReport } from '../src/index.js';
import { closeAll, deferred, harness, panic, supervisor } from './helpers.js';

afterEach(closeAll);

/** The result of one check in a report. */
function result(report: HealthReport, check: string) {
  const r = report.checks.find((c) => c.check === check);
  if (r === undefined) throw new Error(`no check ${check} in the report`);
  return r;
}

describe('a healthy system', () => {
  it('is healthy, with no issues, under the default thresholds', async () => {
    const { system, health } = harness();
    system.spawn<number>(() => {}, { type: 'worker' });
    const report = await health.check();
    expect(report.status).toBe('healthy');
    expect(report.issues).toEqual([]);
  });
});

describe('actor count', () => {
  it('degrades above warnAbove and is unhealthy above criticalAbove', async () => {
    const { system, health } = harness({ thresholds: { actors: { warnAbove: 2, criticalAbove: 4 } } });
    for (let i = 0; i < 3; i++) system.spawn<number>(() => {}, { type: 'worker' });
    expect((await health.check()).status).toBe('degraded');
    for (let i = 0; i < 2; i++) system.spawn<number>(() => {}, { type: 'worker' });
    const report = await health.check();
    expect(report.status).toBe('unhealthy');
    expect(report.issues).toEqual([
      { kind: 'fail', severity: 'critical', check: 'actors', message: '5 live actors, more than 4 (criticalAbove)', observed: 5, threshold: 4, unit: 'actors' },
    ]);
  });

  it('is unhealthy below criticalBelow', async () => {
    const { system, health } = harness({ thresholds: { actors: { criticalBelow: 1 } } });
    expect((await health.check()).status).toBe('unhealthy');
    system.spawn<number>(() => {}, { type: 'worker' });
    expect((await health.check()).status).toBe('healthy');
  });
});

describe('mailbox utilization', () => {
  /** An actor stuck in its first message, whose mailbox then holds `queued` of `capacity`. */
  async function backlog(h: ReturnType<typeof harness>, queued: number, capacity = 100, type = 'slow') {
    const gate = deferred();
    const ref = h.system.spawn<number>(() => gate.promise, { type, mailbox: { capacity } });
    ref.send(0);
    await h.system.idle(); // it is now awaiting the gate
    for (let i = 0; i < queued; i++) ref.send(i);
    return gate;
  }

  it('degrades when any mailbox reaches the warning level, naming the actor type', async () => {
    const h = harness();
    await backlog(h, 80);
    const issue = (await h.health.check()).issues[0];
    expect(issue).toMatchObject({ check: 'mailbox-utilization', severity: 'warning', observed: 80, threshold: 80, unit: '%' });
    expect(issue?.message).toContain("actor type 'slow'");
  });

  it('is unhealthy at the critical level, and recovers once the mailbox drains', async () => {
    const h = harness();
    const gate = await backlog(h, 95);
    expect((await h.health.check()).status).toBe('unhealthy');
    gate.resolve();
    await h.system.idle();
    expect((await h.health.check()).status).toBe('healthy');
  });

  it('ignores the actor types it is told to', async () => {
    const h = harness({ thresholds: { mailboxUtilization: { ignoreTypes: ['batcher'] } } });
    await backlog(h, 99, 100, 'batcher');
    expect((await h.health.check()).status).toBe('healthy');
  });

  it('does not count unbounded mailboxes', async () => {
    const h = harness();
    await backlog(h, 500, Number.POSITIVE_INFINITY);
    expect(result(await h.health.check(), 'mailbox-utilization')).toMatchObject({ kind: 'pass', observed: 0 });
  });
});

describe('panic rate', () => {
  it('degrades at the warning rate, is unhealthy at the critical rate, and recovers after the window', async () => {
    const { clock, system, health } = harness({ thresholds: { panicRate: { warn: 10, critical: 30, windowMs: 60_000 } } });
    await panic(system, 10);
    expect(result(await health.check(), 'panic-rate')).toMatchObject({ kind: 'warn', observed: 10, threshold: 10, unit: 'per_minute' });
    clock.advance(1000);
    await panic(system, 20);
    expect(result(await health.check(), 'panic-rate')).toMatchObject({ kind: 'fail', observed: 30, threshold: 30 });
    clock.advance(60_000);
    expect(result(await health.check(), 'panic-rate')).toMatchObject({ kind: 'pass', observed: 0 });
  });

  it('averages over the window: a few panics a minute apart stay under the rate', async () => {
    const { clock, system, health } = harness({ thresholds: { panicRate: { warn: 3, windowMs: 60_000 } } });
    for (let i = 0; i < 5; i++) {
      await panic(system, 2);
      expect((await health.check()).status).toBe('healthy');
      clock.advance(61_000);
    }
  });
});

describe('restart rate', () => {
  it('degrades when supervisors restart children at the warning rate, and recovers after the window', async () => {
    const { clock, system, health } = harness({ thresholds: { restartRate: { warn: 3, critical: 6 } } });
    const { crashChild } = await supervisor(system, { intensity: 100 });
    for (let i = 0; i < 3; i++) await crashChild();
    expect(result(await health.check(), 'restart-rate')).toMatchObject({ kind: 'warn', observed: 3, threshold: 3 });
    clock.advance(60_001);
    expect((await health.check()).status).toBe('healthy');
  });

  it('is unhealthy at the critical rate', async () => {
    const { system, health } = harness({ thresholds: { restartRate: { warn: 3, critical: 6 } } });
    const { crashChild } = await supervisor(system, { intensity: 100 });
    for (let i = 0; i < 6; i++) await crashChild();
    expect(result(await health.check(), 'restart-rate')).toMatchObject({ kind: 'fail', observed: 6, threshold: 6 });
  });
});

describe('restart intensity', () => {
  it('is unhealthy once a supervisor gave up, for withinMs after it was seen', async () => {
    const { clock, system, health } = harness({ thresholds: { restartIntensity: { withinMs: 120_000 } } });
    const { sup, child } = await supervisor(system, { intensity: 0 });
    expect(result(await health.check(), 'restart-intensity').kind).toBe('pass');
    system.exit(await child(), ExitReason.custom('boom'));
    await system.join(sup.pid);
    clock.advance(1000);
    const issue = (await health.check()).issues.find((i) => i.check === 'restart-intensity');
    expect(issue).toMatchObject({ severity: 'critical', observed: 1 });
    expect(issue?.message).toContain('gave up');
    clock.advance(119_000);
    expect(result(await health.check(), 'restart-intensity').kind).toBe('fail');
    clock.advance(1001);
    expect(result(await health.check(), 'restart-intensity').kind).toBe('pass');
  });
});

describe('event-loop delay', () => {
  it('degrades at the warning p99 and is unhealthy at the critical one', async () => {
    let p99 = 20;
    const { health } = harness({ readings: { eventLoopP99Ms: () => p99 } });
    expect(result(await health.check(), 'event-loop-delay')).toMatchObject({ kind: 'pass', observed: 20, threshold: 100, unit: 'ms' });
    p99 = 150;
    expect(result(await health.check(), 'event-loop-delay')).toMatchObject({ kind: 'warn', observed: 150, threshold: 100 });
    p99 = 500;
    expect(result(await health.check(), 'event-loop-delay')).toMatchObject({ kind: 'fail', observed: 500, threshold: 500 });
  });

  it("reads telemetry's p99 (in seconds) as milliseconds, once it has 100 samples", async () => {
    const { telemetry, health } = harness();
    const delay = vi.spyOn(telemetry, 'eventLoopDelay').mockReturnValue({ p50: 0.01, p99: 0.2, max: 0.3, samples: 99 });
    expect(result(await health.check(), 'event-loop-delay').kind).toBe('skip');
    delay.mockReturnValue({ p50: 0.01, p99: 0.2, max: 0.3, samples: 100 });
    expect(result(await health.check(), 'event-loop-delay')).toMatchObject({ kind: 'warn', observed: 200, threshold: 100 });
  });

  it('is skipped while telemetry has no readings (its monitor off or not yet measured)', async () => {
    const { health } = harness();
    expect(result(await health.check(), 'event-loop-delay').kind).toBe('skip');
  });
});

describe('heap', () => {
  it('degrades at 85 % of the heap limit and is unhealthy at 95 %', async () => {
    let used = 50;
    const { health } = harness({ readings: { heap: () => ({ usedBytes: used * 1e7, limitBytes: 100 * 1e7 }) } });
    expect(result(await health.check(), 'heap')).toMatchObject({ kind: 'pass', observed: 50 });
    used = 85;
    const warned = result(await health.check(), 'heap');
    expect(warned).toMatchObject({ kind: 'warn', observed: 85, threshold: 85, unit: '%' });
    expect(warned.message).toBe('heap used is 85 % of its limit (850 MB of 1 GB; warn at 85 %)');
    used = 96;
    expect(result(await health.check(), 'heap')).toMatchObject({ kind: 'fail', observed: 96, threshold: 95 });
  });

  it('reads the real V8 heap by default', async () => {
    const { health } = harness();
    const heap = result(await health.check(), 'heap');
    expect(heap).toMatchObject({ kind: 'pass', unit: '%' });
    expect(heap.kind === 'pass' && typeof heap.observed === 'number' && heap.observed > 0 && heap.observed < 85).toBe(true);
  });
});

describe('without telemetry', () => {
  it('skips the checks that need it, and the rest still work', async () => {
    const { system, health } = harness({ withTelemetry: false, thresholds: { actors: { warnAbove: 0 } } });
    system.spawn<number>(() => {}, { type: 'worker' });
    const report = await health.check();
    const skippedChecks = report.checks.filter((c) => c.kind === 'skip').map((c) => c.check);
    expect(skippedChecks).toEqual(['panic-rate', 'restart-rate', 'restart-intensity', 'event-loop-delay']);
    expect(report.status).toBe('degraded');
    expect(report.issues.map((i) => i.check)).toEqual(['actors']);
  });
});

describe('a check that throws', () => {
  it('is reported as a failure, not thrown', async () => {
    const { health } = harness({
      readings: {
        heap: () => {
          throw new Error('no heap for you');
        },
      },
    });
    const report = await health.check();
    expect(result(report, 'heap')).toMatchObject({ kind: 'fail', message: 'the check threw: Error: no heap for you' });
  });
});
