/**
 * The metric catalog: every metric joerl emits, as data. Adapters derive their own naming from
 * these entries (Prometheus uses `name` as is; OpenTelemetry, StatsD and Datadog the dotted `otelName`),
 * and `TELEMETRY.md` is generated from them, so documentation cannot drift from what is emitted.
 *
 * @module
 */

/** How a metric aggregates. */
export type MetricKind = 'counter' | 'gauge' | 'histogram';

/**
 * Units: seconds, bytes, percent (0–100), a plain count (`1`), or a `ratio` between 0 and 1
 * (OpenTelemetry spells both `1`; Prometheus names ratios `_ratio`). joerl's own catalog uses
 * `ratio`, never `%`, which stays for metric sources.
 */
export type MetricUnit = 's' | 'By' | '%' | '1' | 'ratio';

/** The groups metrics are documented and queried in. */
export type MetricGroup =
  | 'lifecycle'
  | 'messages'
  | 'mailboxes'
  | 'supervision'
  | 'calls'
  | 'gen_statem'
  | 'signals'
  | 'memory'
  | 'links'
  | 'runtime'
  | 'health'
  | 'cluster'
  | 'telemetry';

/**
 * One metric of the catalog.
 * @since 0.1.0
 */
export interface MetricDef {
  /** The Prometheus name, e.g. `joerl_actors_spawned_total`. */
  readonly name: string;
  /** The OpenTelemetry instrument name, e.g. `joerl.actors.spawned`. */
  readonly otelName: string;
  readonly kind: MetricKind;
  readonly help: string;
  readonly unit: MetricUnit;
  /** Label names, in order. Values are bounded (actor types, closed sets, declared state names). */
  readonly labels: readonly string[];
  /** Upper bounds of histogram buckets (in `unit`), ascending; `+Inf` is implied. */
  readonly buckets?: readonly number[];
  readonly group: MetricGroup;
  /** How the value is obtained, for the docs: `counted` on the hot path, `sampled`, or read at `collect` time. */
  readonly source: 'counted' | 'sampled' | 'collected';
}

/** Buckets for message processing and queue wait: 10 µs to 5 s. */
export const MESSAGE_BUCKETS: readonly number[] = [0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];
/** Buckets for GenServer calls: 100 µs to 10 s. */
export const CALL_BUCKETS: readonly number[] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Buckets for actor lifetimes: 1 ms to a day. */
export const LIFETIME_BUCKETS: readonly number[] = [0.001, 0.01, 0.1, 1, 10, 60, 300, 1800, 3600, 21600, 86400];
/** Buckets for time spent in a GenStatem state: 1 ms to an hour. */
export const STATE_BUCKETS: readonly number[] = [0.001, 0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 3600];
/** Buckets for event-loop delay: 1 ms to 5 s. */
export const EVENT_LOOP_BUCKETS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Buckets for supervisor restarts: 100 µs to 5 s. */
export const RESTART_BUCKETS: readonly number[] = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];

/** Buckets for heartbeat round trips between nodes: 100 µs to 5 s. */
export const RTT_BUCKETS: readonly number[] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Buckets for the encoded size of remote messages: 64 bytes to 1 MiB. */
export const SIZE_BUCKETS: readonly number[] = [64, 128, 256, 512, 1024, 4096, 16384, 65536, 262144, 1048576];

/** Two-word names kept whole in OpenTelemetry names: `joerl.gen_server.call.duration`, not `gen.server`. */
const COMPOUNDS = ['gen_server', 'gen_statem', 'event_loop', 'run_queue', 'short_lived', 'in_flight'];

/**
 * Builds a {@link MetricDef}, deriving its OpenTelemetry name (`joerl_x_y_total` → `joerl.x.y`).
 * For metrics added through a `MetricSource`.
 */
