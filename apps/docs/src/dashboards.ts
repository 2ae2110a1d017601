/**
 * The Grafana dashboards of the operator's kit (ops/grafana/*.json), generated from
 * ops/prometheus/queries.yml by query id: every panel runs, word for word, a query that the test
 * suite runs against a real Prometheus scraping the demo, so no dashboard can show a query that
 * does not parse or never returns data.
 *
 * The actor-type drill-down therefore filters on the Grafana side, not in PromQL: `{type=~"$type"}`
 * would be a query no test can run. Each of its panels runs a tested `sum by (type) (...)` query
 * with the legend `{{type}}` and keeps only the series named in `$type` with Grafana's
 * "Filter fields by name" transformation (by variable; Grafana 10.2 and later; older versions
 * ignore the option and show every type).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { allQueries, OPS, type Query } from './ops.js';

/** The folder the dashboards are written to. */
export const GRAFANA = `${OPS}grafana/`;

/** Grafana unit ids: seconds, bytes, 0–100, 0–1 shown as a percentage, per second, plain count. */
export type Unit = 's' | 'bytes' | 'percent' | 'percentunit' | 'ops' | 'short';
export type Color = 'green' | 'orange' | 'red' | 'blue';
/** The Grafana panel plugins the dashboards use. */
export type PanelKind = 'timeseries' | 'stat' | 'bargauge' | 'table';

/** A colour from `value` upwards. */
interface Step {
  readonly value: number;
  readonly color: Color;
}

/** One panel: the tested query it shows (by id) and how to show it. */
interface PanelSpec {
  readonly query: string;
  readonly title: string;
  /** Default: timeseries. */
  readonly kind?: PanelKind;
  readonly unit: Unit;
  /** The colour below the first step. Default: green. */
  readonly base?: Color;
  /** Colour steps, lowest first; drawn as lines on time series. */
  readonly steps?: readonly Step[];
  /** Default: the query's `by (...)` labels, or the title for a single series. */
  readonly legend?: string;
  /** Grid columns of 24. Default: the row's width for the kind. */
  readonly width?: number;
  readonly height?: number;
  readonly max?: number;
  /** The value may be negative (no floor at 0). */
  readonly signed?: boolean;
  readonly stack?: boolean;
  /** Tables: the header of the value column. */
  readonly column?: string;
}

interface RowSpec {
  readonly title: string;
  /** Default width of the row's time series (stats: 4, tables: 12). */
  readonly width?: number;
  readonly panels: readonly PanelSpec[];
}

/** One dashboard: a stable uid, the file it is written to, and its rows of panels. */
export interface DashboardSpec {
  readonly uid: string;
  readonly file: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  /** A multi-value `type` variable; every panel keeps only the series of the chosen types. */
  readonly typeFilter?: boolean;
  readonly rows: readonly RowSpec[];
}

// Thresholds shared by several panels; where an alert exists, its threshold is the red (or orange) step.
const EVENT_LOOP: readonly Step[] = [
  { value: 0.05, color: 'orange' },
  { value: 0.2, color: 'red' }, // JoerlEventLoopDelay
];
const INTENSITY: readonly Step[] = [
  { value: 0.8, color: 'orange' }, // JoerlSupervisorNearIntensityLimit
  { value: 1, color: 'red' }, // the next restart gives up
];
const UTILIZATION: readonly Step[] = [
  { value: 0.8, color: 'orange' }, // JoerlMailboxSaturated
  { value: 1, color: 'red' },
];
const CALL_SUCCESS: readonly Step[] = [
  { value: 0.95, color: 'orange' },
  { value: 0.99, color: 'green' }, // the 99% objective of slo.yml
];
const CALL_TIMEOUTS: readonly Step[] = [
  { value: 0.001, color: 'orange' },
  { value: 0.05, color: 'red' }, // JoerlCallTimeouts
];
const PANICS: readonly Step[] = [
  { value: 0.01, color: 'orange' },
  { value: 1, color: 'red' }, // JoerlActorPanics
];
const QUEUE_WAIT: readonly Step[] = [
  { value: 0.1, color: 'orange' },
  { value: 0.5, color: 'red' }, // JoerlQueueWaitHigh
];
const SLOW_CALL: readonly Step[] = [
  { value: 0.1, color: 'orange' }, // the latency objective of slo.yml: answered within 100 ms
  { value: 1, color: 'red' },
];
const ANY: readonly Step[] = [{ value: 0.001, color: 'orange' }]; // any sustained rate at all
const ANY_COUNT: readonly Step[] = [{ value: 1, color: 'orange' }];
const GAVE_UP: readonly Step[] = [{ value: 1, color: 'red' }];
// Orange from the first restart; red at JoerlRestartStorm's 0.2 restarts/s held for the whole hour.
const RESTARTS_HOUR: readonly Step[] = [
  { value: 1, color: 'orange' },
  { value: 720, color: 'red' },
];
const RESTART_STORM: readonly Step[] = [{ value: 0.2, color: 'orange' }]; // JoerlRestartStorm
const CRASH_SHARE: readonly Step[] = [
  { value: 0.01, color: 'orange' },
  { value: 0.1, color: 'red' },
];
const SEND_FAILURES: readonly Step[] = [
  { value: 0.01, color: 'orange' },
  { value: 0.05, color: 'red' },
];
const PEER_UP: readonly Step[] = [{ value: 1, color: 'green' }]; // 0 (down) shows red: the base
const SPLIT: readonly Step[] = [{ value: 1, color: 'red' }]; // JoerlPartitionSuspected
const RTT: readonly Step[] = [
  { value: 0.05, color: 'orange' },
  { value: 0.1, color: 'red' }, // JoerlClusterRttHigh
];
const HEAP: readonly Step[] = [
  { value: 0.8, color: 'orange' },
  { value: 0.9, color: 'red' },
];

