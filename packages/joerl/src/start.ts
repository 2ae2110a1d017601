/**
 * `start()`: an actor system with telemetry, health probes and the backends chosen by
 * configuration, in one call.
 *
 * @module
 */
import { ActorSystem, type ActorSystemOptions, consoleLogger, formatValue, InvalidConfigError, type Logger } from '@joerl/core';
import { SystemHealth, type SystemHealthOptions } from '@joerl/health';
import { type ClusterSource, type Observer, type ObserverOptions, observer } from '@joerl/observer';
import { createTelemetry, type Telemetry, type TelemetryOptions, type TracingOptions } from '@joerl/telemetry';
// Types only: the adapters' code is imported on demand, and only when chosen.
import type * as DatadogModule from '@joerl/datadog';
import type * as OtlpModule from '@joerl/otlp';
import type * as PrometheusModule from '@joerl/prometheus';
import type * as StatsdModule from '@joerl/statsd';
import { dynamicImport, type Importer, load } from './backends.js';
import { type ClusterMembership, type ClusterStartOptions, configuredCluster, joinConfiguredCluster } from './cluster.js';
import { type BackendName, resolveConfig } from './config.js';
import { StartFailedError } from './errors.js';

/**
 * Options of {@link start}. Everything is optional; `JOERL_*` environment variables fill in
 * what is not set here (see {@link ENV}).
 * @since 0.1.0
 */
export interface StartOptions {
  /** The service's name: `service.name` in OpenTelemetry, `service` in Datadog (default `OTEL_SERVICE_NAME` / `DD_SERVICE`, else `'joerl'`). */
  readonly service?: string;
  /** Options of the actor system (its instrumentation is the telemetry `start` creates). */
  readonly system?: Omit<ActorSystemOptions, 'instrumentation'>;
  /** Telemetry options, plus which backends to export to (default `JOERL_TELEMETRY`, else none). */
  readonly telemetry?: Omit<TelemetryOptions, 'tracing'> & {
    readonly backends?: readonly BackendName[];
    readonly tracing?: boolean | TracingOptions;
  };
  /** The Prometheus endpoint: `port` (default 9464, `JOERL_PROMETHEUS_PORT`), `host` (default 127.0.0.1), prom-client's `defaultMetrics`. */
  readonly prometheus?: { readonly port?: number; readonly host?: string; readonly defaultMetrics?: boolean };
  /** Options passed to `startOtlp()` of `@joerl/otlp` (endpoint, protocol, exportIntervalMs, ...). */
  readonly otlp?: Readonly<Record<string, unknown>>;
  /** Options passed to `statsd()` of `@joerl/statsd` (host, port, tags, prefix, intervalMs, ...). */
  readonly statsd?: Readonly<Record<string, unknown>>;
  /**
   * Options passed to `datadog()` of `@joerl/datadog`, plus `tracer`: your initialised `dd-trace`
   * tracer (default: `dd-trace` initialised here from the `DD_*` variables).
   */
  readonly datadog?: { readonly tracer?: unknown; readonly [option: string]: unknown };
  /** Health probes (`/livez`, `/readyz`, `/healthz`): `port` (default 9465, `JOERL_HEALTH_PORT`), `host`, thresholds...; `false` for none. */
  readonly health?: false | (Omit<SystemHealthOptions, 'system' | 'telemetry'> & { readonly port?: number; readonly host?: string });
  /** Join a cluster over NATS (`@joerl/cluster`): `{ servers, node, ... }` (default `JOERL_CLUSTER_SERVERS`; none: a single node). */
  readonly cluster?: ClusterStartOptions;
  /**
   * The observer's web UI (`@joerl/observer`): `true`, or its options plus `port` (default 9466,
   * `JOERL_OBSERVER_PORT`) and `host` (default 127.0.0.1). Off by default; `JOERL_OBSERVER=1`
   * turns it on when the code says nothing. `urls.observer` is the URL to open (with the action
   * token in its fragment when `actions: true`).
   */
  readonly observer?: boolean | (Omit<ObserverOptions, 'system' | 'telemetry' | 'health'> & { readonly port?: number; readonly host?: string });
  /** Where `JOERL_*` variables are read from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** How backend packages are imported (default: dynamic `import()`); for tests. */
  readonly importer?: Importer;
  /** Where start-up warnings go (default the console). */
  readonly logger?: Logger | null;
}

/**
 * What {@link start} gives back.
 * @since 0.1.0
 */
