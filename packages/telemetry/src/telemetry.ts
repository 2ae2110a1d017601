/**
 * The telemetry instance: core's {@link Instrumentation}, aggregating into per-type slots on the
 * hot path, and reading the rest at collect time.
 *
 * @module
 */
import {
  type ActorHandle,
  type ActorSystem,
  type ActorType,
  type CallOutcome,
  type CrashPhase,
  EXIT_REASON_KINDS,
  type ExitReason,
  type Instrumentation,
  InvalidConfigError,
  type Logger,
  SEND_FAILURE_REASONS,
  type SendFailureReason,
  type SignalKind,
  type SignalOutcome,
  type SupervisorProbe,
  CALL_OUTCOMES,
  consoleLogger,
  systemClock,
} from '@joerl/core';
import { SpanKind } from '@opentelemetry/api';
import { CATALOG, EVENT_LOOP_BUCKETS, type MetricDef, RESTART_BUCKETS } from './catalog.js';
import { Histogram, inc } from './histogram.js';
import { LabelCap } from './label-cap.js';
import { OTHER, SYSTEM_TYPE, UNKNOWN_TYPE } from './reserved-labels.js';
import { PROVIDER_HOOKS, type ProviderHook, type TelemetryProvider } from './provider.js';
import { type EventLoopDelay, type EventLoopOptions, type MemoryReading, RuntimeMonitor } from './runtime.js';
import { Sampler, checkRate } from './sampler.js';
import { type HistogramSample, isHistogramSample, type Labels, type MetricFamily, type ValueSample } from './snapshot.js';
import { CallToken, SpanToken, TraceMeta, Tracing, type TracingOptions } from './tracing.js';
import { type BucketOverrides, FAILURE_INDEX, OUTCOME_INDEX, REASON_INDEX, type StatemStats, TypeStats } from './type-stats.js';

/** Sampling rates, each 0..1. */
export interface SamplingRates {
  /** Messages timed for processing duration and queue wait (default 0.01: one in a hundred). */
  readonly timing?: number;
  /** GenServer/GenStatem calls timed for latency (default 1: every call). */
  readonly calls?: number;
  /**
   * Sends and calls made *outside* any trace that start a new one (default 0). A send inside an
   * active span always carries it on, so traces are never cut.
   */
  readonly spans?: number;
}

/**
 * Options of {@link createTelemetry}.
 * @since 0.1.0
 */
export interface TelemetryOptions {
  readonly sampling?: SamplingRates;
  /** Trace through `@opentelemetry/api` (default off: no context lookups at all). `true` uses the global tracer. */
  readonly tracing?: boolean | TracingOptions;
  /** Actors that exit sooner than this count as short-lived (default 1000 ms). */
  readonly shortLivedMs?: number;
  /** Most distinct values a label (actor type, state, event, child type) takes before folding into `(other)` (default 200). */
  readonly labelCap?: number;
  /** Histogram bucket overrides, by metric name (upper bounds in seconds, ascending). */
  readonly buckets?: BucketOverrides;
  /** Bytes a queued message is estimated at, for the mailbox memory gauges (default 64). */
  readonly messageBytes?: number;
  /** Event-loop delay monitoring (default on, 10 ms resolution; a 10 s window for {@link Telemetry.eventLoopDelay}); `false` turns it off. */
  readonly eventLoop?: EventLoopOptions | false;
  /** Providers to start with. */
  readonly providers?: readonly TelemetryProvider[];
  /** Where provider errors are reported (default the console; `null` for silence). */
  readonly logger?: Logger | null;
}

/**
 * Metrics from outside the catalog, read at collect time.
 * @since 0.1.0
 */
export interface MetricSource {
  /** A short name for error messages. */
  readonly name: string;
  /** The metrics it reports (names must not clash with the catalog). */
  readonly defs: readonly MetricDef[];
  /** Their current samples, one family per def. */
  collect(): MetricFamily[];
}

/** Options of {@link Telemetry.collect}. */
export interface CollectOptions {
  /** Reuse the previous snapshot if it is at most this old, ms (default 0: always fresh). */
  readonly maxAgeMs?: number;
}

/** @internal the per-actor slot of a state machine */
class StatemSlot {
  constructor(
    readonly stats: StatemStats,
    public state: number,
    public enteredAt: number,
  ) {}
}

/** @internal the per-actor slot of a supervisor */
class SupervisorSlot {
  constructor(readonly probe: SupervisorProbe) {}
}

