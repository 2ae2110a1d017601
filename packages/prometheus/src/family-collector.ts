/**
 * A prom-client metric that reads one telemetry metric family at scrape time.
 *
 * @module
 */
import type { MetricDef, MetricFamily, HistogramSample, ValueSample } from '@joerl/telemetry';
import { isHistogramSample } from '@joerl/telemetry';
import type { ScrapeSnapshot } from './scrape.js';

/** @internal one actor system feeding a family */
export interface FamilySource {
  /** The `system` label value, if any. */
  readonly system: string | undefined;
  readonly def: MetricDef;
  readonly snapshot: ScrapeSnapshot;
  /** What the worker nodes of this system reported for the scrape under way (empty without workers). */
  readonly workers: WorkerScrape;
}

/** @internal the worker nodes' families of the scrape under way, each with its node label */
export interface WorkerScrape {
  current: readonly { readonly node: Readonly<Record<string, string>>; readonly families: ReadonlyMap<string, MetricFamily> }[];
}

/** @internal a value as prom-client's registry renders it */
export interface PromValue {
  readonly labels: Record<string, string | number>;
  readonly value: number;
  readonly metricName?: string;
}

/** @internal what prom-client's registry reads from a metric */
export interface PromMetricData {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly aggregator: 'sum';
  readonly values: PromValue[];
}

/**
 * @internal
 * The object registered in the prom-client `Registry` for one catalog metric. prom-client's
 * `Counter`, `Gauge` and `Histogram` keep values they are told (`inc`, `set`, `observe`);
 * telemetry already aggregates, and a histogram's buckets come as cumulative counts that
 * `observe` cannot replay. So this is a collector in prom-client's shape: the registry only
 * calls `get()` (and `reset()` on `resetMetrics()`), and `get()` maps the scrape's snapshot.
 * Several systems sharing a registry feed one collector, told apart by their `system` label.
 */
export class FamilyCollector {
  /**
   * The registered name. Mutable on purpose: a registry in OpenMetrics mode renames counters in
   * place (it strips `_total` and adds it back to each sample); `key` keeps the original.
   */
  name: string;
  readonly key: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly aggregator = 'sum' as const;
  readonly def: MetricDef;
  private readonly sources: FamilySource[] = [];

  constructor(name: string, first: FamilySource) {
    this.name = name;
    this.key = name;
    this.def = first.def;
    this.help = first.def.help;
    this.type = first.def.kind;
    this.sources.push(first);
  }

  /** The systems feeding this family. */
  get feeds(): readonly FamilySource[] {
    return this.sources;
  }

  add(source: FamilySource): void {
    this.sources.push(source);
  }

  /** Removes a source; returns how many remain. */
  remove(source: FamilySource): number {
    const i = this.sources.indexOf(source);
    if (i >= 0) this.sources.splice(i, 1);
    return this.sources.length;
  }

  /** prom-client's read. Synchronous up to the return, so one scrape shares one snapshot. */
  get(): Promise<PromMetricData> {
    const values: PromValue[] = [];
    for (const source of this.sources) {
      try {
        const family = source.snapshot.family(source.def.name);
        if (family !== undefined) this.map(family, source.system, source.snapshot.node(), values);
        // Each worker node's samples, labelled with its node: side by side, never summed.
        for (const worker of source.workers.current) {
          const theirs = worker.families.get(source.def.name);
          if (theirs !== undefined) this.map(theirs, source.system, worker.node, values);
        }
      } catch (error) {
        source.snapshot.failed(`exporting ${this.key}`, error);
      }
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }

  /** Values are read from telemetry at each scrape: there is nothing to reset. */
  reset(): void {}

  private map(family: MetricFamily, system: string | undefined, node: Readonly<Record<string, string>> | null, out: PromValue[]): void {
    const histogram = this.type === 'histogram';
    for (const sample of family.samples) {
      const own = node === null ? sample.labels : { ...node, ...sample.labels };
      const labels = system === undefined ? { ...own } : { system, ...own };
      if (histogram) {
        if (isHistogramSample(sample)) pushHistogram(this.name, labels, sample, out);
      } else if (!isHistogramSample(sample)) {
        pushValue(labels, sample, out);
      }
    }
  }
}

function pushValue(labels: Record<string, string>, sample: ValueSample, out: PromValue[]): void {
  out.push({ labels, value: sample.value });
}

/** The sample's own bounds and cumulative counts, as `_bucket{le}`, `_sum` and `_count`. */
function pushHistogram(name: string, labels: Record<string, string>, sample: HistogramSample, out: PromValue[]): void {
  const bucket = `${name}_bucket`;
  const { bounds, cumulative } = sample;
  for (let i = 0; i < bounds.length; i++) {
    out.push({ labels: { ...labels, le: bounds[i] as number }, value: cumulative[i] ?? sample.count, metricName: bucket });
  }
  out.push({ labels: { ...labels, le: '+Inf' }, value: sample.count, metricName: bucket });
  out.push({ labels, value: sample.sum, metricName: `${name}_sum` });
  out.push({ labels, value: sample.count, metricName: `${name}_count` });
}