/** The four dashboards, in the order they are listed. */
export const DASHBOARDS: readonly DashboardSpec[] = [
  {
    uid: 'joerl-overview',
    file: 'joerl-overview.json',
    title: 'joerl / System overview',
    description: 'Is the actor system healthy? Actors, message rates, failures, event loop, memory and telemetry health.',
    tags: ['joerl', 'overview'],
    rows: [
      {
        title: 'At a glance',
        panels: [
          { query: 'actors_active_total', title: 'Alive actors', kind: 'stat', unit: 'short', base: 'blue' },
          { query: 'messages_processed_rate_total', title: 'Messages handled', kind: 'stat', unit: 'ops', base: 'blue' },
          { query: 'abnormal_exit_ratio', title: 'Crash share of exits', kind: 'stat', unit: 'percentunit', steps: CRASH_SHARE },
          { query: 'event_loop_delay_p99', title: 'Event-loop delay p99', kind: 'stat', unit: 's', steps: EVENT_LOOP },
          { query: 'heap_used_ratio', title: 'JavaScript heap used', kind: 'stat', unit: 'percentunit', steps: HEAP, max: 1 },
          { query: 'restarts_last_hour', title: 'Restarts in the last hour', kind: 'stat', unit: 'short', steps: RESTARTS_HOUR },
        ],
      },
      {
        title: 'Actors',
        width: 8,
        panels: [
          { query: 'actors_active_by_type', title: 'Alive actors by type', unit: 'short' },
          { query: 'spawn_rate_by_type', title: 'Spawns by type', unit: 'ops' },
          { query: 'stop_rate_by_reason', title: 'Exits by reason', unit: 'ops' },
          { query: 'short_lived_ratio', title: 'Short-lived share of exits', unit: 'percentunit', max: 1, legend: 'short-lived' },
          { query: 'lifetime_p50_by_type', title: 'Lifetime p50 by type', unit: 's' },
          { query: 'lifetime_p99', title: 'Lifetime p99', unit: 's', legend: 'p99' },
        ],
      },
      {
        title: 'Messages',
        panels: [
          { query: 'messages_processed_rate_by_type', title: 'Messages handled by type', unit: 'ops' },
          { query: 'processing_backlog_rate', title: 'Backlog growth by type (received − handled)', unit: 'ops', signed: true },
          { query: 'queue_wait_p50', title: 'Mailbox wait p50', unit: 's', steps: QUEUE_WAIT, legend: 'p50' },
          { query: 'run_queue_length', title: 'Scheduler run queue', unit: 'short', legend: 'queued actors' },
        ],
      },
      {
        title: 'Failures',
        panels: [
          { query: 'panic_rate_by_type', title: 'Handler crashes by type', unit: 'ops', steps: PANICS },
          { query: 'send_failure_rate_by_reason', title: 'Failed sends by reason', unit: 'ops' },
          { query: 'noproc_rate', title: 'Sends to dead actors', unit: 'ops', legend: 'noproc' },
          { query: 'intensity_exceeded_recent', title: 'Supervisors that gave up (15m)', unit: 'short', steps: GAVE_UP },
        ],
      },
      {
        title: 'Event loop and runtime',
        width: 8,
        panels: [
          { query: 'event_loop_delay_p99', title: 'Event-loop delay p99', unit: 's', steps: EVENT_LOOP, legend: 'p99' },
          { query: 'event_loop_delay_mean', title: 'Event-loop delay mean', unit: 's', steps: EVENT_LOOP, legend: 'mean' },
          { query: 'event_loop_delay_p99_trend', title: 'Event-loop delay p99 over 15m', unit: 's', steps: EVENT_LOOP, legend: 'p99 (15m)' },
          { query: 'scheduler_yield_rate', title: 'Scheduler yields to the event loop', unit: 'ops', legend: 'yields' },
          { query: 'timers_active', title: 'Pending sendAfter timers', unit: 'short', legend: 'timers' },
          { query: 'registry_size', title: 'Registered names', unit: 'short', legend: 'names' },
        ],
      },
      {
        title: 'Memory',
        panels: [
          { query: 'rss_bytes', title: 'Resident memory (RSS)', unit: 'bytes', legend: 'rss' },
          { query: 'heap_used_ratio', title: 'JavaScript heap used', unit: 'percentunit', steps: HEAP, max: 1, legend: 'heap used' },
          { query: 'mailbox_memory_total', title: 'Mailbox memory (estimate)', unit: 'bytes', legend: 'all mailboxes' },
          { query: 'mailbox_memory_by_type', title: 'Mailbox memory by type (estimate)', unit: 'bytes' },
        ],
      },
      {
        title: 'Telemetry health',
        width: 8,
        panels: [
          { query: 'label_overflow', title: 'Label values folded into "(other)"', unit: 'short', steps: ANY_COUNT },
          { query: 'export_errors_rate', title: 'Push backend export errors', unit: 'ops', steps: ANY },
          { query: 'provider_errors', title: 'Telemetry provider exceptions', unit: 'short', steps: ANY_COUNT },
        ],
      },
    ],
  },
  {
    uid: 'joerl-actor-type',
    file: 'joerl-actor-type.json',
    title: 'joerl / Actor type',
    description: 'One or more actor types up close: lifecycle, throughput, latency, mailboxes, signals and, for GenServers, calls. Pick the types with the `type` variable.',
    tags: ['joerl', 'actors'],
    typeFilter: true,
    rows: [
      {
        title: 'At a glance',
        panels: [
          { query: 'actors_active_by_type', title: 'Alive', kind: 'stat', unit: 'short', base: 'blue', width: 6 },
          { query: 'messages_processed_rate_by_type', title: 'Messages handled', kind: 'stat', unit: 'ops', base: 'blue', width: 6 },
          { query: 'processing_p99_by_type', title: 'Handling p99', kind: 'stat', unit: 's', steps: QUEUE_WAIT, width: 6 },
          { query: 'mailbox_utilization_max', title: 'Fullest mailbox', kind: 'stat', unit: 'percentunit', steps: UTILIZATION, max: 1, width: 6 },
        ],
      },
      {
        title: 'Lifecycle',
        panels: [
          { query: 'actors_active_by_type', title: 'Alive actors', unit: 'short' },
          { query: 'spawn_rate_by_type', title: 'Spawns', unit: 'ops' },
          { query: 'panic_rate_by_type', title: 'Handler crashes', unit: 'ops', steps: PANICS },
          { query: 'lifetime_p50_by_type', title: 'Lifetime p50', unit: 's' },
        ],
      },
      {
        title: 'Throughput',
        panels: [
          { query: 'messages_sent_rate_by_type', title: 'Messages received', unit: 'ops' },
          { query: 'messages_processed_rate_by_type', title: 'Messages handled', unit: 'ops' },
          { query: 'processing_backlog_rate', title: 'Backlog growth (received − handled)', unit: 'ops', signed: true },
          { query: 'send_failure_ratio_by_type', title: 'Failed share of sends', unit: 'percentunit', steps: SEND_FAILURES, max: 1 },
        ],
      },
      {
        title: 'Latency',
        panels: [
          { query: 'processing_p50_by_type', title: 'Handling p50', unit: 's' },
          { query: 'processing_p99_by_type', title: 'Handling p99', unit: 's', steps: QUEUE_WAIT },
          { query: 'processing_mean_by_type', title: 'Handling mean', unit: 's' },
          { query: 'queue_wait_p99_by_type', title: 'Mailbox wait p99', unit: 's', steps: QUEUE_WAIT },
        ],
      },
      {
        title: 'Mailboxes',
        width: 8,
        panels: [
          { query: 'mailbox_depth_by_type', title: 'Queued messages (all actors)', unit: 'short' },
          { query: 'mailbox_depth_max_by_type', title: 'Deepest mailbox', unit: 'short' },
          { query: 'mailbox_utilization_max', title: 'Fullest mailbox, share of capacity', unit: 'percentunit', steps: UTILIZATION, max: 1 },
          { query: 'mailbox_full_rate_by_type', title: 'Sends finding the mailbox full', unit: 'ops', steps: ANY },
          { query: 'dropped_rate_by_type', title: 'Dropped by drop-oldest', unit: 'ops' },
          { query: 'lost_rate_by_type', title: 'Never handled (dropped, or queued at exit)', unit: 'ops' },
          { query: 'rejected_rate_by_type', title: 'Refused by a full mailbox', unit: 'ops' },
        ],
      },
      {
        title: 'Memory and signals',
        width: 8,
        panels: [
          { query: 'mailbox_memory_by_type', title: 'Mailbox memory (estimate)', unit: 'bytes' },
          { query: 'signals_sent_rate_by_type', title: 'Signals sent', unit: 'ops' },
          { query: 'signals_received_rate_by_type', title: 'Signals received', unit: 'ops' },
        ],
      },
      {
        title: 'As a GenServer (empty for other types)',
        width: 8,
        panels: [
          { query: 'call_p50_by_type', title: 'Call latency p50', unit: 's' },
          { query: 'call_p99_by_type', title: 'Call latency p99', unit: 's', steps: SLOW_CALL },
          { query: 'call_success_ratio_by_type', title: 'Call success', unit: 'percentunit', base: 'red', steps: CALL_SUCCESS, max: 1 },
          { query: 'call_timeout_rate_by_type', title: 'Call timeouts', unit: 'ops', steps: CALL_TIMEOUTS },
          { query: 'calls_in_flight_by_type', title: 'Calls awaiting a reply', unit: 'short' },
          { query: 'casts_rate_by_type', title: 'Casts received', unit: 'ops' },
        ],
      },
    ],
  },
  {
    uid: 'joerl-behaviours',
    file: 'joerl-behaviours.json',
    title: 'joerl / GenServer and GenStatem',
    description: 'The behaviours: GenServer calls (outcomes, latency, timeouts, in flight) and GenStatem machines (states, transitions, invalid transitions, time in state).',
    tags: ['joerl', 'gen_server', 'gen_statem'],
    rows: [
      {
        title: 'GenServer at a glance',
        panels: [
          { query: 'call_success_ratio_by_type', title: 'Call success', kind: 'stat', unit: 'percentunit', base: 'red', steps: CALL_SUCCESS, width: 8 },
          { query: 'call_timeout_rate_by_type', title: 'Call timeouts', kind: 'stat', unit: 'ops', steps: CALL_TIMEOUTS, width: 8 },
          { query: 'calls_in_flight_by_type', title: 'Calls awaiting a reply', kind: 'stat', unit: 'short', base: 'blue', width: 8 },
        ],
      },
      {
        title: 'Calls to GenServers and GenStatems',
        panels: [
          { query: 'call_rate_by_outcome', title: 'Calls by outcome', unit: 'ops', stack: true },
          { query: 'call_rate_by_behaviour', title: 'Calls to GenServers and GenStatems', unit: 'ops', stack: true },
          { query: 'call_success_ratio_by_type', title: 'Call success by server', unit: 'percentunit', base: 'red', steps: CALL_SUCCESS, max: 1 },
          { query: 'call_p50_by_type', title: 'Call latency p50 (at the caller)', unit: 's' },
          { query: 'call_p99_by_type', title: 'Call latency p99 (at the caller)', unit: 's', steps: SLOW_CALL },
          { query: 'call_timeout_rate_by_type', title: 'Call timeouts by server', unit: 'ops', steps: CALL_TIMEOUTS },
          { query: 'casts_rate_by_type', title: 'Casts by server', unit: 'ops' },
        ],
      },
      {
        title: 'GenStatem',
        panels: [
          { query: 'statem_current_state', title: 'Machines per state', unit: 'short', stack: true, width: 8, legend: '{{type}} {{state}}' },
          { query: 'statem_state_exit_rate', title: 'States left', unit: 'ops', width: 8, legend: '{{type}} {{state}}' },
          { query: 'statem_state_duration_p90', title: 'Time in state p90', unit: 's', width: 8, legend: '{{type}} {{state}}' },
          { query: 'statem_transition_rate', title: 'Transitions', unit: 'ops', legend: '{{type}}: {{from}} → {{to}}' },
          { query: 'statem_transition_rate', title: 'Transitions now', kind: 'table', unit: 'ops', column: 'per second' },
          { query: 'statem_invalid_transition_rate', title: 'Invalid transitions', unit: 'ops', steps: ANY, legend: '{{type}}: {{event}} in {{state}}' },
          { query: 'statem_invalid_transition_rate', title: 'Invalid transitions now', kind: 'table', unit: 'ops', steps: ANY, column: 'per second' },
        ],
      },
    ],
  },
  {
    uid: 'joerl-supervision',
    file: 'joerl-supervision.json',
    title: 'joerl / Supervision',
    description: 'Supervision trees: restarts, how close each tree is to giving up (restart intensity), trees that gave up, restart duration, and the links, monitors and exit signals they are built on.',
    tags: ['joerl', 'supervision'],
    rows: [
      {
        title: 'At a glance',
        panels: [
          { query: 'intensity_usage_by_supervisor_type', title: 'Restart intensity used', kind: 'bargauge', unit: 'percentunit', steps: INTENSITY, max: 1, width: 12, height: 6 },
          { query: 'restarts_last_hour', title: 'Restarts in the last hour', kind: 'stat', unit: 'short', steps: RESTARTS_HOUR, width: 6, height: 6 },
          { query: 'intensity_exceeded_recent', title: 'Gave up (15m)', kind: 'stat', unit: 'short', steps: GAVE_UP, width: 6, height: 6 },
        ],
      },
      {
        title: 'Restarts',
        panels: [
          { query: 'restart_rate_by_child_type', title: 'Restarts by child type', unit: 'ops', steps: RESTART_STORM },
          { query: 'restart_rate_by_strategy', title: 'Restarts by strategy', unit: 'ops' },
          { query: 'intensity_usage_by_supervisor_type', title: 'Restart intensity used (1 = the next restart gives up)', unit: 'percentunit', steps: INTENSITY },
          { query: 'intensity_exceeded_recent', title: 'Supervisors that gave up (15m)', unit: 'short', steps: GAVE_UP },
          { query: 'restart_duration_p99', title: 'Restart duration p99', unit: 's', legend: 'p99' },
          { query: 'stop_rate_by_reason', title: 'Exits by reason', unit: 'ops' },
        ],
      },
      {
        title: 'Links, monitors and exit signals',
        width: 8,
        panels: [
          { query: 'exit_signals_by_reason', title: 'Exit signals by reason', unit: 'ops' },
          { query: 'signals_sent_rate_by_type', title: 'Signals sent by type', unit: 'ops' },
          { query: 'signals_received_rate_by_type', title: 'Signals received by type', unit: 'ops' },
          { query: 'signals_ignored_rate', title: 'Signals with no effect', unit: 'ops', legend: 'ignored' },
          { query: 'links_created_rate', title: 'Links created', unit: 'ops', legend: 'links' },
          { query: 'monitors_created_rate', title: 'Monitors created', unit: 'ops', legend: 'monitors' },
        ],
      },
    ],
  },
  {
    uid: 'joerl-cluster',
    file: 'joerl-cluster.json',
    title: 'joerl / Cluster',
    description: 'A joerl cluster (@joerl/cluster over NATS): which node sees which peer (the node matrix), partitions, traffic between nodes, heartbeat round trips, remote calls and queue waits, failed sends, codec errors and node churn. `node` is the reporting node, `peer` the other one.',
    tags: ['joerl', 'cluster'],
    rows: [
      {
        title: 'Nodes',
        panels: [
          { query: 'cluster_peer_matrix', title: 'Node matrix: who sees whom up', kind: 'table', unit: 'short', base: 'red', steps: PEER_UP, column: 'up', width: 12, height: 8 },
          { query: 'cluster_nodes_by_observer', title: 'Nodes each node sees (itself included)', kind: 'bargauge', unit: 'short', base: 'blue', width: 6, height: 8 },
          { query: 'cluster_partition_split', title: 'Partition suspected (1: peers disagree)', kind: 'bargauge', unit: 'short', steps: SPLIT, max: 1, width: 6, height: 8 },
        ],
      },
      {
        title: 'Traffic between nodes',
        panels: [
          { query: 'cluster_messages_by_pair', title: 'Messages by node → peer', unit: 'ops' },
          { query: 'cluster_bytes_by_pair', title: 'Bytes by node → peer', unit: 'bytes' },
          { query: 'cluster_send_failures_by_reason', title: 'Failed remote sends by reason', unit: 'ops', steps: SEND_FAILURES },
          { query: 'cluster_codec_errors', title: 'Codec errors', unit: 'ops', steps: ANY },
        ],
      },
      {
        title: 'Latency',
        panels: [
          { query: 'cluster_rtt_p99_by_pair', title: 'Heartbeat RTT p99 by node → peer', unit: 's', steps: RTT },
          { query: 'cluster_remote_call_p99_by_type', title: 'Remote call p99 by server type and peer', unit: 's', steps: SLOW_CALL },
          { query: 'cluster_remote_queue_wait_p99', title: 'Remote message send → arrival p99 by sender', unit: 's', steps: QUEUE_WAIT },
          { query: 'cluster_heartbeats_missed_rate', title: 'Heartbeats missed by node → peer', unit: 'ops', steps: ANY },
        ],
      },
      {
        title: 'Churn',
        panels: [
          { query: 'cluster_node_churn', title: 'Nodes up and down (last hour)', unit: 'short', steps: ANY_COUNT },
          { query: 'cluster_transport_reconnects', title: 'NATS reconnects (last hour)', unit: 'short', steps: ANY_COUNT },
        ],
      },
    ],
  },
];

