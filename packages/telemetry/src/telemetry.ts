/**
 * The telemetry instance: core's {@link Instrumentation}, aggregating into per-type slots on the
 * hot path, and reading the rest at collect time. Its hooks are spread over one file per seam
 * (`lifecycle-hooks.ts`, `message-hooks.ts`, `behaviour-hooks.ts`, `supervision-hooks.ts`, on the
 * shared `telemetry-state.ts`); this file holds configuration and reading.
 *
 * @module
 */
import { type ActorSystem, type Instrumentation, InvalidArgumentError, InvalidConfigError, isPid, type Pid } from '@joerl/core';
import type { Tracer } from './actor-trace.js';
import { CATALOG, type MetricDef } from './catalog.js';
import { FlowCounter, type MessageFlowSnapshot } from './message-flow.js';
import { buildFamilies, matches } from './collect.js';
import { PROVIDER_HOOKS, type TelemetryProvider } from './provider.js';
import type { EventLoopDelay, MemoryReading } from './runtime.js';
import { checkRate } from './sampler.js';
import { type HistogramSample, isHistogramSample, type Labels, type MetricFamily } from './snapshot.js';
import { SupervisionHooks } from './supervision-hooks.js';
import type { CollectOptions, MetricSource, SamplingRates, TelemetryOptions } from './telemetry-options.js';

export type { CollectOptions, MetricSource, SamplingRates, TelemetryOptions } from './telemetry-options.js';

/**
 * Telemetry for one {@link ActorSystem}: pass it as the system's instrumentation.
 *
 * Counters are exact. Timings are sampled by deterministic counters ({@link SamplingRates}), and
 * adjustable while running with {@link Telemetry.setSampling}. Values are read by backends
 * through {@link Telemetry.collect}, so a message costs the same whatever backends are attached.
 *
 * @example
 * ```ts
 * const telemetry = createTelemetry({ sampling: { timing: 0.01 } });
 * const system = new ActorSystem({ instrumentation: telemetry });
 * // ... later, e.g. on a scrape:
 * for (const family of telemetry.collect()) console.log(family.def.name, family.samples.length);
 * ```
 * @since 0.1.0
 */
export class Telemetry extends SupervisionHooks implements Instrumentation {
  constructor(options: TelemetryOptions = {}) {
    super(options);
    for (const p of options.providers ?? []) this.addProvider(p);
  }

  // ---------------------------------------------------------------------------------------
  // Configuration

  /** Changes sampling rates while running; rates not given keep their value. */
  setSampling(rates: SamplingRates): void {
    if (rates.timing !== undefined) this.timing.rate = checkRate(rates.timing, 'sampling.timing');
    if (rates.calls !== undefined) this.calls.rate = checkRate(rates.calls, 'sampling.calls');
    if (rates.spans !== undefined) this.spans.rate = checkRate(rates.spans, 'sampling.spans');
  }

  /** The current sampling rates. */
  get sampling(): Required<SamplingRates> {
    return { timing: this.timing.rate, calls: this.calls.rate, spans: this.spans.rate };
  }

  /** Adds a provider; its `start` runs at once. */
  addProvider(provider: TelemetryProvider): void {
    if (typeof provider !== 'object' || provider === null || typeof provider.name !== 'string' || provider.name.length === 0) {
      throw new InvalidConfigError('provider', provider, 'an object with a non-empty `name` and optional on* hooks');
    }
    if (this.providers.some((p) => p.name === provider.name)) {
      throw new InvalidConfigError('provider.name', provider.name, 'a name no other provider of this telemetry uses');
    }
    this.providers.push(provider);
    for (const hook of PROVIDER_HOOKS) if (typeof provider[hook] === 'function') this.hooks[hook].push(provider);
    this.refreshListeners();
    this.guard(provider, () => provider.start?.(this));
  }

  /** Removes a provider (calling its `shutdown`); returns false if it was not added. */
  async removeProvider(provider: TelemetryProvider): Promise<boolean> {
    const i = this.providers.indexOf(provider);
    if (i < 0) return false;
    this.providers.splice(i, 1);
    for (const hook of PROVIDER_HOOKS) {
      const list = this.hooks[hook];
      const j = list.indexOf(provider);
      if (j >= 0) list.splice(j, 1);
    }
    this.refreshListeners();
    await this.guardAsync(provider, () => provider.shutdown?.());
    return true;
  }

