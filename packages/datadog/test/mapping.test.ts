/**
 * The mappings, without a network: joerl spans to Datadog fields, histogram deltas to weighted
 * DogStatsD values, labels and DD_* variables to tags.
 */
import type { Span, SpanOptions, Tracer } from '@opentelemetry/api';
import { CATALOG, type HistogramDelta, MESSAGE_BUCKETS } from '@joerl/telemetry';
import { describe, expect, it } from 'vitest';
import { DatadogSpanTracer } from '../src/datadog-span-tracer.js';
import { globalTags } from '../src/global-tags.js';
import { histogramPoints, sampleRate } from '../src/histogram-points.js';
import { datadogTags } from '../src/metric-tags.js';

/** An inner tracer that records what it was asked to start. */
function recordingTracer() {
  const started: { name: string; options: SpanOptions | undefined }[] = [];
  const span: Span = Object.create(null);
  const tracer: Tracer = {
    startSpan: (name: string, options?: SpanOptions) => {
      started.push({ name, options });
      return span;
    },
    startActiveSpan: (name: string, ...rest: unknown[]) => {
      const options = rest.length > 1 ? (rest[0] as SpanOptions) : undefined;
      started.push({ name, options });
      return (rest[rest.length - 1] as (s: Span) => unknown)(span);
    },
  };
  return { tracer, started };
}

const joerl = (type: string) => ({ 'messaging.system': 'joerl', 'messaging.destination.name': type, 'joerl.actor.type': type, 'joerl.actor.pid': '<0.7.0>' });
const CONSUMER = 4;
const SERVER = 1;
const CLIENT = 2;

describe("joerl's spans, as Datadog shows them", () => {
  it.each([
    ['process worker', CONSUMER, joerl('worker'), 'joerl.message', 'worker', 'worker'],
    ['inventory handle_call', SERVER, joerl('inventory'), 'joerl.handle_call', 'inventory', 'worker'],
    ['call inventory', CLIENT, { ...joerl('inventory'), 'rpc.system': 'joerl', 'rpc.method': 'call' }, 'joerl.call', 'inventory', undefined],
  ])('%s → operation %s... with the actor type as resource', (name, kind, attributes, operation, resource, type) => {
    const { tracer, started } = recordingTracer();
    new DatadogSpanTracer(tracer, undefined).startSpan(name, { kind, attributes });
    expect(started[0]!.name).toBe(operation);
    expect(started[0]!.options?.attributes).toMatchObject({ ...attributes, 'resource.name': resource });
    expect(started[0]!.options?.attributes?.['span.type']).toBe(type);
    expect(started[0]!.options?.kind).toBe(kind);
  });

  it('a supervisor restart outside any trace keeps its name, with the supervisor type as resource', () => {
    const { tracer, started } = recordingTracer();
    new DatadogSpanTracer(tracer, undefined).startSpan('joerl.supervisor.restart', { kind: 0, attributes: { 'joerl.supervisor.type': 'root_sup', 'joerl.child.type': 'worker' } });
    expect(started[0]).toMatchObject({ name: 'joerl.supervisor.restart', options: { attributes: { 'resource.name': 'root_sup' } } });
  });

  it('other spans pass through untouched', () => {
    const { tracer, started } = recordingTracer();
    const options = { kind: SERVER, attributes: { 'http.method': 'GET' } };
    new DatadogSpanTracer(tracer, undefined).startSpan('GET /health', options);
    expect(started[0]).toEqual({ name: 'GET /health', options });
  });

  it('the service option sets service.name on joerl spans only', () => {
    const { tracer, started } = recordingTracer();
    const mapped = new DatadogSpanTracer(tracer, 'orders-actors');
    mapped.startSpan('process worker', { kind: CONSUMER, attributes: joerl('worker') });
    mapped.startSpan('GET /health', { kind: SERVER, attributes: {} });
    expect(started[0]!.options?.attributes?.['service.name']).toBe('orders-actors');
    expect(started[1]!.options?.attributes?.['service.name']).toBeUndefined();
  });

  it('startActiveSpan maps joerl spans the same way, in each of its forms', () => {
    const { tracer, started } = recordingTracer();
    const mapped = new DatadogSpanTracer(tracer, undefined);
    expect(mapped.startActiveSpan('plain', () => 1)).toBe(1);
    expect(mapped.startActiveSpan('process worker', { kind: CONSUMER, attributes: joerl('worker') }, () => 2)).toBe(2);
    expect(started.map((s) => s.name)).toEqual(['plain', 'joerl.message']);
  });
});

