import { ActorSystem, InvalidConfigError } from '@joerl/core';
import { createTelemetry } from '@joerl/telemetry';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, DuplicateCheckError, SystemHealth, type SystemHealthOptions } from '../src/index.js';
import { closeAll, harness } from './helpers.js';

afterEach(closeAll);

/** The setting an options object is rejected for, or 'accepted'. */
function rejected(options: Omit<SystemHealthOptions, 'system'>): string {
  const system = new ActorSystem({ logger: null });
  try {
    const health = new SystemHealth({ system, ...options });
    void health.close();
    return 'accepted';
  } catch (error) {
    if (error instanceof InvalidConfigError) return error.setting;
    throw error;
  }
}

describe('options', () => {
  it('has the documented default thresholds', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({
      actors: { warnAbove: null, criticalAbove: null, warnBelow: null, criticalBelow: null },
      mailboxUtilization: { warn: 80, critical: 95, ignoreTypes: [] },
      panicRate: { warn: 10, critical: 100, windowMs: 60_000 },
      restartRate: { warn: 5, critical: 50, windowMs: 60_000 },
      restartIntensity: { withinMs: 300_000 },
      eventLoopDelay: { warn: 100, critical: 500 },
      heap: { warn: 85, critical: 95 },
    });
  });

  it('keeps the defaults of the levels a threshold override leaves out', () => {
    const { health } = harness({ thresholds: { heap: { warn: 90 }, panicRate: { critical: null } } });
    expect(health.thresholds.heap).toEqual({ warn: 90, critical: 95 });
    expect(health.thresholds.panicRate).toEqual({ warn: 10, critical: null, windowMs: 60_000 });
  });

  it('drops a check whose threshold is false', () => {
    const { health } = harness({ thresholds: { heap: false, restartRate: false } });
    expect(health.checkNames('health')).not.toContain('heap');
    expect(health.checkNames('health')).not.toContain('restart-rate');
  });

  it('rejects bad threshold values with an InvalidConfigError naming the setting', () => {
    expect(rejected({ thresholds: { heap: { warn: 120 } } })).toBe('thresholds.heap.warn');
    expect(rejected({ thresholds: { mailboxUtilization: { critical: 0 } } })).toBe('thresholds.mailboxUtilization.critical');
    expect(rejected({ thresholds: { panicRate: { warn: -1 } } })).toBe('thresholds.panicRate.warn');
    expect(rejected({ thresholds: { restartRate: { windowMs: 0 } } })).toBe('thresholds.restartRate.windowMs');
    expect(rejected({ thresholds: { restartIntensity: { withinMs: Number.NaN } } })).toBe('thresholds.restartIntensity.withinMs');
    expect(rejected({ thresholds: { eventLoopDelay: { critical: Number.POSITIVE_INFINITY } } })).toBe('thresholds.eventLoopDelay.critical');
    expect(rejected({ thresholds: { actors: { warnAbove: 1.5 } } })).toBe('thresholds.actors.warnAbove');
  });

  it('rejects a warning level beyond the critical one', () => {
    expect(rejected({ thresholds: { heap: { warn: 96 } } })).toBe('thresholds.heap.warn');
    expect(rejected({ thresholds: { actors: { warnAbove: 10, criticalAbove: 5 } } })).toBe('thresholds.actors.warnAbove');
    expect(rejected({ thresholds: { actors: { warnBelow: 1, criticalBelow: 5 } } })).toBe('thresholds.actors.warnBelow');
  });

  it('rejects an unknown threshold, so a typo does not silently keep the default', () => {
    expect(rejected({ thresholds: { heapp: { warn: 90 } } as never })).toBe('thresholds.heapp');
  });

  it('rejects a telemetry that does not instrument the system', () => {
    expect(rejected({ telemetry: createTelemetry({ eventLoop: false }) })).toBe('telemetry');
  });

  it('rejects bad liveness settings, naming them', () => {
    expect(rejected({ liveness: { stallMs: 0 } })).toBe('liveness.stallMs');
    expect(rejected({ liveness: { stallMs: 100, intervalMs: 100 } })).toBe('liveness.intervalMs');
  });

  it('rejects check names that are not lowercase letters, digits and dashes', () => {
    const { health } = harness();
    for (const name of ['Database', 'db_main', '-db', 'db-', '', 'a'.repeat(64)]) {
      expect(() => health.addCheck(name, () => true), name).toThrow(InvalidConfigError);
    }
    expect(() => health.addCheck('db-2', () => true)).not.toThrow();
  });

  it('rejects a bad check timeout, naming the check', () => {
    const { health } = harness();
    expect(() => health.addCheck('db', () => true, { timeoutMs: 0 })).toThrow(expect.objectContaining({ setting: 'checks.db.timeoutMs' }));
  });

  it('refuses a second check of the same name, or one named like a built-in check', () => {
    const { health } = harness();
    health.addCheck('database', () => true);
    expect(() => health.addCheck('database', () => true)).toThrow(DuplicateCheckError);
    expect(() => health.addCheck('heap', () => true)).toThrow(expect.objectContaining({ code: 'DUPLICATE_CHECK', checkName: 'heap' }));
  });

  it('refuses a second SystemHealth exporting metrics through the same telemetry', () => {
    const { system, telemetry } = harness();
    expect(() => new SystemHealth({ system, telemetry })).toThrow(expect.objectContaining({ setting: 'telemetry' }));
  });
});
