/**
 * Every PromQL query of TELEMETRY.md, and every alerting and recording rule of ops/prometheus,
 * against a real Prometheus scraping the demo under load (with faults, so that crashes,
 * restarts, timeouts, invalid transitions and dropped messages all happen).
 */
import { type Demo, startDemo } from '@joerl/demo';
import { poll, type PrometheusServer, startPrometheus } from '@joerl/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoQueries, OPS, RULE_FILES } from '../src/ops.js';

let demo: Demo;
let prometheus: PrometheusServer;

beforeAll(async () => {
  demo = await startDemo({
    apiPort: 0,
    metricsPort: 0,
    healthPort: 0,
    ordersPerSecond: 80,
    admitPerSecond: 70,
    lingerMs: 500,
    timingSampling: 0.2,
    faults: { crashRate: 0.05, slowMs: 250, floodEverySec: 2, lateCancelRate: 0.1 },
    env: {},
  });
  const target = new URL(demo.urls.metrics).host;
  prometheus = await startPrometheus({ targets: [target], job: 'joerl-demo', ruleFiles: RULE_FILES.map((f) => `${OPS}prometheus/${f}`) });
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  await demo?.stop();
}, 30_000);

describe('the operator kit against the demo under load', () => {
  it('every query of TELEMETRY.md but the cluster\'s parses and returns data (a finite value)', async () => {
    const queries = demoQueries();
    const empty = await poll('every query to return data', 90_000, async () => {
      const missing: string[] = [];
      for (const q of queries) {
        const result = await prometheus.query(q.expr); // a parse error throws here, with Prometheus' message
        // data: at least one series with a real number (a quantile over empty buckets is NaN)
        if (!result.some((s) => Number.isFinite(Number(s.value[1])))) missing.push(q.id);
      }
      return missing.length === 0 ? missing : undefined;
    }).catch(async (error: unknown) => {
      const missing: string[] = [];
      for (const q of queries) {
        const result = await prometheus.query(q.expr);
        if (!result.some((s) => Number.isFinite(Number(s.value[1])))) missing.push(`${q.id}: ${q.expr} → ${JSON.stringify(result.slice(0, 2))}`);
      }
      throw new Error(`${String(error)}\nstill empty:\n  ${missing.join('\n  ')}`);
    });
    expect(empty).toEqual([]);
  }, 120_000);

  it('every alerting and recording rule loads and evaluates without error', async () => {
    const rules = await poll('every rule to be evaluated', 30_000, async () => {
      const all = await prometheus.rules();
      return all.length > 0 && all.every((r) => r.health === 'ok') ? all : undefined;
    }).catch(async (error: unknown) => {
      const bad = (await prometheus.rules()).filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`);
      throw new Error(`${String(error)}\n  ${bad.join('\n  ')}`);
    });
    expect(rules.length).toBe(20);
    // the recording rules produce series from the demo's calls (once an evaluation saw enough data)
    for (const recorded of ['joerl:calls:success_ratio_rate5m', 'joerl:calls:latency_p99_rate5m']) {
      const series = await poll(`${recorded} to have data`, 30_000, async () => {
        const result = await prometheus.query(recorded);
        return result.length > 0 ? result : undefined;
      });
      expect(series.length).toBeGreaterThan(0);
    }
  }, 60_000);
});
