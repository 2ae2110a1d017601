import { isHistogramSample, type Labels, type MetricDef, type Telemetry } from '@joerl/telemetry';
import type { TagStyle } from '../src/index.js';
import { sanitizeLabelValue } from '../src/tag-style.js';
import type { StatsdLine } from './helpers.js';

/** What a line stands for: a sample of a catalog metric, or one of a histogram's exact counters. */
export interface Decoded {
  readonly def: MetricDef;
  readonly labels: Labels;
  readonly part: 'value' | 'exact.count' | 'exact.sum';
  readonly line: StatsdLine;
}

const SECONDS = (def: MetricDef) => (def.unit === 's' ? 1000 : 1);

/**
 * Maps lines back to the catalog, written independently of the adapter: exact names for tag
 * styles, and for folded names the longest known name followed by one segment per label.
 */
export function decoder(defs: readonly MetricDef[], style: TagStyle, prefix: string) {
  const known = new Map<string, { def: MetricDef; part: Decoded['part'] }>();
  for (const def of defs) {
    const base = `${prefix}${def.otelName}`;
    known.set(base, { def, part: 'value' });
    if (def.kind === 'histogram') {
      known.set(`${base}.exact.count`, { def, part: 'exact.count' });
      known.set(`${base}.exact.sum`, { def, part: 'exact.sum' });
    }
  }
  const byLength = [...known.keys()].sort((a, b) => b.length - a.length);
  return (line: StatsdLine): Decoded | undefined => {
    if (style !== 'names') {
      const k = known.get(line.name);
      return k === undefined ? undefined : { ...k, labels: line.tags, line };
    }
    for (const name of byLength) {
      const k = known.get(name)!;
      if (line.name !== name && !line.name.startsWith(`${name}.`)) continue;
      const values = line.name === name ? [] : line.name.slice(name.length + 1).split('.');
      if (values.length !== k.def.labels.length) continue;
      return { ...k, labels: Object.fromEntries(k.def.labels.map((l, i) => [l, values[i]!])), line };
    }
    return undefined;
  };
}

/** A series key independent of label order. */
export function keyOf(def: MetricDef, labels: Labels, part = 'value'): string {
  const sorted = Object.keys(labels).sort().map((k) => [k, labels[k]]);
  return `${def.name}${part === 'value' ? '' : `.${part}`}${JSON.stringify(sorted)}`;
}

/** What the datagrams add up to, in catalog units: counters summed, gauges' last value, timings counted. */
export function totals(decoded: readonly Decoded[]) {
  const counters: Record<string, number> = {};
  const gauges: Record<string, number> = {};
  const timings: Record<string, number> = {};
  const exact: Record<string, number> = {};
  for (const d of decoded) {
    const { def, line } = d;
    if (d.part !== 'value') {
      const k = keyOf(def, d.labels, d.part);
      exact[k] = (exact[k] ?? 0) + (d.part === 'exact.sum' ? line.value / SECONDS(def) : line.value);
      continue;
    }
    const k = keyOf(def, d.labels);
    if (def.kind === 'counter' && line.type === 'c') counters[k] = (counters[k] ?? 0) + line.value / line.rate / SECONDS(def);
    else if (def.kind === 'gauge' && line.type === 'g') gauges[k] = line.value / SECONDS(def);
    else if (def.kind === 'histogram' && line.type === 'ms') timings[k] = (timings[k] ?? 0) + 1 / line.rate;
    else throw new Error(`${line.raw}: type ${line.type} does not fit a ${def.kind}`);
  }
  return { counters, gauges, timings, exact };
}

/** Gauges whose value moves by itself between a flush and the comparison. */
const VOLATILE = new Set(['joerl_system_memory_bytes', 'joerl_event_loop_delay_seconds']);

/** The same shapes, read from the telemetry (the in-memory truth): non-zero counters, stable gauges, histogram counts. */
export function expected(telemetry: Telemetry, style: TagStyle) {
  const counters: Record<string, number> = {};
  const gauges: Record<string, number> = {};
  const timings: Record<string, number> = {};
  const exact: Record<string, number> = {};
  for (const family of telemetry.collect()) {
    const def = family.def;
    for (const sample of family.samples) {
      // label values arrive as the style makes them safe: `(unknown)` as `_unknown_`
      const s = { ...sample, labels: Object.fromEntries(Object.entries(sample.labels).map(([k, v]) => [k, sanitizeLabelValue(style, v)])) };
      if (isHistogramSample(s)) {
        if (s.count === 0) continue;
        timings[keyOf(def, s.labels)] = s.count;
        exact[keyOf(def, s.labels, 'exact.count')] = s.count;
        if (s.sum > 0) exact[keyOf(def, s.labels, 'exact.sum')] = s.sum;
      } else if (def.kind === 'counter') {
        if (s.value !== 0) counters[keyOf(def, s.labels)] = telemetry.value(def.name, sample.labels);
      } else if (!VOLATILE.has(def.name)) {
        gauges[keyOf(def, s.labels)] = s.value;
      }
    }
  }
  return { counters, gauges, timings, exact };
}