  /**
   * Adds metrics from outside the catalog (e.g. `@joerl/health`'s status gauges): they appear in
   * every `collect()` after the catalog's, so every backend exports them.
   * @throws InvalidConfigError if a name is already in the catalog or another source.
   */
  addMetricSource(source: MetricSource): void {
    const taken = new Set([...CATALOG.map((m) => m.name), ...this.sources.flatMap((s) => s.defs.map((d) => d.name))]);
    for (const def of source.defs) {
      if (taken.has(def.name)) throw new InvalidConfigError('metric source', def.name, 'metric names not already in the catalog or another source');
    }
    this.sources.push(source);
  }

  /** Removes a source added with {@link Telemetry.addMetricSource}; returns false if it was not there. */
  removeMetricSource(source: MetricSource): boolean {
    const i = this.sources.indexOf(source);
    if (i < 0) return false;
    this.sources.splice(i, 1);
    this.snapshot = null;
    return true;
  }

  /** Every metric this telemetry reports: the catalog, then the added sources'. */
  get definitions(): readonly MetricDef[] {
    return [...CATALOG, ...this.sources.flatMap((s) => s.defs)];
  }

  /**
   * Counts one failed export of a push backend (`'otlp'`, `'statsd'`, `'datadog'`...): backends
   * call this instead of throwing, so a collector that is down costs the actor system nothing.
   */
  exportFailed(backend: string): void {
    this.exportErrors.set(backend, (this.exportErrors.get(backend) ?? 0) + 1);
  }

  /**
   * Declares a push backend, so its `joerl_telemetry_export_errors_total{backend}` series reads 0
   * before any failure (backends call it when they start).
   */
  exporterStarted(backend: string): void {
    if (!this.exportErrors.has(backend)) this.exportErrors.set(backend, 0);
  }

  /**
   * Core calls messageStart/messageEnd for every message only while a provider listens to
   * onMessageReceived; otherwise only for sampled or traced messages, and every other message
   * runs exactly as without instrumentation.
   */
  get perMessage(): boolean {
    return this.receivedListeners;
  }

  /**
   * Starts counting the message flow (messages by sender type → receiver type, read with
   * {@link Telemetry.messageFlow}) until the returned function is called. Watchers are counted:
   * the flow counts while at least one watches, and its counts are kept between watches. Unwatched,
   * a send pays one boolean check for it; watched, two map lookups keyed by the types' records.
   *
   * @example
   * ```ts
   * const unwatch = telemetry.watchMessageFlow();
   * // ... later
   * for (const e of telemetry.messageFlow().edges) console.log(`${e.from} → ${e.to}: ${e.count}`);
   * unwatch();
   * ```
   * @since 0.1.0
   */
  watchMessageFlow(): () => void {
    this.flowCounter ??= new FlowCounter();
    this.flowWatchers++;
    this.refreshListeners();
    let watching = true;
    return () => {
      if (!watching) return;
      watching = false;
      this.flowWatchers--;
      this.refreshListeners();
    };
  }

  /**
   * The message flow counted so far (empty if never watched): at most `MAX_FLOW_EDGES` edges,
   * and further edges folded into one `(other) → (other)` edge. A message sent from inside a
   * handler counts under the running actor's type, even through `system.send` or a named ref.
   * @since 0.1.0
   */
  messageFlow(): MessageFlowSnapshot {
    return this.flowCounter === null ? { edges: [], folded: 0 } : this.flowCounter.snapshot();
  }