// ---- Grafana's JSON model (the parts we write) ----

/** A reference to the dashboard's `datasource` variable: the dashboards import and provision without prompting. */
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

/** A panel's query: one tested expr, run as a range query (or instant, for tables). */
export interface GrafanaTarget {
  readonly refId: string;
  readonly datasource: typeof DATASOURCE;
  readonly editorMode: 'code';
  readonly expr: string;
  readonly legendFormat: string;
  readonly range: boolean;
  readonly instant: boolean;
  readonly format?: 'table';
}

/** A panel's place on Grafana's grid: 24 columns, rows of 30 px. */
export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Colour steps: the base colour, then one colour from each value upwards. */
export interface Thresholds {
  readonly mode: 'absolute';
  /** The first step (the base colour) has the value null. */
  readonly steps: readonly { readonly color: Color; readonly value: number | null }[];
}

/** `fieldConfig.defaults`: the unit and thresholds every panel sets, and whatever else its plugin takes. */
export interface FieldDefaults {
  readonly unit: Unit;
  readonly thresholds: Thresholds;
  readonly min?: number;
  readonly max?: number;
  readonly [key: string]: unknown;
}

/** A panel, or a row header (`type: 'row'`, no targets). */
export interface GrafanaPanel {
  readonly id: number;
  readonly type: PanelKind | 'row';
  readonly title: string;
  readonly gridPos: GridPos;
  readonly description?: string;
  readonly datasource?: typeof DATASOURCE;
  readonly targets?: readonly GrafanaTarget[];
  readonly transformations?: readonly { readonly id: string; readonly options: object }[];
  readonly fieldConfig?: { readonly defaults: FieldDefaults; readonly overrides: readonly unknown[] };
  readonly options?: object;
  readonly collapsed?: boolean;
  readonly panels?: readonly GrafanaPanel[];
}

