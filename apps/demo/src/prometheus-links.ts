/**
 * Links into a running Prometheus' web UI, found by asking it: Prometheus 2.x builds with the
 * React UI serve `/alerts`, `/rules` and `/graph`; builds without it (Debian's 2.42, which
 * `demo:stack` starts) serve only the classic UI, under `/classic/`. A printed link must answer,
 * so each is the first candidate the server answers 200 for, or the API's equivalent.
 */

/** The pages `demo:stack` points to. */
export interface PrometheusLinks {
  readonly graph: string;
  readonly alerts: string;
  readonly rules: string;
  readonly targets: string;
}

const CANDIDATES: { readonly [page in keyof PrometheusLinks]: readonly string[] } = {
  graph: ['/graph', '/classic/graph'],
  alerts: ['/alerts', '/classic/alerts', '/api/v1/alerts'],
  rules: ['/rules', '/classic/rules', '/api/v1/rules'],
  targets: ['/targets', '/classic/targets', '/api/v1/targets'],
};

/** Asks the Prometheus at `base` (e.g. `http://127.0.0.1:9090`) which of its pages answer. */
export async function prometheusLinks(base: string): Promise<PrometheusLinks> {
  const find = async (paths: readonly string[]): Promise<string> => {
    for (const path of paths) {
      const res = await fetch(`${base}${path}`, { redirect: 'manual' }).catch(() => null);
      await res?.body?.cancel();
      if (res?.status === 200) return `${base}${path}`;
    }
    return `${base}${paths[paths.length - 1]}`;
  };
  const [graph, alerts, rules, targets] = await Promise.all([find(CANDIDATES.graph), find(CANDIDATES.alerts), find(CANDIDATES.rules), find(CANDIDATES.targets)]);
  return { graph, alerts, rules, targets };
}
