/**
 * `prometheus()`: telemetry's metrics in a prom-client `Registry`, served on `/metrics`.
 *
 * @module
 */
import type { RequestListener } from 'node:http';
import { consoleLogger, InvalidConfigError, type Logger } from '@joerl/core';
import type { MetricDef, Telemetry, TelemetryProvider } from '@joerl/telemetry';
import {
  collectDefaultMetrics,
  type DefaultMetricsCollectorConfiguration,
  type Metric,
  type PrometheusContentType,
  Registry,
  type RegistryContentType,
} from 'prom-client';
import { ExporterClosedError, MetricNameTakenError } from './errors.js';
import { exposition } from './exposition.js';
import { FamilyCollector, type FamilySource, type WorkerScrape } from './family-collector.js';
import { metricsHandler } from './handler.js';
import { checkNodeLabel, checkPrefix, checkSystem, openMetricsUnit, prometheusName } from './names.js';
import { ScrapeSnapshot } from './scrape.js';
import { type ListenOptions, listenMetrics, type MetricsServer } from './server.js';
import type { GatherWorkers, NodeFamilies } from './worker-metrics.js';

/**
 * prom-client's default Node.js metrics options (`prefix`, `labels`, `gcDurationBuckets`,
 * `eventLoopMonitoringPrecision`); the registry is the provider's.
 *
 * @example
 * ```ts
 * prometheus({ telemetry, defaultMetrics: { prefix: 'shop_' } }); // shop_process_cpu_user_seconds_total, ...
 * ```
 * @since 0.1.0
 */
export type DefaultMetricsOptions = Omit<DefaultMetricsCollectorConfiguration<RegistryContentType>, 'register'>;

/**
 * Options of {@link prometheus}.
 *
 * @example
 * ```ts
 * const options: PrometheusOptions = { telemetry, registry: new Registry(), system: 'orders', prefix: 'shop_' };
 * prometheus(options);
 * ```
 * @since 0.1.0
 */
export interface PrometheusOptions<T extends RegistryContentType = PrometheusContentType> {
  /** The telemetry of the actor system to export (`createTelemetry()`). */
  readonly telemetry: Telemetry;
  /**
   * Your prom-client registry (it stays yours: joerl's metrics are added next to your own), or
   * none for a new one. A registry in OpenMetrics mode answers OpenMetrics by default.
   */
  readonly registry?: Registry<T>;
  /**
   * Also register prom-client's default Node.js metrics (`process_*`, `nodejs_*`) in the registry
   * (default false). Once per registry: a second time is a {@link MetricNameTakenError}.
   */
  readonly defaultMetrics?: boolean | DefaultMetricsOptions;
  /**
   * A `system` label on every joerl sample: how two actor systems share one registry. Without it,
   * a registry holds joerl's metrics of one system.
   */
  readonly system?: string;
  /**
   * The label naming this node on every joerl sample while the actor system is a node of a
   * cluster (`@joerl/cluster`): default `'node'`, with the node's name as value. `false` for none,
   * e.g. when your relabeling already tells nodes apart by `instance`. A single node (not in a
   * cluster) has no such label.
   */
  readonly nodeLabel?: string | false;
  /**
   * The worker-thread nodes of this process, gathered at each scrape and served with this
   * system's metrics, each sample labelled with its node (never summed): `gatherFromWorkers(pool.workers)`,
   * with `serveWorkerMetrics(telemetry, parentPort)` in each worker. Needs the node label.
   */
  readonly workers?: GatherWorkers;
  /** Prepended to every joerl metric name, e.g. `'myapp_'` → `myapp_joerl_actors_active` (default none). */
  readonly prefix?: string;
  /** Where export failures are reported, once each (default the console; `null` for silence). */
  readonly logger?: Logger | null;
}

/**
 * What {@link prometheus} returns: a telemetry provider whose metrics live in `registry`.
 * It closes itself when its actor system shuts down.
 *
 * @example
 * ```ts
 * const exporter: PrometheusProvider = prometheus({ telemetry });
 * const server = await exporter.listen({ port: 0 });
 * console.log(`scrape ${server.url}`);
 * await exporter.close(); // its metrics leave the registry, the server stops
 * ```
 * @since 0.1.0
 */
