/**
 * Rendering a registry in either exposition format, without changing it.
 *
 * @module
 */
import { type Metric, Registry, type RegistryContentType } from 'prom-client';

/** What `registry.getMetricsAsJSON()` returns for one metric. */
type MetricJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>[number];

/**
 * @internal
 * The registry's metrics in `contentType`. The registry's own format is rendered by the registry.
 * The other one is rendered from a copy: setting the registry's content type back and forth would
 * rename your counters for good (prom-client 15 strips `_total` from a counter's `name` in place
 * when rendering OpenMetrics; prometheus/client_js#829), and would race concurrent scrapes.
 */
export async function exposition(registry: Registry<RegistryContentType>, contentType: RegistryContentType, units: ReadonlyMap<string, string> = new Map()): Promise<string> {
  const openMetrics = contentType === Registry.OPENMETRICS_CONTENT_TYPE;
  if (contentType === registry.contentType) return openMetrics ? withUnits(await registry.metrics(), units) : registry.metrics();
  // getMetricsAsJSON reads every metric (default labels applied) without touching them.
  const metrics = await registry.getMetricsAsJSON();
  const view = new Registry<RegistryContentType>();
  view.setContentType(contentType);
  const toText = contentType === Registry.PROMETHEUS_CONTENT_TYPE;
  for (const m of metrics) view.registerMetric(new RenderedMetric(m, toText) as unknown as Metric);
  return openMetrics ? withUnits(await view.metrics(), units) : view.metrics();
}

/**
 * @internal `text` (OpenMetrics) with a `# UNIT` line after the `# TYPE` line of each family in
 * `units` (by family name: a counter's without `_total`). prom-client writes no `# UNIT` lines.
 */
export function withUnits(text: string, units: ReadonlyMap<string, string>): string {
  if (units.size === 0) return text;
  const lines = text.split('\n');
  const out: string[] = [];
  for (const line of lines) {
    out.push(line);
    if (!line.startsWith('# TYPE ')) continue;
    const name = line.slice(7, line.indexOf(' ', 7));
    const unit = units.get(name);
    if (unit !== undefined) out.push(`# UNIT ${name} ${unit}`);
  }
  return out.join('\n');
}

/** A metric already read, in the shape prom-client's registry renders. */
class RenderedMetric {
  name: string;
  readonly type: string;

  constructor(
    private readonly data: MetricJson,
    toText: boolean,
  ) {
    this.type = String(data.type);
    // In the text format a counter's samples carry the name OpenMetrics would give them (`_total`).
    this.name = toText && this.type === 'counter' && !data.name.endsWith('_total') ? `${data.name}_total` : data.name;
  }

  get(): Promise<MetricJson> {
    // `name` may have been renamed by the (throwaway) registry: render under that name.
    return Promise.resolve({ ...this.data, name: this.name });
  }

  reset(): void {}
}