export interface App {
  readonly system: ActorSystem;
  readonly telemetry: Telemetry;
  /** The health checks, or null with `health: false`. */
  readonly health: SystemHealth | null;
  /** This node's cluster membership, or null when no cluster is configured. */
  readonly cluster: ClusterMembership | null;
  /** The backends that were started, in the order given. */
  readonly backends: readonly BackendName[];
  /** The observer, or null unless it was asked for. */
  readonly observer: Observer | null;
  /** Where to look: the metrics endpoint, the health probes and the observer, when they listen. */
  readonly urls: { readonly metrics?: string; readonly livez?: string; readonly readyz?: string; readonly healthz?: string; readonly observer?: string };
  /** Stops everything: readiness fails first, then the system stops, then backends flush and close. */
  shutdown(options?: { readonly drainMs?: number; readonly timeoutMs?: number }): Promise<void>;
  /**
   * On the first SIGTERM or SIGINT (by default): {@link App.shutdown}, which stops the system
   * (every `terminate` runs) and closes what joerl opened (probe and metrics servers, exporters),
   * then `process.exit(0)` — or `process.exit(1)` if shutting down failed. Exiting is the default
   * because a signal handler replaces Node's own exit: without it the process would live on as
   * long as anything else (your HTTP server, a database pool) keeps it alive. Pass `exit: false`
   * to close your own resources and exit yourself. Later signals are ignored while it runs.
   * Returns a function that removes the handlers.
   *
   * @example
   * ```ts
   * const app = await start({ service: 'shop' });
   * app.shutdownOnSignals({ drainMs: 5000 }); // Kubernetes: readiness fails, traffic drains, then exit 0
   * ```
   */
  shutdownOnSignals(options?: ShutdownOnSignalsOptions): () => void;
}

/**
 * Options of {@link App.shutdownOnSignals}.
 *
 * @example
 * ```ts
 * app.shutdownOnSignals({ signals: ['SIGTERM'], drainMs: 10_000, exit: false });
 * ```
 * @since 0.1.0
 */
export interface ShutdownOnSignalsOptions {
  /** How long readiness answers 503 before the system stops, ms (default 0). */
  readonly drainMs?: number;
  /** The `timeoutMs` of `system.shutdown()`. */
  readonly timeoutMs?: number;
  /** The signals that start the shutdown (default `['SIGTERM', 'SIGINT']`). */
  readonly signals?: readonly NodeJS.Signals[];
  /** Whether to `process.exit()` once shut down (default true: 0, or 1 if shutting down failed). */
  readonly exit?: boolean;
}

interface Closer {
  readonly name: string;
  close(): unknown;
}

/**
 * Starts an actor system with telemetry, health and the chosen backends. Configuration is
 * validated first — a bad value fails before anything starts, with one message naming the
 * setting — and a chosen backend whose package is not installed fails with the command that
 * installs it. Only the chosen backends' code is loaded.
 *
 * @throws InvalidConfigError for a bad option or `JOERL_*` value; MissingBackendError for an
 *   uninstalled backend; StartFailedError when a port is in use.
 * @example
 * ```ts
 * import { start } from 'joerl';
 *
 * // JOERL_TELEMETRY=prometheus,otlp picks the backends; nothing in code changes.
 * const app = await start({ service: 'shop' });
 * console.log(app.urls.metrics, app.urls.readyz);
 * const greeter = app.system.spawn<string>((name) => console.log(`hello, ${name}`), { type: 'greeter' });
 * greeter.send('world');
 * await app.shutdown();
 * ```
 * @since 0.1.0
 */