export interface PrometheusProvider<T extends RegistryContentType = PrometheusContentType> extends TelemetryProvider {
  /** The registry holding joerl's metrics (yours, or the one created). */
  readonly registry: Registry<T>;
  /**
   * A `node:http` request handler: `GET /metrics` answered in the Prometheus text format, or in
   * OpenMetrics when the `Accept` header prefers it (as Prometheus does); other paths 404.
   * It serves the whole registry, your metrics included.
   */
  readonly handler: RequestListener;
  /**
   * Serves {@link PrometheusProvider.handler} on its own HTTP server; resolves once it listens.
   * Defaults: port 9464 (as OpenTelemetry's Prometheus exporter), host `127.0.0.1` (this machine
   * only: pass `host: '0.0.0.0'` to be scraped from elsewhere). Closed by `close()`.
   * @throws MetricsListenError (rejects) if it cannot listen, e.g. the port is taken.
   * @throws ExporterClosedError (rejects) once the provider is closed.
   */
  listen(options?: ListenOptions): Promise<MetricsServer>;
  /** The registry's exposition text, in `contentType` (default the registry's own). */
  metrics(contentType?: RegistryContentType): Promise<string>;
  /**
   * Removes joerl's metrics (and the default metrics it added) from the registry, closes the
   * servers started by `listen()` and detaches from the telemetry. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Exposes an actor system's telemetry to Prometheus: every metric of `telemetry.definitions` (the
 * catalog, then added metric sources) becomes a metric of a prom-client `Registry`, read from
 * `telemetry.collect()` once per scrape. Histograms have the buckets telemetry measured with (the
 * catalog's, or those given to `createTelemetry({ buckets })`).
 *
 * Metric sources (e.g. `@joerl/health`) must be added to the telemetry before this is called.
 *
 * @throws MetricNameTakenError if a name is already in the registry (your metric, default metrics
 *   registered twice, or another system without distinct `system` labels); nothing is registered.
 * @throws InvalidConfigError for a bad option, naming it.
 * @example
 * ```ts
 * import { prometheus } from '@joerl/prometheus';
 *
 * await prometheus({ telemetry }).listen(); // http://127.0.0.1:9464/metrics
 * ```
 * @since 0.1.0
 */
export function prometheus<T extends RegistryContentType = PrometheusContentType>(options: PrometheusOptions<T>): PrometheusProvider<T> {
  return new PrometheusExporter(options);
}

/** What `close()` answers while it is starting to close (only the telemetry calls it then). */
const PENDING: Promise<void> = Promise.resolve();

/** @internal a family collector and the source this provider feeds it with */
interface Registration {
  readonly collector: FamilyCollector;
  readonly source: FamilySource;
}

class PrometheusExporter<T extends RegistryContentType> implements PrometheusProvider<T> {
  name: string;
  readonly registry: Registry<T>;
  readonly handler: RequestListener;
  private readonly telemetry: Telemetry;
  private readonly snapshot: ScrapeSnapshot;
  private readonly registrations: Registration[] = [];
  private readonly defaultMetricNames: string[] = [];
  private readonly servers = new Set<MetricsServer>();
  /** OpenMetrics `# UNIT` of each family that has one, by family name */
  private readonly units = new Map<string, string>();
  private closing: Promise<void> | null = null;
  private readonly gather: GatherWorkers | null;
  private readonly nodeLabel: string | null;
  private readonly workerScrape: WorkerScrape = { current: [] };