export function defineMetric(
  name: string,
  kind: MetricKind,
  unit: MetricUnit,
  labels: readonly string[],
  group: MetricGroup,
  source: MetricDef['source'],
  help: string,
  buckets?: readonly number[],
): MetricDef {
  const base = name.replace(/^joerl_/, '').replace(/_(total|seconds|bytes|percent|ratio)$/, '');
  // Dots separate namespaces; words of one name keep their underscore (OpenTelemetry's style).
  const otelName = `joerl.${base
    .split('_')
    .reduce<string[]>((parts, word) => {
      const joined = `${parts.at(-1) ?? ''}_${word}`;
      if (COMPOUNDS.includes(joined)) parts[parts.length - 1] = joined;
      else parts.push(word);
      return parts;
    }, [])
    .join('.')}`;
  return Object.freeze({ name, otelName, kind, help, unit, labels: Object.freeze([...labels]), group, source, ...(buckets === undefined ? {} : { buckets: Object.freeze([...buckets]) }) });
}

/**
 * Every metric joerl emits.
 *
 * @example
 * ```ts
 * import { CATALOG } from '@joerl/telemetry';
 * for (const m of CATALOG) console.log(m.name, m.kind, m.labels.join(','));
 * ```
 * @since 0.1.0
 */
export const CATALOG: readonly MetricDef[] = Object.freeze([
  // Actor lifecycle (`type`: the actor's own type)
  defineMetric('joerl_actors_spawned_total', 'counter', '1', ['type'], 'lifecycle', 'counted', 'Actors spawned.'),
  defineMetric('joerl_actors_stopped_total', 'counter', '1', ['type', 'reason'], 'lifecycle', 'counted', 'Actors that exited, by exit reason kind (normal, shutdown, killed, noproc, error, custom, noconnection); a reason has a series once it has occurred.'),
  defineMetric('joerl_actors_active', 'gauge', '1', ['type'], 'lifecycle', 'counted', 'Actors alive now.'),
  defineMetric('joerl_actors_panicked_total', 'counter', '1', ['type'], 'lifecycle', 'counted', 'Handler crashes: a handler (init, receive, handleSignal or terminate) threw or rejected.'),
  defineMetric('joerl_actor_lifetime_seconds', 'histogram', 's', ['type'], 'lifecycle', 'counted', 'How long actors lived, observed once per exit (a type has this series once one of its actors exited).', LIFETIME_BUCKETS),
  defineMetric('joerl_short_lived_actors_total', 'counter', '1', ['type'], 'lifecycle', 'counted', 'Actors that exited sooner than the short-lived threshold (default 1 s).'),
  // Messages (`type`: the receiver's type)
  defineMetric('joerl_messages_sent_total', 'counter', '1', ['type'], 'messages', 'counted', "Messages enqueued into mailboxes; `type` is the receiver's. sent = processed + dropped + queued now."),
  defineMetric('joerl_messages_sent_failed_total', 'counter', '1', ['type', 'reason'], 'messages', 'counted', "Sends refused before enqueueing, by reason: noproc (a dead or unknown receiver, including calls and casts to a missing server), mailbox_full, timeout (sendAsync); `type` is the intended receiver's, `(unknown)` for a name nobody holds."),
  defineMetric('joerl_messages_dropped_total', 'counter', '1', ['type', 'reason'], 'messages', 'counted', "Messages enqueued but never handled, by reason: drop_oldest (a full drop-oldest mailbox made room) or exited (still queued when the actor exited); `type` is the receiver's."),
  defineMetric('joerl_messages_processed_total', 'counter', '1', ['type'], 'messages', 'counted', "Messages whose handler finished (successfully or not); `type` is the receiver's."),
  defineMetric('joerl_message_processing_duration_seconds', 'histogram', 's', ['type'], 'messages', 'sampled', "Time in the message handler, sampled (timing rate): _count is the sampled count; `type` is the receiver's, and has this series once a message was sampled.", MESSAGE_BUCKETS),
  defineMetric('joerl_message_queue_wait_seconds', 'histogram', 's', ['type'], 'messages', 'sampled', "Time from enqueue to the start of handling, sampled (timing rate): _count is the sampled count; `type` is the receiver's, and has this series once a message was sampled.", MESSAGE_BUCKETS),
  // Mailboxes (`type`: the owner's type)
  defineMetric('joerl_mailbox_depth', 'gauge', '1', ['type'], 'mailboxes', 'collected', 'Messages queued now, summed over live actors of the type.'),
  defineMetric('joerl_mailbox_depth_max', 'gauge', '1', ['type'], 'mailboxes', 'collected', 'Messages queued now in the fullest live actor of the type.'),
  defineMetric('joerl_mailbox_utilization_ratio', 'gauge', 'ratio', ['type'], 'mailboxes', 'collected', 'Queued messages as a fraction of capacity (0–1), in the fullest live actor of the type (unbounded mailboxes count as 0).'),
  defineMetric('joerl_mailbox_full_total', 'counter', '1', ['type'], 'mailboxes', 'counted', 'Sends that found the mailbox full (whatever the overflow policy then did).'),
  // Supervision
  defineMetric('joerl_supervisor_restarts_total', 'counter', '1', ['strategy', 'child_type'], 'supervision', 'counted', "Restart events: each child exit a supervisor answered by restarting (one child, or with one_for_all and rest_for_one all the affected siblings, still one event); `child_type` is the type of the child whose exit caused it."),
  defineMetric('joerl_supervisor_restart_intensity_exceeded_total', 'counter', '1', ['supervisor_type'], 'supervision', 'counted', 'Supervisors that gave up: more restarts than their intensity allows within their period.'),
  defineMetric('joerl_supervisor_restart_duration_seconds', 'histogram', 's', [], 'supervision', 'counted', 'Time a restart event took, from stopping affected siblings to the last child started.', RESTART_BUCKETS),
  defineMetric('joerl_supervisor_restart_intensity_usage_ratio', 'gauge', 'ratio', ['supervisor_type'], 'supervision', 'collected', 'The highest ratio (0–1), over live supervisors of the type, of restarts in the current window to the allowed intensity: 1 means the next restart gives up.'),
  // Calls and casts (`type`: the server's type; `behaviour`: gen_server or gen_statem)
  defineMetric('joerl_call_duration_seconds', 'histogram', 's', ['type', 'behaviour'], 'calls', 'sampled', "Call latency measured at the caller, deferred replies included, sampled (calls rate): _count is the sampled count; `type` is the server's.", CALL_BUCKETS),
  defineMetric('joerl_calls_total', 'counter', '1', ['type', 'behaviour', 'outcome'], 'calls', 'counted', "Calls to GenServers and GenStatems, by how they ended at the caller (ok, timeout, noproc, exit, error); `type` is the server's; an outcome has a series once it has occurred. A call to a missing server counts as noproc under its type, or `(unknown)` for a name nobody holds."),
  defineMetric('joerl_casts_total', 'counter', '1', ['type', 'behaviour'], 'calls', 'counted', 'Casts enqueued to GenServers and GenStatems; `type` is the server\'s (a cast to a missing server counts in joerl_messages_sent_failed_total{reason="noproc"}).'),
  defineMetric('joerl_calls_in_flight', 'gauge', '1', ['type', 'behaviour'], 'calls', 'counted', "Calls issued and not yet answered; `type` is the server's."),
  // GenStatem
  defineMetric('joerl_gen_statem_transitions_total', 'counter', '1', ['type', 'from', 'to'], 'gen_statem', 'counted', 'State changes (keep-state and repeat-state are not transitions); a pair has a series once it has occurred.'),
  defineMetric('joerl_gen_statem_invalid_transitions_total', 'counter', '1', ['type', 'state', 'event'], 'gen_statem', 'counted', 'Events with no transition from the current state in the declared table.'),
  defineMetric('joerl_gen_statem_state_duration_seconds', 'histogram', 's', ['type', 'state'], 'gen_statem', 'counted', 'Time spent in a state, observed once per state exit (a transition out, or the machine stopping); a state has this series once it was left.', STATE_BUCKETS),
  defineMetric('joerl_gen_statem_current_state', 'gauge', '1', ['type', 'state'], 'gen_statem', 'collected', 'State machines in each declared state now.'),
  // Signals
  defineMetric('joerl_signals_sent_total', 'counter', '1', ['type'], 'signals', 'counted', "Exit, down and kill signals sent; `type` is the sender's, `(system)` for signals from outside actors."),
  defineMetric('joerl_signals_received_total', 'counter', '1', ['type'], 'signals', 'counted', "Signals that reached a live actor (delivered, terminating, or ignored); `type` is the receiver's."),
  defineMetric('joerl_signals_ignored_total', 'counter', '1', ['type'], 'signals', 'counted', "Signals that had no effect: a normal exit to an actor not trapping exits, a signal to an actor already exiting, or one it has no handleSignal for; `type` is the receiver's."),
  defineMetric('joerl_exit_signals_total', 'counter', '1', ['reason'], 'signals', 'counted', 'Exit and kill signals sent, by exit reason kind.'),
  // Memory
  defineMetric('joerl_system_memory_bytes', 'gauge', 'By', ['kind'], 'memory', 'collected', 'Process memory (rss, heap_used, heap_total, heap_limit, external, array_buffers), read from process.memoryUsage() at most once a second; heap_limit is the most the heap may grow to.'),
  defineMetric('joerl_mailbox_memory_bytes', 'gauge', 'By', ['type'], 'memory', 'collected', "Estimated mailbox memory of the type: queued messages × (8-byte slot + the configured per-message estimate, default 64 bytes); sum it for all mailboxes."),
  // Links and monitors
  defineMetric('joerl_links_created_total', 'counter', '1', [], 'links', 'counted', 'Links created between live actors.'),
  defineMetric('joerl_monitors_created_total', 'counter', '1', [], 'links', 'counted', 'Monitors created on live actors.'),
  // Node.js runtime
  defineMetric('joerl_event_loop_delay_seconds', 'histogram', 's', [], 'runtime', 'collected', 'Event-loop delay: how late each tick of perf_hooks.monitorEventLoopDelay ran (10 ms resolution by default), cumulative since start.', EVENT_LOOP_BUCKETS),
  defineMetric('joerl_scheduler_run_queue_length', 'gauge', '1', [], 'runtime', 'collected', 'Actors queued to run now.'),
  defineMetric('joerl_scheduler_yields_total', 'counter', '1', [], 'runtime', 'collected', 'Times the scheduler yielded to the event loop in the middle of work.'),
  defineMetric('joerl_registry_size', 'gauge', '1', [], 'runtime', 'collected', 'Registered names.'),
  defineMetric('joerl_timers_active', 'gauge', '1', [], 'runtime', 'collected', 'sendAfter timers pending.'),
  // Cluster (`peer`: another node's name, capped like `type`; `(unknown)` for a node never seen). Series exist once the system joined a cluster.
  defineMetric('joerl_remote_messages_sent_total', 'counter', '1', ['peer'], 'cluster', 'counted', 'Messages, calls, call replies and casts handed to the transport for a peer node (signals and heartbeats are not messages).'),
  defineMetric('joerl_remote_messages_received_total', 'counter', '1', ['peer'], 'cluster', 'counted', 'Messages, calls, call replies and casts received from a peer node.'),
  defineMetric('joerl_remote_sent_bytes_total', 'counter', 'By', ['peer'], 'cluster', 'counted', 'Encoded bytes of every frame sent to a peer node: messages, signals and heartbeat answers (broadcast heartbeats are not counted per peer).'),
  defineMetric('joerl_remote_received_bytes_total', 'counter', 'By', ['peer'], 'cluster', 'counted', 'Encoded bytes of every frame received from a peer node except its broadcast heartbeats: what the peer counts as sent to this node.'),
  defineMetric('joerl_remote_send_failures_total', 'counter', '1', ['peer', 'reason'], 'cluster', 'counted', 'Sends, calls, casts and signals to another node that failed, by reason: encode, publish (the transport refused), no_route (a node never seen, peer `(unknown)`), node_down; a reason has a series once it has occurred.'),
  defineMetric('joerl_cluster_peer_up', 'gauge', '1', ['peer'], 'cluster', 'counted', 'Whether this node sees the peer node up (1) or down (0).'),
  defineMetric('joerl_cluster_nodes', 'gauge', '1', [], 'cluster', 'counted', 'Nodes this node sees up, itself included.'),
  defineMetric('joerl_cluster_node_events_total', 'counter', '1', ['peer', 'event'], 'cluster', 'counted', 'Peer nodes coming up and going down (event up or down), as this node sees them.'),
  defineMetric('joerl_cluster_transport_connected', 'gauge', '1', [], 'cluster', 'counted', 'Whether this node is connected to its transport (the NATS server): 1 or 0.'),
  defineMetric('joerl_cluster_transport_reconnects_total', 'counter', '1', [], 'cluster', 'counted', 'Times the connection to the transport came back after a disconnection.'),
  defineMetric('joerl_cluster_heartbeats_missed_total', 'counter', '1', ['peer'], 'cluster', 'counted', 'Heartbeats of a peer node that did not arrive: in a silence of n heartbeat intervals, n - 1 (the first is only late), counted on this node\'s heartbeat ticks.'),
  defineMetric('joerl_cluster_rtt_seconds', 'histogram', 's', ['peer'], 'cluster', 'counted', 'Round-trip time of heartbeats to a peer node: from sending a heartbeat to receiving the peer\'s answer.', RTT_BUCKETS),
  defineMetric('joerl_remote_call_duration_seconds', 'histogram', 's', ['type', 'peer'], 'cluster', 'counted', "Remote GenServer call latency at the caller, per server node; `type` is the server's as its node reported it, `(unknown)` for calls that got no answer (timeout, node down).", CALL_BUCKETS),
  defineMetric('joerl_remote_message_queue_wait_seconds', 'histogram', 's', ['peer'], 'cluster', 'counted', "Time from a message's send on a peer node to its arrival here, the sender's timestamp corrected by the clock offset the heartbeats estimate (TELEMETRY.md gives the method and its error).", MESSAGE_BUCKETS),
  defineMetric('joerl_codec_errors_total', 'counter', '1', ['direction', 'reason'], 'cluster', 'counted', 'Frames the codec could not encode (reason unencodable or codec_error) or decode (malformed or codec_error).'),
  defineMetric('joerl_remote_message_size_bytes', 'histogram', 'By', ['direction'], 'cluster', 'counted', 'Encoded size of remote messages, calls, replies and casts, by direction (sent, received).', SIZE_BUCKETS),
  // Telemetry itself (every series reads 0 until something happens)
  defineMetric('joerl_telemetry_label_overflow_total', 'counter', '1', ['label'], 'telemetry', 'counted', 'Label values folded into "(other)" because a label (type, child_type, supervisor_type, event) reached its cap on distinct values.'),
  defineMetric('joerl_telemetry_export_errors_total', 'counter', '1', ['backend'], 'telemetry', 'counted', 'Failed exports or sends of a push backend (otlp, statsd, datadog): the backend was down or refused; telemetry goes on and retries within bounds. One 0 series per started backend, or a single unlabelled 0 without any.'),
  defineMetric('joerl_telemetry_provider_errors_total', 'counter', '1', ['provider'], 'telemetry', 'counted', 'Exceptions thrown by telemetry providers (isolated: they never reach actors). One 0 series per added provider, or a single unlabelled 0 without any.'),
]);

const byName = new Map(CATALOG.map((m) => [m.name, m]));

/** The catalog entry for a Prometheus name; throws for an unknown name. */
export function metricDef(name: string): MetricDef {
  const m = byName.get(name);
  if (m === undefined) throw new Error(`unknown joerl metric '${name}'`);
  return m;
}
