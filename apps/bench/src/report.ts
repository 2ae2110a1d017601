/**
 * What `pnpm bench` reports from its measurements: the rows, the peers table (ratios to the
 * baseline), the telemetry rows, and the targets of issue 16 that a run misses.
 */
import { fmt } from './measure.js';
import type { ScenarioId } from './scenario.js';

export interface Row {
  readonly scenario: ScenarioId;
  readonly scenarioName: string;
  readonly contender: string;
  readonly kind: 'baseline' | 'joerl' | 'telemetry' | 'peer';
  readonly unit: string;
  /** Median units per second; null when not applicable or failed. */
  readonly value: number | null;
  /** To the hand-written baseline of the same scenario, measured in the same run. */
  readonly ratio: number | null;
  /** To joerl with telemetry off (telemetry contenders only). */
  readonly vsOff: number | null;
  /** Why the library has no such scenario. */
  readonly notApplicable?: string;
  /** Why the measurement failed (a lost message, a crash). */
  readonly error?: string;
}

/** The telemetry rows: what default telemetry costs per message, and what 100% timing keeps. */
export interface TelemetryRows {
  /** ns per message: 1e9/rate(createTelemetry() defaults) − 1e9/rate(telemetry off), per message scenario. */
  readonly defaultCostNsPerMessage: Partial<Record<ScenarioId, number>>;
  /** rate(100% timing) ÷ rate(telemetry off), on the empty-handler scenarios. */
  readonly timing100VsOff: Partial<Record<ScenarioId, number>>;
}

/** Messages per unit of the scenarios whose handlers are empty (a ping-pong round trip is two). */
const MESSAGES_PER_UNIT: Partial<Record<ScenarioId, number>> = { 'one-actor': 1, 'fan-in': 1, 'ping-pong': 2 };

const valueOf = (rows: readonly Row[], scenario: ScenarioId, contender: string): number | null =>
  rows.find((r) => r.scenario === scenario && r.contender === contender)?.value ?? null;

export function telemetryRows(rows: readonly Row[]): TelemetryRows {
  const defaultCostNsPerMessage: Partial<Record<ScenarioId, number>> = {};
  const timing100VsOff: Partial<Record<ScenarioId, number>> = {};
  for (const [id, perUnit] of Object.entries(MESSAGES_PER_UNIT) as [ScenarioId, number][]) {
    const off = valueOf(rows, id, 'joerl');
    if (off === null) continue;
    const dflt = valueOf(rows, id, 'telemetry-default');
    if (dflt !== null) defaultCostNsPerMessage[id] = (1e9 / dflt - 1e9 / off) / perUnit;
    const full = valueOf(rows, id, 'telemetry-100');
    if (full !== null) timing100VsOff[id] = full / off;
  }
  return { defaultCostNsPerMessage, timing100VsOff };
}

/** joerl (telemetry off) ÷ baseline, per scenario (issue 16); ping-pong and calls between actors ≥ 0.8, spawning ≥ 0.6. */
const MIN_VS_BASELINE: Partial<Record<ScenarioId, number>> = {
  'one-actor': 0.9,
  'ping-pong': 0.8,
  'spawn-kept': 0.6,
  'spawn-discarded': 0.6,
  'fan-in': 0.9,
  'request-reply': 0.9,
  'call-between-actors': 0.8,
};
/** Telemetry configurations ÷ telemetry off (issues 7 and 11). */
const MIN_VS_OFF: Record<string, number> = { 'telemetry-1': 0.8, 'telemetry-100': 0.5, 'tracing-idle': 0.8 };
const MAX_DEFAULT_COST_NS = 10;

/** The targets a run misses, one line each. */
export function misses(rows: readonly Row[], telemetry: TelemetryRows): string[] {
  const out: string[] = [];
  for (const r of rows) {
    if (r.error !== undefined) out.push(`${r.scenarioName} / ${r.contender}: FAILED (${r.error})`);
    if (r.kind === 'joerl' && r.ratio !== null) {
      const min = MIN_VS_BASELINE[r.scenario];
      if (min !== undefined && r.ratio < min) out.push(`${r.scenarioName} / joerl: ${r.ratio.toFixed(2)} < ${min} (÷ baseline)`);
      for (const p of rows) {
        if (p.scenario === r.scenario && p.kind === 'peer' && p.ratio !== null && p.ratio >= r.ratio) {
          out.push(`${r.scenarioName} / joerl ${r.ratio.toFixed(2)} not ahead of ${p.contender} ${p.ratio.toFixed(2)}`);
        }
      }
    }
    const minOff = MIN_VS_OFF[r.contender];
    if (minOff !== undefined && r.vsOff !== null && r.vsOff < minOff) out.push(`${r.scenarioName} / ${r.contender}: ${r.vsOff.toFixed(2)} < ${minOff} (÷ telemetry off)`);
  }
  for (const [id, ns] of Object.entries(telemetry.defaultCostNsPerMessage)) {
    if (ns > MAX_DEFAULT_COST_NS) out.push(`${id} / default telemetry: ${ns.toFixed(1)} ns per message > ${MAX_DEFAULT_COST_NS}`);
  }
  return out;
}

/** A ratio with two decimals, or two significant digits below 0.1 (0.0043, not 0.00). */
export function fmtRatio(r: number): string {
  return r >= 0.1 || r === 0 ? r.toFixed(2) : r.toPrecision(2);
}

const ratioText = (r: Row | undefined): string => {
  if (r === undefined) return '';
  if (r.error !== undefined) return 'FAILED';
  if (r.notApplicable !== undefined) return 'n/a';
  return r.ratio === null ? '' : fmtRatio(r.ratio);
};

/** The peers table: one line per scenario, the baseline's rate, then each contender's ratio to it. */
export function peersTable(rows: readonly Row[], contenders: readonly string[]): string {
  const scenarios = [...new Map(rows.map((r) => [r.scenario, r])).values()];
  const w = Math.max(...scenarios.map((s) => s.scenarioName.length), 8);
  const cols = contenders.map((c) => Math.max(c.length, 6));
  const lines = [`${'scenario'.padEnd(w)}  ${'baseline'.padStart(10)}  ${contenders.map((c, i) => c.padStart(cols[i] ?? 6)).join('  ')}`];
  for (const s of scenarios) {
    const base = rows.find((r) => r.scenario === s.scenario && r.kind === 'baseline');
    const baseText = base === undefined || base.value === null ? '' : `${fmt(base.value)}/s`;
    const cells = contenders.map((c, i) => ratioText(rows.find((r) => r.scenario === s.scenario && r.contender === c)).padStart(cols[i] ?? 6));
    lines.push(`${s.scenarioName.padEnd(w)}  ${baseText.padStart(10)}  ${cells.join('  ')}`);
  }
  return lines.join('\n');
}
