/** What `demo:stack` prints: every URL in it answers (a test GETs them from a running stack). */
import type { Demo } from './app.js';
import type { PrometheusLinks } from './prometheus-links.js';

export function stackBanner(prometheus: PrometheusLinks, urls: Demo['urls']): string {
  return `joerl demo + Prometheus

  Prometheus  ${prometheus.graph}
              alerts ${prometheus.alerts}
              rules  ${prometheus.rules}
              targets ${prometheus.targets}
  API         ${urls.api}
  metrics     ${urls.metrics}
  health      ${urls.healthz}?verbose

  Try: curl -XPOST ${urls.api}/faults -d '{"crashRate":0.3,"slowMs":400}'  then watch ${prometheus.alerts}
  Queries to paste: TELEMETRY.md ("PromQL, by question"). Ctrl-C stops both.
`;
}