interface RestartCount {
  readonly strategy: string;
  readonly childType: string;
  count: number;
}

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
export class Telemetry implements Instrumentation {
  private system: ActorSystem | null = null;
  private readonly types: LabelCap<TypeStats>;
  /** sends to names nobody holds */
  private readonly unknown: TypeStats;
  /** signals sent from outside any actor */
  private readonly systemStats: TypeStats;
  private readonly timing: Sampler;
  private readonly calls: Sampler;
  private readonly spans: Sampler;
  private readonly tracing: Tracing | null;
  private readonly shortLivedMs: number;
  private readonly messageBytes: number;
  private readonly labelCap: number;
  private readonly buckets: BucketOverrides;
  private readonly runtime: RuntimeMonitor;
  private readonly eventLoop: EventLoopOptions | false;
  private readonly logger: Logger | null;
  private readonly restarts: LabelCap<RestartCount>;
  private readonly restartDuration: Histogram;
  private readonly intensityExceeded: LabelCap<{ count: number }>;
  private readonly exitSignals = new Float64Array(EXIT_REASON_KINDS.length);
  private linksCreated = 0;
  private monitorsCreated = 0;
  private readonly providers: TelemetryProvider[] = [];
  private readonly sources: MetricSource[] = [];
  private readonly hooks: Record<ProviderHook, TelemetryProvider[]>;
  private readonly providerErrors = new Map<string, number>();
  private readonly exportErrors = new Map<string, number>();
  private snapshot: { at: number; families: MetricFamily[] } | null = null;
  private clockNow: () => number = perfNow;
  /** whether any provider listens to the per-message hooks (checked once per message) */
  private sentListeners = false;
  private receivedListeners = false;

