/** What `pnpm bench` concludes from its rows: the telemetry rows and the missed targets of issue 16. */
import { describe, expect, it } from 'vitest';
import { fmtRatio, misses, peersTable, type Row, telemetryRows } from '../src/report.js';
import type { ScenarioId } from '../src/scenario.js';

function row(scenario: ScenarioId, contender: string, kind: Row['kind'], value: number | null, base: number, extra: Partial<Row> = {}): Row {
  return { scenario, scenarioName: scenario, contender, kind, unit: 'msg/s', value, ratio: value === null ? null : value / base, vsOff: null, ...extra };
}

describe('telemetryRows', () => {
  it('gives the default telemetry cost per message as a difference of time per message, a round trip being two', () => {
    const rows = [
      row('one-actor', 'joerl', 'joerl', 10e6, 10e6), // 100 ns a message
      row('one-actor', 'telemetry-default', 'telemetry', 8e6, 10e6), // 125 ns
      row('ping-pong', 'joerl', 'joerl', 5e6, 5e6), // 200 ns a round trip
      row('ping-pong', 'telemetry-default', 'telemetry', 4e6, 5e6), // 250 ns
      row('ping-pong', 'telemetry-100', 'telemetry', 2e6, 5e6),
    ];
    const t = telemetryRows(rows);
    expect(t.defaultCostNsPerMessage['one-actor']).toBeCloseTo(25, 6);
    expect(t.defaultCostNsPerMessage['ping-pong']).toBeCloseTo(25, 6);
    expect(t.timing100VsOff['ping-pong']).toBeCloseTo(0.4, 6);
    expect(t.timing100VsOff['one-actor']).toBeUndefined();
  });
});

describe('misses', () => {
  it('names a peer ahead of joerl, joerl under its floor, a failed contender and a costly default telemetry', () => {
    const rows = [
      row('ping-pong', 'joerl', 'joerl', 0.7, 1),
      row('ping-pong', 'xstate', 'peer', 0.75, 1),
      row('ping-pong', 'nact', 'peer', 0.1, 1),
      row('fan-in', 'comedy', 'peer', null, 1, { error: 'handled 9 of 10' }),
    ];
    const m = misses(rows, { defaultCostNsPerMessage: { 'one-actor': 12 }, timing100VsOff: {} });
    expect(m).toContain('ping-pong / joerl: 0.70 < 0.8 (÷ baseline)');
    expect(m).toContain('ping-pong / joerl 0.70 not ahead of xstate 0.75');
    expect(m.some((l) => l.includes('nact'))).toBe(false);
    expect(m).toContain('fan-in / comedy: FAILED (handled 9 of 10)');
    expect(m).toContain('one-actor / default telemetry: 12.0 ns per message > 10');
  });

  it('is empty when joerl leads and meets every floor', () => {
    const rows = [row('ping-pong', 'joerl', 'joerl', 0.9, 1), row('ping-pong', 'xstate', 'peer', 0.5, 1), row('restart', 'joerl', 'joerl', 0.01, 1)];
    expect(misses(rows, { defaultCostNsPerMessage: { 'one-actor': 9 }, timing100VsOff: {} })).toEqual([]);
  });
});

describe('peersTable', () => {
  it('prints n/a for a scenario a library does not have, and FAILED for a failed one', () => {
    const rows = [
      row('restart', 'baseline', 'baseline', 1000, 1000),
      row('restart', 'joerl', 'joerl', 10, 1000),
      row('restart', 'xstate', 'peer', null, 1000, { notApplicable: 'no supervision' }),
      row('restart', 'nact', 'peer', null, 1000, { error: 'lost' }),
    ];
    const table = peersTable(rows, ['joerl', 'xstate', 'nact']);
    expect(table).toMatch(/restart\s+1\.0k\/s\s+0\.010\s+n\/a\s+FAILED/);
  });
});

describe('fmtRatio', () => {
  it('keeps two significant digits below 0.1', () => {
    expect(fmtRatio(0.0043)).toBe('0.0043');
    expect(fmtRatio(0.85)).toBe('0.85');
    expect(fmtRatio(0)).toBe('0.00');
  });
});
