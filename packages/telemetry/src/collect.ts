/**
 * Reading telemetry: the catalog's values assembled from the per-type aggregates, plus what only
 * exists now (mailbox depths, states, restart budgets), read in one pass over live actors.
 *
 * @module
 */
import { type ActorSystem, CALL_OUTCOMES, EXIT_REASON_KINDS, formatValue, type Logger, SEND_FAILURE_REASONS } from '@joerl/core';
import { type RestartCount, StatemSlot, SupervisorSlot } from './actor-slots.js';
import { CATALOG, type MetricDef } from './catalog.js';
import type { ClusterHooks } from './cluster-hooks.js';
import { collectCluster } from './cluster-collect.js';
import type { Histogram } from './histogram.js';
import type { LabelCap } from './label-cap.js';
import type { TelemetryProvider } from './provider.js';
import { UNKNOWN_TYPE } from './reserved-labels.js';
import type { RuntimeMonitor } from './runtime.js';
import type { HistogramSample, Labels, MetricFamily, ValueSample } from './snapshot.js';
import type { MetricSource } from './telemetry-options.js';
import type { TypeStats } from './type-stats.js';

/** @internal what {@link buildFamilies} reads of a telemetry instance */
export interface CollectInput {
  readonly system: ActorSystem | null;
  readonly types: LabelCap<TypeStats>;
  readonly unknown: TypeStats;
  readonly systemStats: TypeStats;
  readonly messageBytes: number;
  readonly restarts: LabelCap<RestartCount>;
  readonly restartDuration: Histogram;
  readonly intensityExceeded: LabelCap<{ count: number }>;
  readonly exitSignals: Float64Array;
  readonly linksCreated: number;
  readonly monitorsCreated: number;
  readonly runtime: RuntimeMonitor;
  readonly providers: readonly TelemetryProvider[];
  readonly providerErrors: ReadonlyMap<string, number>;
  readonly exportErrors: ReadonlyMap<string, number>;
  readonly sources: readonly MetricSource[];
  readonly logger: Logger | null;
  readonly cluster: ClusterHooks;
}

/**
 * @internal The whole catalog's current values, then the metric sources': one family per metric,
 * in order.
 */
