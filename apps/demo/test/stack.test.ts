import { fileURLToPath } from 'node:url';
import { type PrometheusServer, requireBinary, startPrometheus } from '@joerl/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, startDemo } from '../src/app.js';
import { prometheusLinks } from '../src/prometheus-links.js';
import { stackBanner } from '../src/stack-banner.js';

const rules = ['alerts.yml', 'slo.yml'].map((f) => fileURLToPath(new URL(`../../../ops/prometheus/${f}`, import.meta.url)));

let demo: Demo;
let prometheus: PrometheusServer;
beforeAll(async () => {
  requireBinary('prometheus');
  demo = await startDemo({ apiPort: 0, metricsPort: 0, healthPort: 0, ordersPerSecond: 0, env: {} });
  // What demo:stack starts (on a free port instead of 9090).
  prometheus = await startPrometheus({ targets: [new URL(demo.urls.metrics).host], job: 'joerl-demo', intervalS: 5, ruleFiles: rules });
});
afterAll(async () => {
  await prometheus?.stop();
  await demo?.stop();
});

describe('pnpm demo:stack', () => {
  it('prints only URLs that answer 200 on the Prometheus it starts', async () => {
    const banner = stackBanner(await prometheusLinks(prometheus.url), demo.urls);
    const urls = [...banner.matchAll(/http:\/\/[^\s'")]+/g)].map((m) => m[0]);
    expect(urls.length).toBeGreaterThanOrEqual(8);
    for (const url of new Set(urls)) {
      const res = await fetch(url, { redirect: 'manual' });
      await res.body?.cancel();
      expect(res.status, url).toBe(200);
    }
  });

  it('links the alerts and rules pages this Prometheus build serves', async () => {
    const links = await prometheusLinks(prometheus.url);
    // Debian's 2.42 has only the classic UI; a build with the React UI serves /alerts itself.
    expect(links.alerts).toMatch(/\/(classic\/)?alerts$/);
    expect(links.rules).toMatch(/\/(classic\/)?rules$/);
  });
});