/** A template variable: the data source, or the drill-down's actor types. */
export interface GrafanaVariable {
  readonly name: string;
  readonly type: 'datasource' | 'query';
  readonly query: string;
  readonly multi: boolean;
  readonly includeAll: boolean;
  readonly [key: string]: unknown;
}

/** A dashboard as Grafana imports it (the fields the tests read; the rest as Grafana exports them). */
export interface GrafanaDashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly schemaVersion: number;
  readonly templating: { readonly list: readonly GrafanaVariable[] };
  readonly panels: readonly GrafanaPanel[];
  readonly [key: string]: unknown;
}

const SCHEMA_VERSION = 39; // Grafana 10.4
const KIND_WIDTH: Record<PanelKind, number> = { timeseries: 12, stat: 4, bargauge: 12, table: 12 };
const KIND_HEIGHT: Record<PanelKind, number> = { timeseries: 8, stat: 4, bargauge: 8, table: 8 };
const PLUGIN_NAMES: Record<PanelKind, string> = { timeseries: 'Time series', stat: 'Stat', bargauge: 'Bar gauge', table: 'Table' };

/** The labels a query's result series carry: those of its first `by (...)`, less `le`. */
export function resultLabels(expr: string): string[] {
  const by = /\bby\s*\(([^)]*)\)/.exec(expr);
  if (by?.[1] === undefined) return [];
  return by[1]
    .split(',')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== 'le');
}