  constructor(options: TelemetryOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new InvalidConfigError('telemetry options', options, 'an object');
    const sampling = options.sampling ?? {};
    this.timing = new Sampler(sampling.timing ?? 0.01, 'sampling.timing');
    this.calls = new Sampler(sampling.calls ?? 1, 'sampling.calls');
    this.spans = new Sampler(sampling.spans ?? 0, 'sampling.spans');
    const tracing = options.tracing ?? false;
    this.tracing = tracing === false ? null : new Tracing(tracing === true ? {} : tracing);
    this.shortLivedMs = positive(options.shortLivedMs ?? 1000, 'shortLivedMs', 'a positive number of milliseconds');
    this.messageBytes = positive(options.messageBytes ?? 64, 'messageBytes', 'a positive number of bytes');
    this.labelCap = options.labelCap ?? 200;
    if (!Number.isInteger(this.labelCap) || this.labelCap < 1) {
      throw new InvalidConfigError('labelCap', options.labelCap, 'a positive integer (distinct values per label)');
    }
    this.buckets = checkBuckets(options.buckets ?? {});
    this.types = new LabelCap('type', this.labelCap, (type) => new TypeStats(type, this.buckets));
    this.unknown = new TypeStats(UNKNOWN_TYPE, this.buckets);
    this.systemStats = new TypeStats(SYSTEM_TYPE, this.buckets);
    this.restarts = new LabelCap('child_type', this.labelCap, (key) => {
      if (key === OTHER) return { strategy: OTHER, childType: OTHER, count: 0 };
      const [strategy = '', childType = ''] = key.split('\u0000');
      return { strategy, childType, count: 0 };
    });
    this.restartDuration = new Histogram(this.buckets.joerl_supervisor_restart_duration_seconds ?? RESTART_BUCKETS);
    this.intensityExceeded = new LabelCap('supervisor_type', this.labelCap, () => ({ count: 0 }));
    this.runtime = new RuntimeMonitor(this.buckets.joerl_event_loop_delay_seconds ?? EVENT_LOOP_BUCKETS);
    this.eventLoop = options.eventLoop ?? {};
    this.logger = options.logger === undefined ? consoleLogger : options.logger;
    this.hooks = Object.fromEntries(PROVIDER_HOOKS.map((h) => [h, [] as TelemetryProvider[]])) as unknown as Record<ProviderHook, TelemetryProvider[]>;
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
  // Instrumentation: lifecycle

  attached(system: ActorSystem): void {
    if (this.system !== null) {
      throw new InvalidConfigError(
        'instrumentation',
        'a telemetry instance already in use',
        'one telemetry instance per ActorSystem: call createTelemetry() once for each system',
      );
    }
    this.system = system;
    const clock = system.clock;
    // The default clock is performance.now(): call it directly, skipping two indirections per timing.
    this.clockNow = clock === systemClock ? perfNow : () => clock.now();
    if (this.eventLoop !== false) this.runtime.start(this.eventLoop);
  }

  detached(_system: ActorSystem): void {
    this.runtime.stop();
    for (const p of [...this.providers]) void this.guardAsync(p, () => p.shutdown?.());
  }

  actorSpawned(actor: ActorHandle): void {
    const t = this.statsOf(actor.actorType);
    t.spawned++;
    t.active++;
    if (this.tracing !== null) this.tracing.event('joerl.actor.spawned', { 'joerl.actor.type': actor.type, 'joerl.actor.pid': actor.pid.toString() });
    const hooks = this.hooks.onActorSpawned;
    if (hooks.length !== 0) {
      const event = { type: t.type, pid: actor.pid, name: actor.name, parent: actor.parent };
      for (const p of hooks) this.guard(p, () => p.onActorSpawned?.(event));
    }
  }

  messagesDiscarded(actor: ActorHandle, count: number): void {
    (actor.actorType.slot as TypeStats).discarded += count;
  }

  actorStopped(actor: ActorHandle, reason: ExitReason, lifetimeMs: number): void {
    const t = actor.actorType.slot as TypeStats;
    t.active--;
    t.sentByExited += actor.messagesReceived;
    t.processedByExited += actor.messagesProcessed;
    inc(t.stopped, REASON_INDEX[reason.kind]);
    t.lifetime.observe(lifetimeMs / 1000);
    if (lifetimeMs < this.shortLivedMs) t.shortLived++;
    const slot = actor.slot;
    if (slot instanceof StatemSlot) {
      // Stopping exits the current state: one more state-duration observation.
      (slot.stats.durations[slot.state] as Histogram).observe((this.clockNow() - slot.enteredAt) / 1000);
    }
    const hooks = this.hooks.onActorStopped;
    if (hooks.length !== 0) {
      const event = { type: t.type, pid: actor.pid, reason, lifetimeMs };
      for (const p of hooks) this.guard(p, () => p.onActorStopped?.(event));
    }
  }

  actorCrashed(actor: ActorHandle, error: unknown, phase: CrashPhase): void {
    const t = actor.actorType.slot as TypeStats;
    t.panicked++;
    if (this.tracing !== null && phase !== 'receive') {
      // (a crash in receive is already recorded on the message's span)
      this.tracing.event('joerl.actor.crashed', { 'joerl.actor.type': actor.type, 'joerl.actor.pid': actor.pid.toString(), 'joerl.crash.phase': phase });
    }
    const hooks = this.hooks.onActorPanicked;
    if (hooks.length !== 0) {
      const event = { type: t.type, pid: actor.pid, error, phase };
      for (const p of hooks) this.guard(p, () => p.onActorPanicked?.(event));
    }
  }

  // ---------------------------------------------------------------------------------------
  // Instrumentation: messages (the hot path)

  // hot: every send. Sends are counted by core (per actor, read at collect): here only sampling.
  messageSent(target: ActorHandle, sender: ActorHandle | null): unknown {
    if (this.sentListeners) this.emitSent(target, sender);
    const timed = this.timing.take();
    if (this.tracing !== null) {
      const tracing = this.tracing;
      const parent = tracing.parentForSend(this.spans.rate > 0 && this.spans.take());
      if (parent !== undefined) {
        return new TraceMeta(parent, timed ? this.stamp() : Number.NaN, tracing.sendingCall ? SpanKind.SERVER : SpanKind.CONSUMER);
      }
    }
    return timed ? this.stamp() : undefined;
  }

  sendFailed(reason: SendFailureReason, targetType: ActorType | null, _sender: ActorHandle | null): void {
    const t = targetType === null ? this.unknown : ((targetType.slot as TypeStats | undefined) ?? this.unknown);
    inc(t.sendFailed, FAILURE_INDEX[reason]);
  }

  mailboxFull(actor: ActorHandle): void {
    (actor.actorType.slot as TypeStats).mailboxFull++;
  }

  // hot: every message handled
  messageStart(actor: ActorHandle, meta: unknown): unknown {
    if (meta === undefined) return undefined;
    const now = this.stamp();
    if (typeof meta === 'number') {
      (actor.actorType.slot as TypeStats).queueWait.observe(elapsed(meta, now));
      return now;
    }
    const m = meta as TraceMeta;
    const timed = !Number.isNaN(m.enqueuedAt);
    if (timed) (actor.actorType.slot as TypeStats).queueWait.observe(elapsed(m.enqueuedAt, now));
    return (this.tracing as Tracing).startHandling(actor, m, timed ? now : Number.NaN);
  }

  // hot: every message handled. Handled messages are counted by core: here only timings and spans.
  messageEnd(actor: ActorHandle, meta: unknown, token: unknown, failed: boolean, error: unknown): void {
    if (token === undefined && !this.receivedListeners) return;
    const t = actor.actorType.slot as TypeStats;
    let processingMs: number | undefined;
    if (token !== undefined) {
      if (typeof token === 'number') {
        const seconds = elapsed(token, this.stamp());
        processingMs = seconds * 1000;
        t.processing.observe(seconds);
      } else if (token instanceof SpanToken) {
        if (!Number.isNaN(token.startedAt)) {
          const seconds = elapsed(token.startedAt, this.stamp());
          processingMs = seconds * 1000;
          t.processing.observe(seconds);
        }
        (this.tracing as Tracing).endHandling(token, failed, error);
      }
    }
    if (this.receivedListeners) this.emitReceived(t, actor, meta, token, failed, processingMs);
  }

  invoke<A, B, R>(token: unknown, fn: (a: A, b: B) => R, thisArg: unknown, a: A, b: B): R {
    if (token instanceof SpanToken) return (this.tracing as Tracing).run(token.ctx, fn, thisArg, a, b);
    if (token instanceof CallToken) {
      const tracing = this.tracing as Tracing;
      tracing.sendingCall = true;
      try {
        return tracing.run(token.ctx, fn, thisArg, a, b);
      } finally {
        tracing.sendingCall = false;
      }
    }
    return fn.call(thisArg, a, b);
  }

  // ---------------------------------------------------------------------------------------
  // Instrumentation: links, monitors, signals

  linkCreated(_a: ActorHandle, _b: ActorHandle): void {
    this.linksCreated++;
  }

  monitorCreated(_watcher: ActorHandle | null, _target: ActorHandle): void {
    this.monitorsCreated++;
  }

  signalSent(from: ActorHandle | null, _to: ActorHandle, kind: SignalKind, reason: ExitReason): void {
    const t = from === null ? this.systemStats : (from.actorType.slot as TypeStats);
    t.signalsSent++;
    if (kind !== 'down') inc(this.exitSignals, REASON_INDEX[reason.kind]);
  }

  signalReceived(to: ActorHandle, _kind: SignalKind, _reason: ExitReason, outcome: SignalOutcome): void {
    const t = to.actorType.slot as TypeStats;
    t.signalsReceived++;
    if (outcome === 'ignored') t.signalsIgnored++;
  }

  // ---------------------------------------------------------------------------------------
  // Instrumentation: behaviours

  callRefused(kind: 'call' | 'cast', serverType: ActorType | null, _caller: ActorHandle | null): void {
    const t = serverType === null ? this.unknown : ((serverType.slot as TypeStats | undefined) ?? this.unknown);
    if (kind === 'call') inc(t.calls, OUTCOME_INDEX.noproc);
    else inc(t.sendFailed, FAILURE_INDEX.noproc);
  }

  callStarted(server: ActorHandle, _caller: ActorHandle | null): unknown {
    const t = server.actorType.slot as TypeStats;
    t.callsInFlight++;
    const timed = this.calls.take();
    if (this.tracing !== null) {
      const parent = this.tracing.parentForSend(this.spans.rate > 0 && this.spans.take());
      if (parent !== undefined) return this.tracing.startCall(server, parent, timed ? this.stamp() : Number.NaN);
    }
    return timed ? this.stamp() : undefined;
  }

  callEnded(server: ActorHandle, token: unknown, outcome: CallOutcome): void {
    const t = server.actorType.slot as TypeStats;
    t.callsInFlight--;
    inc(t.calls, OUTCOME_INDEX[outcome]);
    if (token === undefined) return;
    if (typeof token === 'number') {
      t.callHistogram().observe(elapsed(token, this.stamp()));
    } else if (token instanceof CallToken) {
      if (!Number.isNaN(token.startedAt)) t.callHistogram().observe(elapsed(token.startedAt, this.stamp()));
      (this.tracing as Tracing).endCall(token, outcome);
    }
  }

  castSent(server: ActorHandle): void {
    (server.actorType.slot as TypeStats).casts++;
  }

  stateMachineStarted(actor: ActorHandle, states: readonly string[], initial: string): void {
    const stats = (actor.actorType.slot as TypeStats).statemFor(states.slice(0, this.labelCap), this.labelCap);
    actor.slot = new StatemSlot(stats, stats.index.get(initial) ?? 0, this.clockNow());
  }

  stateChanged(actor: ActorHandle, from: string, to: string): void {
    const slot = actor.slot;
    if (!(slot instanceof StatemSlot)) return;
    const stats = slot.stats;
    const now = this.clockNow();
    const f = stats.index.get(from) ?? slot.state;
    const next = stats.index.get(to);
    if (next === undefined) return;
    (stats.durations[f] as Histogram).observe((now - slot.enteredAt) / 1000);
    inc(stats.transitions, f * stats.states.length + next);
    slot.state = next;
    slot.enteredAt = now;
  }

  invalidTransition(actor: ActorHandle, state: string, event: string): void {
    const slot = actor.slot;
    if (!(slot instanceof StatemSlot)) return;
    slot.stats.invalidFor(slot.stats.index.get(state) ?? slot.state, event).count++;
  }

  supervisorStarted(actor: ActorHandle, probe: SupervisorProbe): void {
    actor.slot = new SupervisorSlot(probe);
  }

  supervisorRestarted(actor: ActorHandle, strategy: string, childType: string, durationMs: number): void {
    const folded = this.types.get(childType).type;
    this.restarts.get(`${strategy}\u0000${folded}`).count++;
    this.restartDuration.observe(durationMs / 1000);
    if (this.tracing !== null) {
      this.tracing.eventOrSpan('joerl.supervisor.restart', {
        'joerl.supervisor.type': actor.type,
        'joerl.supervisor.pid': actor.pid.toString(),
        'joerl.supervisor.strategy': strategy,
        'joerl.child.type': childType,
      });
    }
    const hooks = this.hooks.onSupervisorRestart;
    if (hooks.length !== 0) {
      const event = { supervisorType: actor.type, supervisor: actor.pid, strategy, childType, durationMs };
      for (const p of hooks) this.guard(p, () => p.onSupervisorRestart?.(event));
    }
  }

  supervisorIntensityExceeded(actor: ActorHandle): void {
    this.intensityExceeded.get((actor.actorType.slot as TypeStats).type).count++;
    if (this.tracing !== null) {
      this.tracing.eventOrSpan('joerl.supervisor.intensity_exceeded', { 'joerl.supervisor.type': actor.type, 'joerl.supervisor.pid': actor.pid.toString() });
    }
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
    const families = this.build();
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

  private build(): MetricFamily[] {
    const types = this.types.values();
    const scan = this.scan();
    const out = new Map<string, (ValueSample | HistogramSample)[]>();
    for (const m of CATALOG) out.set(m.name, []);
    const put = (name: string, labels: Labels, value: number) => (out.get(name) as ValueSample[]).push({ labels, value });
    // A histogram has series once it has observations: an empty one would be 14 to 19 zero series.
    const hist = (name: string, labels: Labels, h: Histogram) => {
      if (h.count > 0) (out.get(name) as HistogramSample[]).push({ labels, bounds: h.bounds, cumulative: h.cumulative(), sum: h.sum, count: h.count });
    };
    // A reason or outcome has a series once it has occurred; the rest of a type's series always exist.
    const reasons = (name: string, type: string, label: string, values: readonly string[], counts: Float64Array) =>
      values.forEach((value, i) => {
        const c = counts[i] as number;
        if (c > 0) put(name, { type, [label]: value }, c);
      });

    for (const t of types) {
      const type = { type: t.type };
      put('joerl_actors_spawned_total', type, t.spawned);
      put('joerl_actors_active', type, t.active);
      put('joerl_actors_panicked_total', type, t.panicked);
      put('joerl_short_lived_actors_total', type, t.shortLived);
      reasons('joerl_actors_stopped_total', t.type, 'reason', EXIT_REASON_KINDS, t.stopped);
      hist('joerl_actor_lifetime_seconds', type, t.lifetime);
      const agg = scan.get(t);
      put('joerl_messages_sent_total', type, t.sentByExited + (agg?.received ?? 0));
      put('joerl_messages_processed_total', type, t.processedByExited + (agg?.processed ?? 0));
      hist('joerl_message_processing_duration_seconds', type, t.processing);
      hist('joerl_message_queue_wait_seconds', type, t.queueWait);
      put('joerl_mailbox_full_total', type, t.mailboxFull);
      put('joerl_mailbox_depth', type, agg?.depth ?? 0);
      put('joerl_mailbox_depth_max', type, agg?.depthMax ?? 0);
      put('joerl_mailbox_utilization_ratio', type, agg?.utilization ?? 0);
      put('joerl_mailbox_memory_bytes', type, (agg?.depth ?? 0) * (8 + this.messageBytes));
      put('joerl_signals_received_total', type, t.signalsReceived);
      put('joerl_signals_ignored_total', type, t.signalsIgnored);
      put('joerl_signals_sent_total', type, t.signalsSent);
      const sm = t.statem;
      if (sm !== null) {
        const n = sm.states.length;
        sm.states.forEach((from, f) => {
          hist('joerl_gen_statem_state_duration_seconds', { type: t.type, state: from }, sm.durations[f] as Histogram);
          put('joerl_gen_statem_current_state', { type: t.type, state: from }, agg?.states?.[f] ?? 0);
          sm.states.forEach((to, k) => {
            const c = sm.transitions[f * n + k] as number;
            if (c > 0) put('joerl_gen_statem_transitions_total', { type: t.type, from, to }, c);
          });
          for (const inv of sm.invalid.get(f)?.values() ?? []) {
            put('joerl_gen_statem_invalid_transitions_total', { type: t.type, state: from, event: inv.event }, inv.count);
          }
        });
      }
    }
    for (const t of [...types, this.unknown]) {
      if (t.callDuration !== null || t.casts > 0 || t.callsInFlight !== 0 || t.calls.some((c) => c > 0)) {
        const behaviour = t === this.unknown ? UNKNOWN_TYPE : t.statem !== null ? 'gen_statem' : 'gen_server';
        const labels = { type: t.type, behaviour };
        if (t.callDuration !== null) hist('joerl_call_duration_seconds', labels, t.callDuration);
        CALL_OUTCOMES.forEach((outcome, i) => {
          const c = t.calls[i] as number;
          if (c > 0) put('joerl_calls_total', { type: t.type, behaviour, outcome }, c);
        });
        put('joerl_casts_total', labels, t.casts);
        put('joerl_calls_in_flight', labels, t.callsInFlight);
      }
    }
    for (const t of [...types, this.unknown]) {
      // sendFailed is indexed by core's reasons; `dropped` (drop-oldest) belongs with the messages lost after enqueueing.
      SEND_FAILURE_REASONS.forEach((reason, i) => {
        const c = t.sendFailed[i] as number;
        if (c === 0) return;
        if (reason === 'dropped') put('joerl_messages_dropped_total', { type: t.type, reason: 'drop_oldest' }, c);
        else put('joerl_messages_sent_failed_total', { type: t.type, reason }, c);
      });
      if (t.discarded > 0) put('joerl_messages_dropped_total', { type: t.type, reason: 'exited' }, t.discarded);
    }
    if (this.systemStats.signalsSent > 0) put('joerl_signals_sent_total', { type: this.systemStats.type }, this.systemStats.signalsSent);

    for (const r of this.restarts.values()) put('joerl_supervisor_restarts_total', { strategy: r.strategy, child_type: r.childType }, r.count);
    hist('joerl_supervisor_restart_duration_seconds', {}, this.restartDuration);
    const supervisorTypes = new Set<TypeStats>();
    for (const [t, a] of scan) if (a.supervisors > 0) supervisorTypes.add(t);
    for (const t of types) if (this.intensityExceeded.has(t.type)) supervisorTypes.add(t);
    for (const t of supervisorTypes) {
      put('joerl_supervisor_restart_intensity_exceeded_total', { supervisor_type: t.type }, this.intensityExceeded.peek(t.type)?.count ?? 0);
      put('joerl_supervisor_restart_intensity_usage_ratio', { supervisor_type: t.type }, scan.get(t)?.intensityUsage ?? 0);
    }

    EXIT_REASON_KINDS.forEach((reason, i) => {
      const c = this.exitSignals[i] as number;
      if (c > 0) put('joerl_exit_signals_total', { reason }, c);
    });
    const mem = this.runtime.memoryUsage();
    put('joerl_system_memory_bytes', { kind: 'rss' }, mem.rss);
    put('joerl_system_memory_bytes', { kind: 'heap_used' }, mem.heapUsed);
    put('joerl_system_memory_bytes', { kind: 'heap_total' }, mem.heapTotal);
    put('joerl_system_memory_bytes', { kind: 'heap_limit' }, mem.heapLimit);
    put('joerl_system_memory_bytes', { kind: 'external' }, mem.external);
    put('joerl_system_memory_bytes', { kind: 'array_buffers' }, mem.arrayBuffers);
    put('joerl_links_created_total', {}, this.linksCreated);
    put('joerl_monitors_created_total', {}, this.monitorsCreated);
    const delays = this.runtime.delayHistogram();
    (out.get('joerl_event_loop_delay_seconds') as HistogramSample[]).push({ labels: {}, bounds: delays.bounds, cumulative: delays.cumulative(), sum: delays.sum, count: delays.count });
    const stats = this.system?.stats();
    put('joerl_scheduler_run_queue_length', {}, stats?.runQueueLength ?? 0);
    put('joerl_scheduler_yields_total', {}, stats?.yields ?? 0);
    put('joerl_registry_size', {}, stats?.registered ?? 0);
    put('joerl_timers_active', {}, stats?.timers ?? 0);
    let events = 0;
    for (const t of types) for (const cap of t.statem?.invalid.values() ?? []) events += cap.overflow;
    put('joerl_telemetry_label_overflow_total', { label: 'type' }, this.types.overflow);
    put('joerl_telemetry_label_overflow_total', { label: 'child_type' }, this.restarts.overflow);
    put('joerl_telemetry_label_overflow_total', { label: 'supervisor_type' }, this.intensityExceeded.overflow);
    put('joerl_telemetry_label_overflow_total', { label: 'event' }, events);
    // Every provider and push backend has a series from the start, so no query needs `or vector(0)`.
    const providers = new Map(this.providerErrors);
    for (const p of this.providers) if (!providers.has(p.name)) providers.set(p.name, 0);
    if (providers.size === 0) put('joerl_telemetry_provider_errors_total', {}, 0);
    for (const [provider, count] of providers) put('joerl_telemetry_provider_errors_total', { provider }, count);
    if (this.exportErrors.size === 0) put('joerl_telemetry_export_errors_total', {}, 0);
    for (const [backend, count] of this.exportErrors) put('joerl_telemetry_export_errors_total', { backend }, count);

    const families: MetricFamily[] = CATALOG.map((def: MetricDef) => ({ def, samples: out.get(def.name) as (ValueSample | HistogramSample)[] }));
    for (const source of this.sources) {
      try {
        families.push(...source.collect());
      } catch (error) {
        this.logger?.warn(`metric source '${source.name}' threw while collecting; its metrics are missing from this snapshot: ${String(error)}`, { error });
      }
    }
    return families;
  }

  /** One pass over live actors for the values that only exist now: mailbox depths, states, restart budgets. */
  private scan(): Map<TypeStats, ScanAgg> {
    const out = new Map<TypeStats, ScanAgg>();
    if (this.system === null) return out;
    for (const h of this.system.handles()) {
      const t = h.actorType.slot as TypeStats | undefined;
      if (t === undefined) continue;
      let a = out.get(t);
      if (a === undefined) {
        a = { received: 0, processed: 0, depth: 0, depthMax: 0, utilization: 0, states: null, supervisors: 0, intensityUsage: 0 };
        out.set(t, a);
      }
      a.received += h.messagesReceived;
      a.processed += h.messagesProcessed;
      const depth = h.mailboxDepth;
      a.depth += depth;
      if (depth > a.depthMax) a.depthMax = depth;
      const cap = h.mailboxCapacity;
      if (cap !== Number.POSITIVE_INFINITY) {
        const u = depth / cap;
        if (u > a.utilization) a.utilization = u;
      }
      const slot = h.slot;
      if (slot instanceof StatemSlot) {
        a.states ??= new Array<number>(slot.stats.states.length).fill(0);
        a.states[slot.state] = (a.states[slot.state] ?? 0) + 1;
      } else if (slot instanceof SupervisorSlot) {
        a.supervisors++;
        const usage = slot.probe.intensityUsage();
        if (usage > a.intensityUsage) a.intensityUsage = usage;
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------
  // Internals

  private statsOf(actorType: ActorType): TypeStats {
    let t = actorType.slot as TypeStats | undefined;
    if (t === undefined) {
      t = this.types.get(actorType.name);
      actorType.slot = t;
    }
    return t;
  }

  /**
   * Now, as whole microseconds wrapped to 32 bits: a small integer, so a timestamp travelling with
   * a message allocates nothing. Differences stay exact for intervals under 35 minutes.
   */
  // hot: every timed message, twice
  private stamp(): number {
    return (this.clockNow() * 1000) | 0;
  }

  private refreshListeners(): void {
    this.sentListeners = this.hooks.onMessageSent.length !== 0;
    this.receivedListeners = this.hooks.onMessageReceived.length !== 0;
  }

  private emitSent(target: ActorHandle, sender: ActorHandle | null): void {
    const t = target.actorType.slot as TypeStats;
    const event = { type: t.type, pid: target.pid, senderType: sender === null ? null : sender.type };
    for (const p of this.hooks.onMessageSent) this.guard(p, () => p.onMessageSent?.(event));
  }

  private emitReceived(t: TypeStats, actor: ActorHandle, meta: unknown, token: unknown, failed: boolean, processingMs: number | undefined): void {
    let queueWaitMs: number | undefined;
    const started = typeof token === 'number' ? token : token instanceof SpanToken ? token.startedAt : Number.NaN;
    const enqueued = typeof meta === 'number' ? meta : meta instanceof TraceMeta ? meta.enqueuedAt : Number.NaN;
    if (!Number.isNaN(started) && !Number.isNaN(enqueued)) queueWaitMs = elapsed(enqueued, started) * 1000;
    const event = { type: t.type, pid: actor.pid, failed, queueWaitMs, processingMs };
    for (const p of this.hooks.onMessageReceived) this.guard(p, () => p.onMessageReceived?.(event));
  }

  private guard(provider: TelemetryProvider, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.providerFailed(provider, error);
    }
  }

  private async guardAsync(provider: TelemetryProvider, fn: () => void | Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.providerFailed(provider, error);
    }
  }

  private providerFailed(provider: TelemetryProvider, error: unknown): void {
    const count = (this.providerErrors.get(provider.name) ?? 0) + 1;
    this.providerErrors.set(provider.name, count);
    if (count === 1 && this.logger !== null) {
      this.logger.warn(`telemetry provider '${provider.name}' threw (counted in joerl_telemetry_provider_errors_total; reported once): ${String(error)}`, { error });
    }
  }
}

interface ScanAgg {
  received: number;
  processed: number;
  depth: number;
  depthMax: number;
  utilization: number;
  states: number[] | null;
  supervisors: number;
  intensityUsage: number;
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

const perfNow: () => number = performance.now.bind(performance);

/** Seconds between two {@link Telemetry.stamp}s, correct across the 32-bit wrap. */
function elapsed(from: number, to: number): number {
  return ((to - from) | 0) / 1e6;
}

function matches(sample: Labels, wanted: Labels): boolean {
  for (const k of Object.keys(wanted)) if (sample[k] !== wanted[k]) return false;
  return true;
}

function positive(value: number, setting: string, expected: string): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw new InvalidConfigError(setting, value, expected);
  return value;
}

function checkBuckets(buckets: BucketOverrides): BucketOverrides {
  if (typeof buckets !== 'object' || buckets === null) throw new InvalidConfigError('buckets', buckets, 'an object of metric name to bucket bounds');
  for (const [name, bounds] of Object.entries(buckets)) {
    const def = CATALOG.find((m) => m.name === name);
    if (def === undefined || def.kind !== 'histogram') {
      const histograms = CATALOG.filter((m) => m.kind === 'histogram').map((m) => m.name);
      throw new InvalidConfigError(`buckets.${name}`, name, `the name of a histogram: ${histograms.join(', ')}`);
    }
    if (!Array.isArray(bounds) || bounds.length === 0 || bounds.some((b, i) => typeof b !== 'number' || !(b > 0) || !Number.isFinite(b) || (i > 0 && b <= (bounds[i - 1] as number)))) {
      throw new InvalidConfigError(`buckets.${name}`, bounds, 'a non-empty array of positive, finite, strictly ascending upper bounds in seconds');
    }
  }
  return buckets;
}
