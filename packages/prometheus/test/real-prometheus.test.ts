/**
 * A real Prometheus server (the Debian `prometheus` binary) scrapes an actor system under load
 * every second; the assertions go through its HTTP query API. Prometheus makes a first sample
 * queryable only ~5-6 s after start, so every wait polls the API with a 20 s deadline.
 * Without the binary the suite fails (CI installs it), it does not skip.
 */
import type { ActorSystem } from '@joerl/core';
import { CATALOG, type Telemetry } from '@joerl/telemetry';
import { scriptedWorkload } from '@joerl/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MetricsServer, prometheus, type PrometheusProvider } from '../src/index.js';
import { type Exercise, exerciseCatalog, faultyProvider, instrumented, poll, type PrometheusServer, startPrometheus, unitInName } from './helpers.js';

const WAIT_MS = 20_000;

let telemetry: Telemetry;
let system: ActorSystem;
let exporter: PrometheusProvider;
let metricsServer: MetricsServer;
let server: PrometheusServer | undefined;
let exercise: Exercise;

/** The value of a query returning one sample, once it satisfies `ok`. */
async function scraped(promql: string, ok: (value: number) => boolean): Promise<number> {
  return poll(`Prometheus to answer ${promql} as expected`, WAIT_MS, async () => {
    const result = await server!.query(promql);
    if (result.length !== 1) throw new Error(`${result.length} series`);
    const value = Number(result[0]!.value[1]);
    if (!ok(value)) throw new Error(`value ${value}`);
    return value;
  });
}

function openMetricsFamily(name: string, kind: string): string {
  return kind === 'counter' ? name.replace(/_total$/, '') : name;
}

/** The setup; every test awaits it, so a missing binary fails each test (loudly) rather than skipping them. */
let setup: Promise<void>;

beforeAll(() => {
  setup = (async () => {
    ({ telemetry, system } = instrumented({ labelCap: 16, providers: [faultyProvider()], eventLoop: {} }));
    exporter = prometheus({ telemetry, logger: null });
    metricsServer = await exporter.listen({ port: 0 });
    server = await startPrometheus(`127.0.0.1:${metricsServer.port}`);
    await scriptedWorkload(system);
    exercise = await exerciseCatalog(system, telemetry);
  })();
  setup.catch(() => undefined); // reported by each test
});

afterAll(async () => {
  // Each step on its own: a failure in one must not leave the server running or its data behind.
  await server?.stop();
  await exercise?.release().catch(() => undefined);
  await system?.shutdown();
  await exporter?.close();
});

describe('a real Prometheus server scraping joerl', () => {
  it('has every catalog metric, with its labels', async () => {
    await setup;
    const missing = await poll('every catalog metric in Prometheus', WAIT_MS, async () => {
      const series = await server!.series('{__name__=~"joerl_.+"}');
      const labelSets = new Map<string, Set<string>>();
      for (const s of series) {
        const { __name__: name = '', instance: _i, job: _j, ...labels } = s;
        (labelSets.get(name) ?? labelSets.set(name, new Set()).get(name)!).add(Object.keys(labels).sort().join(','));
      }
      const absent = CATALOG.flatMap((def) => {
        const [name, labels] = def.kind === 'histogram' ? [`${def.name}_bucket`, [...def.labels, 'le']] : [def.name, [...def.labels]];
        const found = labelSets.get(name);
        return found?.has(labels.sort().join(',')) === true && found.size === 1 ? [] : [`${name}{${labels.join(',')}} (seen: ${[...(found ?? [])].join(' | ') || 'none'})`];
      });
      if (absent.length > 0) throw new Error(`not yet: ${absent.join('; ')}`);
      return absent;
    });
    expect(missing).toEqual([]);
  });

  it('scraped OpenMetrics (as it asks first), with the catalog’s types, help and units', async () => {
    await setup;
    const metadata = await poll('metadata of every catalog metric', WAIT_MS, async () => {
      const m = await server!.metadata();
      return CATALOG.every((def) => m[openMetricsFamily(def.name, def.kind)] !== undefined) ? m : undefined;
    });
    for (const def of CATALOG) {
      // An OpenMetrics counter family is named without `_total`: proof of which format was parsed.
      const unit = unitInName(def) ? { s: 'seconds', By: 'bytes', ratio: 'ratio', '%': 'percent', '1': '' }[def.unit] : '';
      expect(metadata[openMetricsFamily(def.name, def.kind)], def.name).toEqual([{ type: def.kind, help: def.help, unit }]);
    }
  });

  it('counts exactly what the test sent', async () => {
    await setup;
    expect(await scraped('joerl_messages_sent_total{type="loaded"}', (v) => v === exercise.loaded)).toBe(500);
    expect(await scraped('joerl_messages_processed_total{type="loaded"}', (v) => v === exercise.loaded)).toBe(500);
    expect(await scraped('joerl_calls_total{type="echo",outcome="ok"}', (v) => v === exercise.calls)).toBe(40);
    // The shared conformance workload, as telemetry counted it.
    for (const [name, labels] of [
      ['joerl_messages_sent_total', { type: 'conformance_worker' }],
      ['joerl_actors_panicked_total', { type: 'conformance_crasher' }],
      ['joerl_messages_sent_failed_total', { type: 'conformance_tiny', reason: 'mailbox_full' }],
      ['joerl_messages_sent_failed_total', { type: 'conformance_crasher', reason: 'noproc' }],
    ] as const) {
      const want = telemetry.value(name, labels);
      const selector = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',');
      expect(await scraped(`${name}{${selector}}`, (v) => v === want), `${name}{${selector}}`).toBe(want);
    }
  });

  it('computes a finite histogram_quantile over queue-wait and call-duration buckets', async () => {
    await setup;
    for (const promql of [
      'histogram_quantile(0.99, sum by (le) (joerl_message_queue_wait_seconds_bucket{type="loaded"}))',
      'histogram_quantile(0.5, sum by (le) (joerl_call_duration_seconds_bucket{type="echo"}))',
    ]) {
      const q = await scraped(promql, Number.isFinite);
      expect(q, promql).toBeGreaterThan(0);
    }
  });

  it('sees the mailbox depth return to 0 once drained', async () => {
    await setup;
    expect(await scraped('joerl_mailbox_depth{type="gated"}', (v) => v > 0)).toBe(exercise.gatedQueued);
    await exercise.release();
    expect(await scraped('joerl_mailbox_depth{type="gated"}', (v) => v === 0)).toBe(0);
  });
});