export async function start(options: StartOptions = {}): Promise<App> {
  if (typeof options !== 'object' || options === null) throw new InvalidConfigError('start options', options, 'an object');
  const env = options.env ?? process.env;
  const config = resolveConfig(options, env);
  const importer = options.importer ?? dynamicImport;
  const chosen = new Set(config.backends.value);
  const service = options.service ?? env.OTEL_SERVICE_NAME ?? env.DD_SERVICE ?? 'joerl';
  if (typeof service !== 'string' || service.length === 0) throw new InvalidConfigError('service', service, 'a non-empty service name');

  // Load every chosen backend before starting anything: a missing package fails fast.
  const setting = config.backends.setting;
  const mods = {
    prometheus: chosen.has('prometheus') ? await load<typeof PrometheusModule>(importer, 'prometheus', '@joerl/prometheus', setting) : null,
    otlp: chosen.has('otlp') ? await load<typeof OtlpModule>(importer, 'otlp', '@joerl/otlp', setting) : null,
    statsd: chosen.has('statsd') ? await load<typeof StatsdModule>(importer, 'statsd', '@joerl/statsd', setting) : null,
    datadog: chosen.has('datadog') ? await load<typeof DatadogModule>(importer, 'datadog', '@joerl/datadog', setting) : null,
  };

  const { backends: _backends, sampling: codeSampling, tracing: codeTracing, ...telemetryRest } = options.telemetry ?? {};
  const telemetryOptions: TelemetryOptions = { ...telemetryRest, sampling: { ...codeSampling, ...config.sampling }, ...(options.logger === undefined ? {} : { logger: options.logger }) };
  const closers: Closer[] = [];

  // Traces: to Datadog when it is chosen (its tracer), else to OTLP (its tracer provider).
  let tracing: boolean | TracingOptions | undefined = codeTracing;
  let ddTracer: unknown;
  if (mods.datadog !== null && options.datadog?.traces !== false) {
    const { tracer: given } = options.datadog ?? {};
    ddTracer = given ?? (await initDdTrace(importer, setting, service));
    tracing = mods.datadog.datadogTracing(ddTracer as Parameters<typeof mods.datadog.datadogTracing>[0], { service });
  }

  let telemetry: Telemetry;
  if (mods.otlp !== null) {
    const { otlp } = mods;
    // OTLP starts before the cluster is joined: its resource takes the node name the join will use.
    const clusterNode = configuredCluster(options.cluster, env)?.node;
    const otlpOptions = { ...(clusterNode === undefined ? {} : { node: clusterNode }), ...(options.otlp ?? {}) };
    const handle =
      ddTracer !== undefined || tracing !== undefined
        ? await otlp.startOtlp({
            ...otlpOptions,
            serviceName: service,
            telemetry: createTelemetry({ ...telemetryOptions, ...(tracing === undefined ? {} : { tracing }) }),
            // OTLP exports spans only when the code asked for tracing and Datadog does not take them.
            traces: tracing !== undefined && tracing !== false && ddTracer === undefined,
          })
        : await otlp.startOtlp({ ...otlpOptions, serviceName: service, telemetry: telemetryOptions });
    telemetry = handle.telemetry;
    closers.push({ name: 'otlp', close: () => handle.shutdown() });
  } else {
    telemetry = createTelemetry({ ...telemetryOptions, ...(tracing === undefined ? {} : { tracing }) });
  }

  const system = new ActorSystem({ ...(options.system ?? {}), instrumentation: telemetry });
  const urls: { metrics?: string; livez?: string; readyz?: string; healthz?: string; observer?: string } = {};
  let health: SystemHealth | null = null;
  let cluster: ClusterMembership | null = null;
  let obs: Observer | null = null;
  try {
    // Health first: its metrics (a telemetry metric source) are then exported by every backend.
    if (config.health.enabled) {
      const { port: _port, host: _host, ...healthOptions } = options.health === false ? {} : (options.health ?? {});
      health = new SystemHealth({ ...healthOptions, system, telemetry });
    }
    if (mods.prometheus !== null) {
      const provider = mods.prometheus.prometheus({ telemetry, ...(options.prometheus?.defaultMetrics === undefined ? {} : { defaultMetrics: options.prometheus.defaultMetrics }) });
      const server = await listening('prometheus', config.prometheus, () => provider.listen({ port: config.prometheus.port.value, host: config.prometheus.host.value }));
      urls.metrics = server.url;
    }
    if (mods.statsd !== null) {
      const exporter = mods.statsd.statsd({ ...(options.statsd ?? {}), telemetry });
      closers.push({ name: 'statsd', close: () => exporter.close() });
    }
    if (mods.datadog !== null) {
      const { tracer: _tracer, ...ddOptions } = options.datadog ?? {};
      const exporter = mods.datadog.datadog({
        ...ddOptions,
        telemetry,
        tracer: (ddTracer ?? (await initDdTrace(importer, setting, service))) as Parameters<typeof mods.datadog.datadog>[0]['tracer'],
        service,
      });
      closers.push({ name: 'datadog', close: () => exporter.shutdown() });
    }
    if (health !== null) {
      const h = health;
      const server = await listening('health', config.health, () => h.listen({ port: config.health.port.value, host: config.health.host.value }));
      urls.livez = `${server.url}/livez`;
      urls.readyz = `${server.url}/readyz`;
      urls.healthz = `${server.url}/healthz`;
    }
    cluster = await joinConfiguredCluster(system, options.cluster, env, importer, options.logger);
    // Leaves after the system stopped, so its actors' exits still reached their remote links.
    if (cluster !== null) closers.push({ name: 'cluster', close: () => cluster?.leave() });
    if (config.observer.enabled) {
      const { port: _port, host: _host, ...observerOptions } = typeof options.observer === 'object' ? options.observer : {};
      // In a cluster, the observer lists the nodes and shows their views: the membership is
      // @joerl/cluster's Cluster at run time, which has the stats() the observer reads.
      const membership = cluster !== null && typeof (cluster as Partial<ClusterSource>).stats === 'function' ? { cluster: cluster as unknown as ClusterSource } : {};
      const o = observer({ ...membership, ...observerOptions, system, telemetry, ...(health === null ? {} : { health }) });
      obs = o;
      closers.push({ name: 'observer', close: () => o.close() });
      const server = await listening('observer', config.observer, () => o.listen({ port: config.observer.port.value, host: config.observer.host.value }));
      urls.observer = server.urlWithToken;
    }
  } catch (error) {
    await system.shutdown({ timeoutMs: 1000 });
    await health?.close();
    for (const c of closers.reverse()) await Promise.resolve(c.close()).catch(() => undefined);
    throw error;
  }

  let stopping: Promise<void> | null = null;
  const logger = options.logger === undefined ? consoleLogger : options.logger;
  const app: App = {
    system,
    telemetry,
    health,
    cluster,
    observer: obs,
    backends: config.backends.value,
    urls,
    shutdown(opts = {}) {
      stopping ??= (async () => {
        if (health !== null) await health.drainAndShutdown({ drainMs: opts.drainMs ?? 0, ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }) });
        else await system.shutdown(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs });
        for (const c of [...closers].reverse()) await Promise.resolve(c.close()).catch(() => undefined);
        await health?.close();
      })();
      return stopping;
    },
    shutdownOnSignals(opts = {}) {
      if (typeof opts !== 'object' || opts === null) throw new InvalidConfigError('shutdownOnSignals options', opts, 'an object { drainMs?, timeoutMs?, signals?, exit? }');
      const signals = opts.signals ?? ['SIGTERM', 'SIGINT'];
      if (!isSignalList(signals)) {
        throw new InvalidConfigError('signals', signals, "a non-empty array of signal names, e.g. ['SIGTERM', 'SIGINT']");
      }
      const exit = opts.exit ?? true;
      if (typeof exit !== 'boolean') throw new InvalidConfigError('exit', exit, 'true or false');
      const { drainMs, timeoutMs } = opts;
      let started = false;
      const onSignal = (signal: NodeJS.Signals): void => {
        if (started) return;
        started = true;
        app.shutdown({ ...(drainMs === undefined ? {} : { drainMs }), ...(timeoutMs === undefined ? {} : { timeoutMs }) }).then(
          () => {
            if (exit) process.exit(0);
          },
          (error: unknown) => {
            logger?.error(`joerl: shutdown after ${signal} failed: ${formatValue(error)}`, { error });
            if (exit) process.exit(1);
          },
        );
      };
      for (const s of signals) process.on(s, onSignal);
      return () => {
        for (const s of signals) process.off(s, onSignal);
      };
    },
  };
  return app;
}