function legendOf(spec: PanelSpec, q: Query): string {
  if (spec.legend !== undefined) return spec.legend;
  const labels = resultLabels(q.expr);
  return labels.length === 0 ? spec.title : labels.map((l) => `{{${l}}}`).join(' ');
}

function thresholds(spec: PanelSpec): Thresholds {
  return {
    mode: 'absolute',
    steps: [{ color: spec.base ?? 'green', value: null }, ...(spec.steps ?? []).map((s) => ({ color: s.color, value: s.value }))],
  };
}

/**
 * A link from a per-type series (or, in a table, row) to the drill-down with that type chosen,
 * on the same data source and time range.
 */
function drillDownLink(kind: PanelKind) {
  const type = kind === 'table' ? '${__data.fields.type}' : '${__field.labels.type}';
  return { title: `Drill down into ${type}`, url: `/d/joerl-actor-type/joerl-actor-type?var-type=${type}&\${datasource:queryparam}&\${__url_time_range}` };
}

// Keeps the `Time` field and the value fields named (by legend `{{type}}`) as one of the chosen types.
const TYPE_FILTER = { id: 'filterFieldsByName', options: { byVariable: true, include: { variable: 'Time,${type:csv}' } } };

function fieldDefaults(spec: PanelSpec, kind: PanelKind, linkToDrillDown: boolean): FieldDefaults {
  return {
    unit: spec.unit,
    color: { mode: kind === 'timeseries' ? 'palette-classic' : 'thresholds' },
    thresholds: thresholds(spec),
    mappings: [],
    ...(spec.signed === true ? {} : { min: 0 }),
    ...(spec.max === undefined ? {} : { max: spec.max }),
    ...(linkToDrillDown ? { links: [drillDownLink(kind)] } : {}),
    ...customDefaults(spec, kind),
  };
}

