/**
 * `@joerl/observer`: a live web UI over a running joerl actor system — supervision trees,
 * actors, metrics and state machines — served by the process itself.
 *
 * @packageDocumentation
 */
export type { Action } from './actions.js';
export { type ActorDetail, MAX_STATUS_LENGTH, type PidRef } from './actor-detail.js';
export { type ActorRow, type ActorsPage, type ActorsQuery, MAX_PAGE_SIZE, SORT_KEYS, type SortKey } from './actors-table.js';
export { type ClusterNodeView, type ClusterSource, type ClusterView, OBSERVER_AGENT, REMOTE_VIEW_TIMEOUT_MS } from './cluster-view.js';
export { type ActionRefusal, CONTENT_SECURITY_POLICY } from './http-security.js';
export { MAX_UNREAD_BYTES } from './live-updates.js';
export { type FlowEdge, type FlowView, MAX_FLOW_EDGES, OUTSIDE } from './message-flow.js';
export {
  DEFAULT_TRACE_EVENTS,
  DEFAULT_TRACE_MS,
  KEPT_TRACES,
  MAX_TRACE_EVENTS,
  MAX_TRACE_MS,
  MAX_TRACE_TEXT,
  MAX_TRACES,
  type Redact,
  defaultRedact,
  type TracedMessage,
  type TraceEntry,
  type TraceView,
} from './message-trace.js';
export { MAX_ACTION_BODY, type Observer, observer } from './observer.js';
export { DEFAULT_OBSERVER_HOST, type ObserverListenOptions, type ObserverServer } from './observer-server.js';
export { type ActionLog, type HealthSource, LOOPBACK_HOSTS, type ObserverOptions } from './options.js';
export { HISTORY_LENGTH, type OverviewSample } from './overview.js';
export type { StateMachineView } from './state-machines.js';
export { CHILDREN_TIMEOUT_MS, MAX_CHILDREN_SHOWN, type TreeNode } from './supervision-tree.js';
export { type Crash, MAX_CRASHES } from './supervision-log.js';
