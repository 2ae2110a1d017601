/**
 * The state machines: for each GenStatem type, its declared states, how many instances are in
 * each now, and the transitions seen, all read from telemetry's catalog.
 *
 * @module
 */
import { isHistogramSample, type MetricFamily, type Telemetry } from '@joerl/telemetry';

/**
 * One GenStatem type.
 * @since 0.1.0
 */
export interface StateMachineView {
  readonly type: string;
  /** Declared states, in declaration order, with the instances in each now. */
  readonly states: readonly { readonly name: string; readonly count: number }[];
  /** Transitions seen since start (only pairs that occurred). */
  readonly transitions: readonly { readonly from: string; readonly to: string; readonly count: number }[];
}

/** @internal how old a reused telemetry snapshot may be, ms */
export const COLLECT_MAX_AGE_MS = 500;

/** @internal */
export function stateMachines(telemetry: Telemetry): StateMachineView[] {
  const families = telemetry.collect({ maxAgeMs: COLLECT_MAX_AGE_MS });
  const byType = new Map<string, { states: { name: string; count: number }[]; transitions: { from: string; to: string; count: number }[] }>();
  const entry = (type: string) => {
    let e = byType.get(type);
    if (e === undefined) {
      e = { states: [], transitions: [] };
      byType.set(type, e);
    }
    return e;
  };
  for (const s of samples(families, 'joerl_gen_statem_current_state')) {
    entry(s.labels.type ?? '').states.push({ name: s.labels.state ?? '', count: s.value });
  }
  for (const s of samples(families, 'joerl_gen_statem_transitions_total')) {
    entry(s.labels.type ?? '').transitions.push({ from: s.labels.from ?? '', to: s.labels.to ?? '', count: s.value });
  }
  return [...byType.entries()].map(([type, e]) => ({ type, ...e })).sort((a, b) => (a.type < b.type ? -1 : 1));
}

function* samples(families: readonly MetricFamily[], name: string) {
  const family = families.find((f) => f.def.name === name);
  if (family === undefined) return;
  for (const s of family.samples) if (!isHistogramSample(s)) yield s;
}
