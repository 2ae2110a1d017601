import { afterEach, describe, expect, it } from 'vitest';
import type { HealthReport } from '../src/index.js';
import { closeAll, deferred, harness } from './helpers.js';

afterEach(closeAll);

function result(report: HealthReport, check: string) {
  return report.checks.find((c) => c.check === check);
}

describe('custom checks', () => {
  it('a sync check returning true (or nothing) passes', async () => {
    const { health } = harness();
    health.addCheck('config', () => true);
    health.addCheck('flags', () => {});
    const report = await health.check();
    expect(result(report, 'config')?.kind).toBe('pass');
    expect(result(report, 'flags')?.kind).toBe('pass');
  });

  it('an async check resolving false makes the system unhealthy', async () => {
    const { health } = harness();
    health.addCheck('database', async () => Promise.resolve(false));
    const report = await health.check();
    expect(report.status).toBe('unhealthy');
    expect(report.issues).toEqual([
      { kind: 'fail', severity: 'critical', check: 'database', message: 'returned false', observed: null, threshold: null, unit: null },
    ]);
  });

  it('a check that throws is an issue carrying the error, not a crash', async () => {
    const { health } = harness();
    health.addCheck('cache', () => {
      throw new TypeError('cache is not a function');
    });
    const report = await health.check();
    expect(result(report, 'cache')).toMatchObject({ kind: 'fail', message: 'threw: TypeError: cache is not a function' });
  });

  it('a check that rejects is an issue carrying the reason', async () => {
    const { health } = harness();
    health.addCheck('queue', () => Promise.reject(new Error('ECONNREFUSED')));
    expect(result(await health.check(), 'queue')).toMatchObject({ kind: 'fail', message: 'threw: Error: ECONNREFUSED' });
  });

  it('a check that outlives its timeout fails, and its signal aborts', async () => {
    const { clock, health } = harness();
    let signal: AbortSignal | undefined;
    health.addCheck(
      'slow',
      (s) => {
        signal = s;
        return deferred<boolean>().promise; // never settles
      },
      { timeoutMs: 250 },
    );
    const pending = health.check();
    clock.advance(249);
    expect(signal?.aborted).toBe(false);
    clock.advance(1);
    expect(result(await pending, 'slow')).toMatchObject({ kind: 'fail', message: 'timed out after 250 ms' });
    expect(signal?.aborted).toBe(true);
  });

  it('a non-critical check that fails only degrades the system, and keeps it ready', async () => {
    const { health } = harness();
    health.addCheck('recommendations', () => false, { critical: false });
    expect((await health.check()).status).toBe('degraded');
    expect((await health.readiness()).status).toBe('degraded');
    expect(result(await health.check(), 'recommendations')).toMatchObject({ kind: 'warn', severity: 'warning' });
  });

  it('a check may return its own verdict, message and observed value', async () => {
    const { health } = harness();
    health.addCheck('replica-lag', () => ({ kind: 'warn', message: 'replica 12 s behind', observed: 12 }));
    expect((await health.check()).issues).toEqual([
      { kind: 'warn', severity: 'warning', check: 'replica-lag', message: 'replica 12 s behind', observed: 12, threshold: null, unit: null },
    ]);
  });

  it('checks passed as options run like added ones', async () => {
    const { health } = harness({ checks: [{ name: 'database', check: () => false, critical: false }] });
    expect(result(await health.check(), 'database')?.kind).toBe('warn');
  });

  it('are part of readiness and overall health, never of liveness', async () => {
    const { health } = harness();
    health.addCheck('database', () => false);
    expect(health.checkNames('readiness')).toContain('database');
    expect(health.checkNames('health')).toContain('database');
    expect(health.checkNames('liveness')).not.toContain('database');
    expect((await health.liveness()).status).toBe('healthy');
  });

  it('a removed check no longer runs', async () => {
    const { health } = harness();
    health.addCheck('database', () => false);
    expect(health.removeCheck('database')).toBe(true);
    expect((await health.check()).status).toBe('healthy');
    expect(health.removeCheck('database')).toBe(false);
  });

  it('run concurrently: one slow check does not delay the others past its own timeout', async () => {
    const { clock, health } = harness();
    const calls: string[] = [];
    health.addCheck('a', () => {
      calls.push('a');
      return deferred<boolean>().promise;
    }, { timeoutMs: 100 });
    health.addCheck('b', () => {
      calls.push('b');
      return true;
    });
    const pending = health.check();
    expect(calls).toEqual(['a', 'b']);
    clock.advance(100);
    const report = await pending;
    expect(result(report, 'a')?.kind).toBe('fail');
    expect(result(report, 'b')?.kind).toBe('pass');
  });
});