/** The options of the panel plugin that belong in field config (`custom`). */
function customDefaults(spec: PanelSpec, kind: PanelKind): { custom?: object } {
  switch (kind) {
    case 'timeseries':
      return {
        custom: {
          drawStyle: 'line',
          lineInterpolation: 'linear',
          lineWidth: 1,
          fillOpacity: spec.stack === true ? 30 : 10,
          gradientMode: 'none',
          showPoints: 'never',
          spanNulls: false,
          axisPlacement: 'auto',
          axisLabel: '',
          stacking: { mode: spec.stack === true ? 'normal' : 'none', group: 'A' },
          thresholdsStyle: { mode: spec.steps === undefined ? 'off' : 'dashed' },
        },
      };
    case 'table':
      return { custom: { align: 'auto', cellOptions: { type: 'auto' }, inspect: false } };
    case 'stat':
    case 'bargauge':
      return {};
    default: {
      const never: never = kind;
      throw new Error(`unknown panel kind ${String(never)}`);
    }
  }
}

/** Tables colour only their value column by the thresholds (not the label columns). */
function overrides(spec: PanelSpec, kind: PanelKind): unknown[] {
  if (kind !== 'table' || spec.steps === undefined) return [];
  return [{ matcher: { id: 'byName', options: spec.column ?? 'Value' }, properties: [{ id: 'custom.cellOptions', value: { type: 'color-text' } }] }];
}