  constructor(options: PrometheusOptions<T>) {
    if (typeof options !== 'object' || options === null) throw new InvalidConfigError('prometheus options', options, 'an object with at least `telemetry`');
    const telemetry = checkTelemetry(options.telemetry);
    const registry = options.registry ?? (new Registry() as unknown as Registry<T>);
    checkRegistry(registry);
    const system = checkSystem(options.system);
    const prefix = checkPrefix(options.prefix);
    const logger = options.logger === undefined ? consoleLogger : options.logger;
    this.telemetry = telemetry;
    this.registry = registry;
    this.name = system === undefined ? 'prometheus' : `prometheus:${system}`;
    const nodeLabel = checkNodeLabel(options.nodeLabel, telemetry.definitions, system !== undefined);
    if (options.workers !== undefined && typeof options.workers !== 'function') {
      throw new InvalidConfigError('workers', options.workers, 'a function gathering the worker nodes\' families, e.g. gatherFromWorkers(pool.workers)');
    }
    if (options.workers !== undefined && nodeLabel === null) {
      throw new InvalidConfigError('nodeLabel', false, "a label name: with workers, each node's samples are told apart by it");
    }
    this.gather = options.workers ?? null;
    this.nodeLabel = nodeLabel;
    this.snapshot = new ScrapeSnapshot(telemetry, logger, `@joerl/prometheus${system === undefined ? '' : ` (system="${system}")`}`, nodeLabel);

    // Check every name first, so that a conflict registers nothing.
    const plan = telemetry.definitions.map((def) => {
      const name = prometheusName(def, prefix, system !== undefined);
      return { name, def, shared: sharedCollector(registry, name, def, system) };
    });
    if (options.defaultMetrics !== undefined && options.defaultMetrics !== false) {
      this.defaultMetricNames = addDefaultMetrics(registry, options.defaultMetrics === true ? {} : options.defaultMetrics);
    }
    for (const { name, def, shared } of plan) {
      const source: FamilySource = { system, def, snapshot: this.snapshot, workers: this.workerScrape };
      let collector = shared;
      if (collector === undefined) {
        collector = new FamilyCollector(name, source);
        registry.registerMetric(collector as unknown as Metric);
      } else {
        collector.add(source);
      }
      this.registrations.push({ collector, source });
      const unit = openMetricsUnit(name, def);
      if (unit !== undefined) this.units.set(def.kind === 'counter' ? name.replace(/_total$/, '') : name, unit);
    }

    this.handler = metricsHandler({
      contentType: registry.contentType,
      render: (contentType) => this.metrics(contentType),
      failed: (what, error) => this.snapshot.failed(what, error),
    });
    this.attach();
  }

  async metrics(contentType: RegistryContentType = this.registry.contentType): Promise<string> {
    if (this.gather !== null) await this.gatherWorkers(this.gather, this.nodeLabel as string);
    return exposition(this.registry, contentType, this.units);
  }

  /** Reads the worker nodes' families for the scrape about to render. */
  private async gatherWorkers(gather: GatherWorkers, label: string): Promise<void> {
    let gathered: readonly NodeFamilies[] = [];
    try {
      gathered = await gather();
    } catch (error) {
      this.snapshot.failed('gathering the worker nodes', error);
    }
    this.workerScrape.current = gathered.map((w) => ({ node: { [label]: w.node }, families: new Map(w.families.map((f) => [f.def.name, f])) }));
  }

  async listen(options: ListenOptions = {}): Promise<MetricsServer> {
    if (this.closing !== null) throw new ExporterClosedError();
    const server = await listenMetrics(this.handler, options);
    if (this.closing !== null) {
      await server.close();
      throw new ExporterClosedError();
    }
    this.servers.add(server);
    const close = server.close.bind(server);
    return {
      port: server.port,
      host: server.host,
      url: server.url,
      close: () => {
        this.servers.delete(server);
        return close();
      },
    };
  }

  close(): Promise<void> {
    if (this.closing === null) {
      // Set before any work: doClose() detaches from telemetry, which calls shutdown() back.
      this.closing = PENDING;
      this.closing = this.doClose();
    }
    return this.closing;
  }

  /** TelemetryProvider: the actor system shut down (or this provider was removed). */
  shutdown(): Promise<void> {
    return this.close();
  }

  private async doClose(): Promise<void> {
    for (const { collector, source } of this.registrations) {
      if (collector.remove(source) > 0) continue;
      const registered: unknown = this.registry.getSingleMetric(collector.key);
      if (registered === collector) this.registry.removeSingleMetric(collector.key);
    }
    for (const name of this.defaultMetricNames) this.registry.removeSingleMetric(name);
    const servers = [...this.servers];
    this.servers.clear();
    // Not awaited: removeProvider calls shutdown() back, which answers PENDING, resolved already.
    void this.telemetry.removeProvider(this);
    await Promise.all(servers.map((s) => s.close()));
  }