/** Not a type guard on purpose: narrowing with Array.isArray would widen the list to any[]. */
function isSignalList(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && value.every((s) => typeof s === 'string' && s.startsWith('SIG'));
}

async function initDdTrace(importer: Importer, setting: string, service: string): Promise<unknown> {
  const mod = await load<{ default: { init(options: Record<string, unknown>): unknown } }>(importer, 'datadog', 'dd-trace', setting);
  return mod.default.init({ service });
}

async function listening<T>(
  component: string,
  where: { readonly port: { readonly value: number; readonly setting: string }; readonly host: { readonly value: string; readonly setting: string } },
  listen: () => Promise<T>,
): Promise<T> {
  try {
    return await listen();
  } catch (error) {
    const code = (error as { code?: unknown; cause?: { code?: unknown } }).cause?.code ?? (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE') throw new StartFailedError(component, where.port.setting, `port ${where.port.value} on ${where.host.value} is in use`, error);
    if (code === 'ENOTFOUND' || code === 'EADDRNOTAVAIL' || code === 'EAI_AGAIN') {
      throw new StartFailedError(component, where.host.setting, `it cannot listen on host '${where.host.value}' (${String(code)})`, error);
    }
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? cause.message : (error as Error).message;
    throw new StartFailedError(component, `${where.host.setting} / ${where.port.setting}`, detail, error);
  }
}