export function buildFamilies(s: CollectInput): MetricFamily[] {
  const types = s.types.values();
  const scan = scanLive(s.system);
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
    put('joerl_mailbox_memory_bytes', type, (agg?.depth ?? 0) * (8 + s.messageBytes));
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
  for (const t of [...types, s.unknown]) {
    if (t.callDuration !== null || t.casts > 0 || t.callsInFlight !== 0 || t.calls.some((c) => c > 0)) {
      const behaviour = t === s.unknown ? UNKNOWN_TYPE : t.statem !== null ? 'gen_statem' : 'gen_server';
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
  for (const t of [...types, s.unknown]) {
    // sendFailed is indexed by core's reasons; `dropped` (drop-oldest) belongs with the messages lost after enqueueing.
    SEND_FAILURE_REASONS.forEach((reason, i) => {
      const c = t.sendFailed[i] as number;
      if (c === 0) return;
      if (reason === 'dropped') put('joerl_messages_dropped_total', { type: t.type, reason: 'drop_oldest' }, c);
      else put('joerl_messages_sent_failed_total', { type: t.type, reason }, c);
    });
    if (t.discarded > 0) put('joerl_messages_dropped_total', { type: t.type, reason: 'exited' }, t.discarded);
  }
  if (s.systemStats.signalsSent > 0) put('joerl_signals_sent_total', { type: s.systemStats.type }, s.systemStats.signalsSent);

  for (const r of s.restarts.values()) put('joerl_supervisor_restarts_total', { strategy: r.strategy, child_type: r.childType }, r.count);
  hist('joerl_supervisor_restart_duration_seconds', {}, s.restartDuration);
  const supervisorTypes = new Set<TypeStats>();
  for (const [t, a] of scan) if (a.supervisors > 0) supervisorTypes.add(t);
  for (const t of types) if (s.intensityExceeded.has(t.type)) supervisorTypes.add(t);
  for (const t of supervisorTypes) {
    put('joerl_supervisor_restart_intensity_exceeded_total', { supervisor_type: t.type }, s.intensityExceeded.peek(t.type)?.count ?? 0);
    put('joerl_supervisor_restart_intensity_usage_ratio', { supervisor_type: t.type }, scan.get(t)?.intensityUsage ?? 0);
  }

  EXIT_REASON_KINDS.forEach((reason, i) => {
    const c = s.exitSignals[i] as number;
    if (c > 0) put('joerl_exit_signals_total', { reason }, c);
  });
  const mem = s.runtime.memoryUsage();
  put('joerl_system_memory_bytes', { kind: 'rss' }, mem.rss);
  put('joerl_system_memory_bytes', { kind: 'heap_used' }, mem.heapUsed);
  put('joerl_system_memory_bytes', { kind: 'heap_total' }, mem.heapTotal);
  put('joerl_system_memory_bytes', { kind: 'heap_limit' }, mem.heapLimit);
  put('joerl_system_memory_bytes', { kind: 'external' }, mem.external);
  put('joerl_system_memory_bytes', { kind: 'array_buffers' }, mem.arrayBuffers);
  put('joerl_links_created_total', {}, s.linksCreated);
  put('joerl_monitors_created_total', {}, s.monitorsCreated);
  const delays = s.runtime.delayHistogram();
  (out.get('joerl_event_loop_delay_seconds') as HistogramSample[]).push({ labels: {}, bounds: delays.bounds, cumulative: delays.cumulative(), sum: delays.sum, count: delays.count });
  const stats = s.system?.stats();
  put('joerl_scheduler_run_queue_length', {}, stats?.runQueueLength ?? 0);
  put('joerl_scheduler_yields_total', {}, stats?.yields ?? 0);
  put('joerl_registry_size', {}, stats?.registered ?? 0);
  put('joerl_timers_active', {}, stats?.timers ?? 0);
  let events = 0;
  for (const t of types) for (const cap of t.statem?.invalid.values() ?? []) events += cap.overflow;
  put('joerl_telemetry_label_overflow_total', { label: 'type' }, s.types.overflow);
  put('joerl_telemetry_label_overflow_total', { label: 'child_type' }, s.restarts.overflow);
  put('joerl_telemetry_label_overflow_total', { label: 'supervisor_type' }, s.intensityExceeded.overflow);
  put('joerl_telemetry_label_overflow_total', { label: 'event' }, events);
  collectCluster(s.cluster, put, hist);
  if (s.cluster.attached) put('joerl_telemetry_label_overflow_total', { label: 'peer' }, s.cluster.peers.overflow);
  // Every provider and push backend has a series from the start, so no query needs `or vector(0)`.
  const providers = new Map(s.providerErrors);
  for (const p of s.providers) if (!providers.has(p.name)) providers.set(p.name, 0);
  if (providers.size === 0) put('joerl_telemetry_provider_errors_total', {}, 0);
  for (const [provider, count] of providers) put('joerl_telemetry_provider_errors_total', { provider }, count);
  if (s.exportErrors.size === 0) put('joerl_telemetry_export_errors_total', {}, 0);
  for (const [backend, count] of s.exportErrors) put('joerl_telemetry_export_errors_total', { backend }, count);

  const families: MetricFamily[] = CATALOG.map((def: MetricDef) => ({ def, samples: out.get(def.name) as (ValueSample | HistogramSample)[] }));
  for (const source of s.sources) {
    try {
      families.push(...source.collect());
    } catch (error) {
      s.logger?.warn(`metric source '${source.name}' threw while collecting; its metrics are missing from this snapshot: ${formatValue(error)}`, { error });
    }
  }
  return families;
}

/** One pass over live actors for the values that only exist now: mailbox depths, states, restart budgets. */
function scanLive(system: ActorSystem | null): Map<TypeStats, ScanAgg> {
  const out = new Map<TypeStats, ScanAgg>();
  if (system === null) return out;
  for (const h of system.handles()) {
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

/** @internal whether a sample has every label of `wanted` */
export function matches(sample: Labels, wanted: Labels): boolean {
  for (const k of Object.keys(wanted)) if (sample[k] !== wanted[k]) return false;
  return true;
}