  /** Joins the telemetry's providers, so the system's shutdown closes the servers. */
  private attach(): void {
    const base = this.name;
    for (let n = 2; ; n++) {
      try {
        this.telemetry.addProvider(this);
        return;
      } catch (error) {
        // Another prometheus() on this telemetry (another registry) took the name.
        if (!(error instanceof InvalidConfigError && error.setting === 'provider.name') || n > 100) throw error;
        this.name = `${base}#${n}`;
      }
    }
  }
}

/**
 * The joerl collector already registered as `name` that this system may join, or undefined if
 * the name is free.
 * @throws MetricNameTakenError if the name is taken by another metric, or by joerl for a system
 *   this one cannot be told apart from.
 */
function sharedCollector(registry: Registry<RegistryContentType>, name: string, def: MetricDef, system: string | undefined): FamilyCollector | undefined {
  const existing: unknown = registry.getSingleMetric(name);
  if (existing === undefined) return undefined;
  if (!(existing instanceof FamilyCollector)) {
    throw new MetricNameTakenError(
      name,
      'by another metric (not registered by joerl)',
      "rename or remove that metric, pass prometheus({ prefix: 'myapp_' }) to rename joerl's, or give joerl its own registry (omit `registry`)",
    );
  }
  const shareFix = "pass each prometheus() sharing this registry a distinct `system` option (e.g. system: 'orders' and system: 'billing'), or give each actor system its own registry";
  if (system === undefined || existing.feeds.some((f) => f.system === undefined)) {
    throw new MetricNameTakenError(name, 'by joerl for another actor system, and the two have no `system` labels to tell them apart', shareFix);
  }
  if (existing.feeds.some((f) => f.system === system)) {
    throw new MetricNameTakenError(name, `by joerl for another actor system with the same label system="${system}"`, shareFix);
  }
  if (existing.def.kind !== def.kind || existing.def.labels.join(',') !== def.labels.join(',')) {
    throw new MetricNameTakenError(
      name,
      `by joerl as a ${existing.def.kind} with labels (${existing.def.labels.join(', ')}), while this system's is a ${def.kind} with labels (${def.labels.join(', ')})`,
      'give the metric source that defines it another name, or export the two systems to separate registries',
    );
  }
  return existing;
}

/** Registers prom-client's default metrics; returns their names. Registers nothing if one clashes. */
function addDefaultMetrics(registry: Registry<RegistryContentType>, options: DefaultMetricsOptions): string[] {
  const before = new Set(registry.getMetricsAsArray().map((m) => m.name));
  const added = () => registry.getMetricsAsArray().map((m) => m.name).filter((n) => !before.has(n));
  try {
    collectDefaultMetrics({ ...options, register: registry });
  } catch (error) {
    for (const name of added()) registry.removeSingleMetric(name);
    const taken = /name (\S+) has already been registered/.exec(String(error))?.[1];
    if (taken === undefined) throw error;
    throw new MetricNameTakenError(
      taken,
      'by another metric: the default Node.js metrics are already registered (by another prometheus({ defaultMetrics }), or collectDefaultMetrics())',
      'ask for defaultMetrics once per registry',
    );
  }
  return added();
}

function checkTelemetry(telemetry: unknown): Telemetry {
  const t = telemetry as Partial<Telemetry> | null | undefined;
  if (typeof t !== 'object' || t === null || typeof t.collect !== 'function' || typeof t.addProvider !== 'function' || !Array.isArray(t.definitions)) {
    throw new InvalidConfigError('telemetry', telemetry, "the Telemetry of the actor system to export: prometheus({ telemetry }) with telemetry = createTelemetry() from '@joerl/telemetry'");
  }
  return telemetry as Telemetry;
}

function checkRegistry(registry: unknown): void {
  const r = registry as Partial<Registry> | null;
  if (typeof r !== 'object' || r === null || typeof r.registerMetric !== 'function' || typeof r.getSingleMetric !== 'function') {
    throw new InvalidConfigError('registry', registry, "a prom-client Registry (new Registry() from 'prom-client'), or nothing for a new one");
  }
}