const REDUCE_LAST = { calcs: ['lastNotNull'], fields: '', values: false };

function panelOptions(spec: PanelSpec, kind: PanelKind): object {
  switch (kind) {
    case 'timeseries':
      return {
        legend: { showLegend: true, displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] },
        tooltip: { mode: 'multi', sort: 'desc' },
      };
    case 'stat':
      return { reduceOptions: REDUCE_LAST, colorMode: 'value', graphMode: 'area', justifyMode: 'auto', orientation: 'auto', textMode: 'auto', wideLayout: true, showPercentChange: false };
    case 'bargauge':
      return { reduceOptions: REDUCE_LAST, orientation: 'horizontal', displayMode: 'gradient', valueMode: 'color', showUnfilled: true, namePlacement: 'auto', sizing: 'auto', minVizWidth: 8, minVizHeight: 16, maxVizHeight: 300 };
    case 'table':
      return { showHeader: true, cellHeight: 'sm', footer: { show: false, reducer: ['sum'], fields: '' }, sortBy: [{ displayName: spec.column ?? 'Value', desc: true }] };
    default: {
      const never: never = kind;
      throw new Error(`unknown panel kind ${String(never)}`);
    }
  }
}

function panel(spec: PanelSpec, q: Query, id: number, gridPos: GridPos, typeFilter: boolean): GrafanaPanel {
  const kind = spec.kind ?? 'timeseries';
  const table = kind === 'table';
  const target: GrafanaTarget = {
    refId: 'A',
    datasource: DATASOURCE,
    editorMode: 'code',
    expr: q.expr,
    legendFormat: table ? '__auto' : legendOf(spec, q),
    range: !table,
    instant: table,
    ...(table ? { format: 'table' as const } : {}),
  };
  const transformations = [];
  if (typeFilter) transformations.push(TYPE_FILTER);
  if (table) transformations.push({ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { Value: spec.column ?? 'Value' } } });
  return {
    id,
    type: kind,
    title: spec.title,
    description: `${q.question}\n\nQuery \`${q.id}\` of ops/prometheus/queries.yml, tested against a real Prometheus.`,
    gridPos,
    datasource: DATASOURCE,
    targets: [target],
    ...(transformations.length === 0 ? {} : { transformations }),
    fieldConfig: { defaults: fieldDefaults(spec, kind, !typeFilter && resultLabels(q.expr).includes('type')), overrides: overrides(spec, kind) },
    options: panelOptions(spec, kind),
  };
}

