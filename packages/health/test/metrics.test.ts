import { afterEach, describe, expect, it } from 'vitest';
import { checkValue, statusValue, SystemHealth } from '../src/index.js';
import { closeAll, harness, panic } from './helpers.js';

afterEach(closeAll);

describe('health as metrics', () => {
  it('encodes statuses as 2 healthy, 1 degraded, 0 unhealthy, and checks as 2 pass, 1 warn, 0 fail, none when skipped', () => {
    expect([statusValue('healthy'), statusValue('degraded'), statusValue('unhealthy')]).toEqual([2, 1, 0]);
    const base = { check: 'x', message: '', observed: null, threshold: null, unit: null };
    expect(checkValue({ kind: 'pass', ...base })).toBe(2);
    expect(checkValue({ kind: 'warn', severity: 'warning', ...base })).toBe(1);
    expect(checkValue({ kind: 'fail', severity: 'critical', ...base })).toBe(0);
    expect(checkValue({ kind: 'skip', check: 'x', message: 'excluded' })).toBeNull();
  });

  it('joerl_health_status has one series per state, 1 for the current one, at every collect, without a probe running', () => {
    let used = 10;
    const { telemetry } = harness({ readings: { heap: () => ({ usedBytes: used, limitBytes: 100 }) } });
    const states = () => telemetry.collect().find((f) => f.def.name === 'joerl_health_status')?.samples;
    expect(states()).toEqual([
      { labels: { state: 'healthy' }, value: 1 },
      { labels: { state: 'degraded' }, value: 0 },
      { labels: { state: 'unhealthy' }, value: 0 },
    ]);
    used = 90;
    expect(states()).toEqual([
      { labels: { state: 'healthy' }, value: 0 },
      { labels: { state: 'degraded' }, value: 1 },
      { labels: { state: 'unhealthy' }, value: 0 },
    ]);
    used = 99;
    expect(telemetry.value('joerl_health_status', { state: 'unhealthy' })).toBe(1);
    expect(telemetry.value('joerl_health_status')).toBe(1); // exactly one state at a time
  });

  it('joerl_health_check_status{check} reports each check', async () => {
    const { system, telemetry } = harness({ thresholds: { panicRate: { warn: 1, critical: 5 } } });
    await panic(system, 2);
    expect(telemetry.value('joerl_health_check_status', { check: 'panic-rate' })).toBe(1);
    expect(telemetry.value('joerl_health_check_status', { check: 'heap' })).toBe(2);
    expect(telemetry.value('joerl_health_check_status', { check: 'system' })).toBe(2);
  });

  it('reports readiness-only checks too, without letting them change the overall status', () => {
    const { health, telemetry } = harness();
    health.beginShutdown();
    expect(telemetry.value('joerl_health_check_status', { check: 'shutdown' })).toBe(0);
    expect(telemetry.value('joerl_health_status', { state: 'healthy' })).toBe(1);
  });

  it('reports a custom check as of its last run, and not before it ran', async () => {
    const { health, telemetry } = harness();
    health.addCheck('database', () => false, { critical: false });
    const family = () => telemetry.collect().find((f) => f.def.name === 'joerl_health_check_status');
    expect(family()?.samples.some((s) => s.labels.check === 'database')).toBe(false);
    await health.readiness();
    expect(telemetry.value('joerl_health_check_status', { check: 'database' })).toBe(1);
    expect(telemetry.value('joerl_health_status', { state: 'degraded' })).toBe(1);
  });

  it('are declared to telemetry, so every backend exports them', () => {
    const { telemetry } = harness();
    const defs = telemetry.definitions.filter((d) => d.name.startsWith('joerl_health_'));
    expect(defs.map((d) => [d.name, d.kind, d.labels, d.otelName])).toEqual([
      ['joerl_health_status', 'gauge', ['state'], 'joerl.health.status'],
      ['joerl_health_check_status', 'gauge', ['check'], 'joerl.health.check.status'],
    ]);
  });

  it('are not exported with metrics: false', () => {
    const { telemetry } = harness({ metrics: false });
    expect(telemetry.definitions.some((d) => d.name === 'joerl_health_status')).toBe(false);
  });
});

describe('closing', () => {
  it('removes the health metrics from telemetry, so a new SystemHealth can add them again', async () => {
    const { health, telemetry, system } = harness();
    const healthMetrics = () => telemetry.definitions.filter((d) => d.name.startsWith('joerl_health')).length;
    expect(healthMetrics()).toBe(2);
    await health.close();
    expect(healthMetrics()).toBe(0);
    const again = new SystemHealth({ system, telemetry });
    expect(healthMetrics()).toBe(2);
    await again.close();
  });
});
