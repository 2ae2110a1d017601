/**
 * The state every layer of {@link Telemetry} shares: configuration, per-type aggregates, providers,
 * and the helpers the hooks use. The hooks live in one file per seam, each a class extending the
 * previous one (lifecycle, messages and signals, behaviours, supervision), so a hook is still a
 * method of one object: the hot path pays nothing for the split.
 *
 * @module
 */
import { type ActorHandle, type ActorSystem, type ActorType, consoleLogger, type DistributionEvents, EXIT_REASON_KINDS, formatValue, InvalidConfigError, type Logger } from '@joerl/core';
import type { RestartCount } from './actor-slots.js';
import { ActorTraces, type TraceEvent } from './actor-trace.js';
import { EVENT_LOOP_BUCKETS, RESTART_BUCKETS } from './catalog.js';
import { ClusterHooks } from './cluster-hooks.js';
import { Histogram } from './histogram.js';
import { LabelCap } from './label-cap.js';
import type { FlowCounter } from './message-flow.js';
import { PROVIDER_HOOKS, type ProviderHook, type TelemetryProvider } from './provider.js';
import { OTHER, SYSTEM_TYPE, UNKNOWN_TYPE } from './reserved-labels.js';
import { type EventLoopOptions, RuntimeMonitor } from './runtime.js';
import { Sampler } from './sampler.js';
import type { MetricFamily } from './snapshot.js';
import { checkBuckets, type MetricSource, positive, type TelemetryOptions } from './telemetry-options.js';
import { SpanToken, TraceMeta } from './trace-state.js';
import { Tracing } from './tracing.js';
import { type BucketOverrides, TypeStats } from './type-stats.js';