const DATASOURCE_VARIABLE: GrafanaVariable = {
  name: 'datasource',
  label: 'Prometheus',
  type: 'datasource',
  query: 'prometheus',
  current: {},
  hide: 0,
  includeAll: false,
  multi: false,
  options: [],
  refresh: 1,
  regex: '',
};

// Every type that ever spawned an actor: the counter outlives the actors.
const TYPE_VARIABLE: GrafanaVariable = {
  name: 'type',
  label: 'Actor type',
  type: 'query',
  datasource: DATASOURCE,
  definition: 'label_values(joerl_actors_spawned_total, type)',
  query: 'label_values(joerl_actors_spawned_total, type)',
  current: { selected: true, text: ['All'], value: ['$__all'] },
  hide: 0,
  includeAll: true,
  multi: true,
  options: [],
  refresh: 2,
  regex: '',
  sort: 1,
};

/** The dashboard `spec` describes, as Grafana's JSON model; `queries` by id (default: queries.yml). */
export function dashboard(spec: DashboardSpec, queries: ReadonlyMap<string, Query> = queriesById()): GrafanaDashboard {
  const panels: GrafanaPanel[] = [];
  let id = 1;
  let y = 0;
  for (const row of spec.rows) {
    panels.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { x: 0, y, w: 24, h: 1 }, panels: [] });
    y += 1;
    let x = 0;
    let lineHeight = 0;
    for (const p of row.panels) {
      const q = queries.get(p.query);
      if (q === undefined) throw new Error(`dashboard ${spec.uid}: no query '${p.query}' in ops/prometheus/queries.yml; add it there (with a question) or fix the id`);
      const kind = p.kind ?? 'timeseries';
      const w = p.width ?? (kind === 'timeseries' ? (row.width ?? KIND_WIDTH[kind]) : KIND_WIDTH[kind]);
      const h = p.height ?? KIND_HEIGHT[kind];
      if (x + w > 24) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      panels.push(panel(p, q, id++, { x, y, w, h }, spec.typeFilter === true));
      x += w;
      lineHeight = Math.max(lineHeight, h);
    }
    y += lineHeight;
  }
  const kinds = [...new Set(spec.rows.flatMap((r) => r.panels.map((p) => p.kind ?? 'timeseries')))].sort();
  return {
    __requires: [
      { type: 'grafana', id: 'grafana', name: 'Grafana', version: '10.4.0' },
      { type: 'datasource', id: 'prometheus', name: 'Prometheus', version: '1.0.0' },
      ...kinds.map((k) => ({ type: 'panel', id: k, name: PLUGIN_NAMES[k], version: '' })),
    ],
    annotations: {
      list: [{ builtIn: 1, datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, hide: true, iconColor: 'rgba(0, 211, 255, 1)', name: 'Annotations & Alerts', type: 'dashboard' }],
    },
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: spec.tags,
    editable: true,
    fiscalYearStartMonth: 0,
    graphTooltip: 1,
    id: null,
    links: [{ title: 'joerl dashboards', type: 'dashboards', tags: ['joerl'], asDropdown: true, includeVars: true, keepTime: true, icon: 'external link', targetBlank: false, tooltip: '', url: '' }],
    liveNow: false,
    panels,
    refresh: '30s',
    schemaVersion: SCHEMA_VERSION,
    templating: { list: spec.typeFilter === true ? [DATASOURCE_VARIABLE, TYPE_VARIABLE] : [DATASOURCE_VARIABLE] },
    time: { from: 'now-1h', to: 'now' },
    timepicker: {},
    timezone: '',
    version: 1,
    weekStart: '',
  };
}

function queriesById(): Map<string, Query> {
  return new Map(allQueries().map((q) => [q.id, q]));
}

/** Every dashboard as the text of its file under ops/grafana/. */
export function dashboardFiles(): { readonly file: string; readonly text: string }[] {
  const queries = queriesById();
  return DASHBOARDS.map((spec) => ({ file: spec.file, text: `${JSON.stringify(dashboard(spec, queries), null, 2)}\n` }));
}

/** (Re)writes the dashboards under ops/grafana/; says which changed. */
export function writeDashboards(): { readonly file: string; readonly changed: boolean }[] {
  return dashboardFiles().map(({ file, text }) => {
    const path = `${GRAFANA}${file}`;
    const changed = !existsSync(path) || readFileSync(path, 'utf8') !== text;
    if (changed) writeFileSync(path, text);
    return { file, changed };
  });
}
