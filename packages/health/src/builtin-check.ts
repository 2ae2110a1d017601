/**
 * The shape of the checks health ships with: synchronous, evaluated against one context per
 * evaluation, and each answering some of the probes.
 *
 * @module
 */
import type { MetricFamily } from '@joerl/telemetry';
import type { CheckResult, Probe } from './report.js';

/** @internal What one evaluation shares between its checks. */
export interface EvalContext {
  /** The health clock's reading at the start of the evaluation. */
  readonly now: number;
  /** Telemetry's metric families, collected at most once per evaluation; null without telemetry. */
  families(): readonly MetricFamily[] | null;
}

/** @internal A built-in check. */
export interface BuiltinCheck {
  readonly name: string;
  /** The probes it answers. */
  readonly probes: readonly Probe[];
  evaluate(ctx: EvalContext): CheckResult;
}

/** @internal The sum of every sample of a counter or gauge, or null if telemetry lacks it. */
export function total(families: readonly MetricFamily[], name: string): number | null {
  const family = families.find((f) => f.def.name === name);
  if (family === undefined) return null;
  let sum = 0;
  for (const s of family.samples) if ('value' in s) sum += s.value;
  return sum;
}