function delta(counts: number[], sum: number, bounds: readonly number[] = [0.001, 0.01, 0.1]): HistogramDelta {
  const def = CATALOG.find((m) => m.name === 'joerl_message_processing_duration_seconds')!;
  return { def, labels: { type: 'worker' }, bounds, counts, sum, count: counts.reduce((a, b) => a + b, 0) };
}

describe('histograms as weighted DogStatsD values', () => {
  it('one value per non-empty bucket, at its midpoint, standing for that bucket’s count', () => {
    const points = histogramPoints(delta([4, 0, 3, 0], 4 * 0.0004 + 3 * 0.05));
    expect(points.map((p) => [p.value, p.count])).toEqual([
      [0.0005, 4],
      [0.055, 3],
    ]);
  });

  it('the agent’s weight 1/rate adds up to the observations', () => {
    const counts = [1, 7, 49, 3125];
    const points = histogramPoints(delta(counts, 1));
    const weights = points.map((p) => 1 / Number(p.rate));
    expect(weights.map((w) => Math.trunc(w))).toEqual(counts);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(counts.reduce((a, b) => a + b, 0), 9);
    expect(points[0]!.rate).toBe('1');
  });

  it('observations all in one bucket are sent as their exact mean', () => {
    expect(histogramPoints(delta([0, 10, 0, 0], 10 * 0.0042))).toEqual([{ value: expect.closeTo(0.0042, 12), count: 10, rate: '0.1' }]);
  });

  it('the overflow bucket gets the mean the sum implies, never below the last bound', () => {
    const [, over] = histogramPoints(delta([2, 0, 0, 2], 2 * 0.0005 + 2 * 3));
    expect(over).toMatchObject({ value: expect.closeTo(3, 9), count: 2 });
    const [, low] = histogramPoints(delta([2, 0, 0, 2], 0.001));
    expect(low!.value).toBe(0.1);
  });

  it('sample rates give back every count from 1 to 100 000 (and never less, even truncated)', () => {
    for (let n = 1; n <= 100_000; n++) {
      const weight = 1 / Number(sampleRate(n));
      if (Math.trunc(weight) !== n || Math.abs(weight - n) > 1e-9 * n) throw new Error(`n=${n}: rate ${sampleRate(n)} weighs ${weight}`);
    }
  });

  it('works for the catalog’s real buckets', () => {
    const counts = MESSAGE_BUCKETS.map((_, i) => i % 3).concat([1]);
    const points = histogramPoints(delta(counts, 7, MESSAGE_BUCKETS));
    expect(points.reduce((a, p) => a + Math.round(1 / Number(p.rate)), 0)).toBe(counts.reduce((a, b) => a + b, 0));
    for (const p of points) expect(p.value).toBeGreaterThan(0);
  });
});

describe('tags', () => {
  it('the actor type is actor_type; other labels keep their names; line-breaking characters become _', () => {
    expect(datadogTags({ type: 'worker', reason: 'error' })).toEqual(['actor_type:worker', 'reason:error']);
    expect(datadogTags({ type: 'a|b,c#d' })).toEqual(['actor_type:a_b_c_d']);
  });

  it('env/service/version come from DD_ENV/DD_SERVICE/DD_VERSION, with DD_TAGS, and options win over the environment', () => {
    const environment = { DD_ENV: 'prod', DD_SERVICE: 'orders', DD_VERSION: '1.0.0', DD_TAGS: 'team:core,region:eu' };
    expect(globalTags({}, environment)).toEqual(['team:core', 'region:eu', 'env:prod', 'service:orders', 'version:1.0.0']);
    expect(globalTags({}, { DD_TAGS: 'team:core region:eu' })).toEqual(['team:core', 'region:eu']);
    expect(globalTags({ service: 'billing', tags: { team: 'payments' } }, environment)).toEqual(['team:payments', 'region:eu', 'env:prod', 'service:billing', 'version:1.0.0']);
  });
});