  /**
   * Traces one live actor of this telemetry's system: `tracer` gets each message as it arrives
   * in the actor's mailbox and each signal it takes, with a timestamp, then its exit (which ends
   * the trace). Returns the function that stops the trace, or null if the actor is not alive
   * here or {@link MAX_ACTOR_TRACES} traces already run. A trace costs the traced actor an
   * event per message; other actors pay a comparison per send while any trace runs, nothing
   * while none does.
   *
   * @throws InvalidArgumentError if `pid` is not a pid or `tracer` not a function.
   * @example
   * ```ts
   * const stop = telemetry.trace(pid, (e) => console.log(e.kind, e.at));
   * // ... later
   * stop?.();
   * ```
   * @since 0.1.0
   */
  trace(pid: Pid, tracer: Tracer): (() => void) | null {
    if (!isPid(pid)) throw new InvalidArgumentError('trace', 'pid', pid, 'a pid');
    if (typeof tracer !== 'function') throw new InvalidArgumentError('trace', 'tracer', tracer, 'a function receiving TraceEvents');
    const actor = this.system === null ? undefined : this.system.handle(pid); // undefined for a pid of another system or node
    if (actor === undefined || !actor.alive) return null;
    if (!this.actorTraces.add(actor, tracer)) return null;
    this.refreshListeners();
    return () => {
      if (this.actorTraces.remove(tracer)) this.refreshListeners();
    };
  }

  /** Whether spans are on (`tracing` was given): backends that export traces can insist on it. */
  get tracingEnabled(): boolean {
    return this.tracing !== null;
  }

  /** The system this telemetry serves, once attached. */
  get actorSystem(): ActorSystem | null {
    return this.system;
  }

  /** Event-loop delay over the last window (zeros when monitoring is off). */
  eventLoopDelay(): EventLoopDelay {
    return this.runtime.eventLoopDelay();
  }

  /** Process memory, read at most once a second. */
  memoryUsage(): MemoryReading {
    return this.runtime.memoryUsage();
  }
  // ---------------------------------------------------------------------------------------
  // Reading

  /**
   * The whole catalog's current values: one family per catalog metric, in catalog order, each
   * with its samples (labelled values, or histograms with cumulative bucket counts).
   */
  collect(options: CollectOptions = {}): MetricFamily[] {
    const maxAge = options.maxAgeMs ?? 0;
    const now = Date.now();
    if (maxAge > 0 && this.snapshot !== null && now - this.snapshot.at <= maxAge) return this.snapshot.families;
    const families = buildFamilies({
      system: this.system,
      types: this.types,
      unknown: this.unknown,
      systemStats: this.systemStats,
      messageBytes: this.messageBytes,
      restarts: this.restarts,
      restartDuration: this.restartDuration,
      intensityExceeded: this.intensityExceeded,
      exitSignals: this.exitSignals,
      linksCreated: this.linksCreated,
      monitorsCreated: this.monitorsCreated,
      runtime: this.runtime,
      providers: this.providers,
      providerErrors: this.providerErrors,
      exportErrors: this.exportErrors,
      sources: this.sources,
      logger: this.logger,
      cluster: this.cluster,
    });
    this.snapshot = { at: now, families };
    return families;
  }

  /**
   * The current value of one sample (the sum over samples matching `labels`, if several do);
   * for a histogram, its `_count`. Handy in tests and health checks.
   */
  value(name: string, labels: Labels = {}): number {
    const family = this.collect().find((f) => f.def.name === name);
    if (family === undefined) throw new InvalidConfigError('metric name', name, `a metric of the catalog or an added source, e.g. ${CATALOG[0]?.name}`);
    let total = 0;
    for (const s of family.samples) {
      if (!matches(s.labels, labels)) continue;
      total += isHistogramSample(s) ? s.count : s.value;
    }
    return total;
  }

  /** The histogram sample of `name` with exactly these labels, or undefined. */
  histogram(name: string, labels: Labels = {}): HistogramSample | undefined {
    const family = this.collect().find((f) => f.def.name === name);
    return family?.samples.find((s): s is HistogramSample => isHistogramSample(s) && matches(s.labels, labels) && Object.keys(s.labels).length === Object.keys(labels).length);
  }
}

/**
 * Creates the telemetry for one actor system; pass it as the system's `instrumentation`.
 *
 * @throws InvalidConfigError for a bad option (a sampling rate outside 0..1, bad buckets, ...), naming the setting.
 * @example
 * ```ts
 * import { ActorSystem } from '@joerl/core';
 * import { createTelemetry } from '@joerl/telemetry';
 *
 * const telemetry = createTelemetry({ sampling: { timing: 0.01 } });
 * const system = new ActorSystem({ instrumentation: telemetry });
 * ```
 * @since 0.1.0
 */
export function createTelemetry(options: TelemetryOptions = {}): Telemetry {
  return new Telemetry(options);
}