/** The fields and helpers of a telemetry instance (see {@link Telemetry}). Not exported: use `Telemetry`. */
export abstract class TelemetryState {
  protected system: ActorSystem | null = null;
  protected readonly types: LabelCap<TypeStats>;
  /** sends to names nobody holds */
  protected readonly unknown: TypeStats;
  /** signals sent from outside any actor */
  protected readonly systemStats: TypeStats;
  protected readonly timing: Sampler;
  protected readonly calls: Sampler;
  protected readonly spans: Sampler;
  protected readonly tracing: Tracing | null;
  protected readonly shortLivedMs: number;
  protected readonly messageBytes: number;
  protected readonly labelCap: number;
  protected readonly buckets: BucketOverrides;
  protected readonly runtime: RuntimeMonitor;
  protected readonly eventLoop: EventLoopOptions | false;
  protected readonly logger: Logger | null;
  protected readonly restarts: LabelCap<RestartCount>;
  protected readonly restartDuration: Histogram;
  protected readonly intensityExceeded: LabelCap<{ count: number }>;
  protected readonly exitSignals = new Float64Array(EXIT_REASON_KINDS.length);
  protected linksCreated = 0;
  protected monitorsCreated = 0;
  protected readonly providers: TelemetryProvider[] = [];
  protected readonly sources: MetricSource[] = [];
  protected readonly hooks: Record<ProviderHook, TelemetryProvider[]>;
  protected readonly providerErrors = new Map<string, number>();
  protected readonly exportErrors = new Map<string, number>();
  protected snapshot: { at: number; families: MetricFamily[] } | null = null;
  /**
   * The cluster's events (core's `Instrumentation.distribution`): a node that joins a cluster
   * reports its traffic, peers and remote calls here.
   */
  readonly distribution: DistributionEvents;
  /** The same object, as telemetry reads it. */
  protected readonly cluster: ClusterHooks;
  protected clockNow: () => number = perfNow;
  /**
   * The batch tick: the last clock reading taken while the current microtask runs (a drain of
   * joerl's run queue is one microtask), so consecutive messages share readings: the end of one
   * message is the start of the next, and sends inside handlers are stamped with it.
   */
  private tick = 0;
  private tickValid = false;
  private readonly invalidateTick = (): void => {
    this.tickValid = false;
  };
  /** whether any provider listens to the per-message hooks (checked once per message) */
  protected sentListeners = false;
  protected receivedListeners = false;
  /** the message flow, counting while watched (kept between watches) */
  protected flowCounter: FlowCounter | null = null;
  protected flowWatchers = 0;
  protected readonly actorTraces = new ActorTraces();
  /** whether a send needs more than counting: listeners, the message flow, or traces (checked once per send) */
  protected watchingSends = false;

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
    this.distribution = this.cluster = new ClusterHooks(this.tracing, () => this.clockNow(), () => this.spans.rate > 0 && this.spans.take(), this.buckets, this.labelCap);
    this.hooks = Object.fromEntries(PROVIDER_HOOKS.map((h) => [h, [] as TelemetryProvider[]])) as unknown as Record<ProviderHook, TelemetryProvider[]>;
  }

  // ---------------------------------------------------------------------------------------
  // Internals

  protected statsOf(actorType: ActorType): TypeStats {
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
  // hot: every timed message, once
  protected stamp(): number {
    const now = (this.clockNow() * 1000) | 0;
    this.tick = now;
    if (!this.tickValid) {
      this.tickValid = true;
      realQueueMicrotask(this.invalidateTick);
    }
    return now;
  }

  /**
   * The batch tick if this microtask has one, else a fresh {@link TelemetryState.stamp}. Reads
   * at most the clock's value at the end of the previous message handled in this batch: a send
   * stamped so can have happened later, by the part of its handler that ran before it.
   */
  // hot: every timed send and message start
  protected tickStamp(): number {
    return this.tickValid ? this.tick : this.stamp();
  }

  protected refreshListeners(): void {
    this.sentListeners = this.hooks.onMessageSent.length !== 0;
    this.receivedListeners = this.hooks.onMessageReceived.length !== 0;
    this.watchingSends = this.sentListeners || this.flowWatchers > 0 || this.actorTraces.actors.length !== 0;
  }

  /** What a send does beyond counting, when {@link TelemetryState.watchingSends}. */
  protected watchSend(target: ActorHandle, sender: ActorHandle | null, message: unknown): void {
    if (this.sentListeners) this.emitSent(target, sender);
    if (this.flowWatchers > 0) (this.flowCounter as FlowCounter).count(sender === null ? null : sender.actorType, target.actorType);
    if (this.actorTraces.actors.length !== 0 && this.actorTraces.traces(target)) {
      this.traceEvent(target, { kind: 'message', at: Date.now(), from: sender === null ? null : sender.pid, message }, false);
    }
  }

  /** Hands an event to the traces of `actor`; a tracer that throws ends its trace and is reported once. */
  protected traceEvent(actor: ActorHandle, event: TraceEvent, last: boolean): void {
    const errors = this.actorTraces.emit(actor, event, last);
    if (last || errors.length !== 0) this.refreshListeners();
    if (errors.length !== 0 && this.logger !== null) {
      this.logger.warn(`telemetry: a tracer of ${actor.pid.toString()} threw, its trace ended: ${formatValue(errors[0])}`, { error: errors[0] });
    }
  }

  protected emitSent(target: ActorHandle, sender: ActorHandle | null): void {
    const t = target.actorType.slot as TypeStats;
    const event = { type: t.type, pid: target.pid, senderType: sender === null ? null : sender.type };
    for (const p of this.hooks.onMessageSent) this.guard(p, () => p.onMessageSent?.(event));
  }

  protected emitReceived(t: TypeStats, actor: ActorHandle, meta: unknown, token: unknown, failed: boolean, processingMs: number | undefined): void {
    let queueWaitMs: number | undefined;
    const started = typeof token === 'number' ? token : token instanceof SpanToken ? token.startedAt : Number.NaN;
    const enqueued = typeof meta === 'number' ? meta : meta instanceof TraceMeta ? meta.enqueuedAt : Number.NaN;
    if (!Number.isNaN(started) && !Number.isNaN(enqueued)) queueWaitMs = elapsed(enqueued, started) * 1000;
    const event = { type: t.type, pid: actor.pid, failed, queueWaitMs, processingMs };
    for (const p of this.hooks.onMessageReceived) this.guard(p, () => p.onMessageReceived?.(event));
  }

  protected guard(provider: TelemetryProvider, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.providerFailed(provider, error);
    }
  }

  protected async guardAsync(provider: TelemetryProvider, fn: () => void | Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.providerFailed(provider, error);
    }
  }

  protected providerFailed(provider: TelemetryProvider, error: unknown): void {
    const count = (this.providerErrors.get(provider.name) ?? 0) + 1;
    this.providerErrors.set(provider.name, count);
    if (count === 1 && this.logger !== null) {
      this.logger.warn(`telemetry provider '${provider.name}' threw (counted in joerl_telemetry_provider_errors_total; reported once): ${formatValue(error)}`, { error });
    }
  }
}

// Captured at load: fake timers installed later must not keep the batch tick valid forever.
const realQueueMicrotask = globalThis.queueMicrotask;

/** @internal */
export const perfNow: () => number = performance.now.bind(performance);

/** Seconds between two {@link TelemetryState.stamp}s, correct across the 32-bit wrap. */
export function elapsed(from: number, to: number): number {
  return ((to - from) | 0) / 1e6;
}
