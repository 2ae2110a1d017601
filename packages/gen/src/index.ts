/**
 * `@joerl/gen`: the OTP behaviours on `@joerl/core` — GenServer, GenStatem, Supervisor and
 * DynamicSupervisor — typed end to end and reporting through core's instrumentation port.
 *
 * @packageDocumentation
 */
export { From, pendingCalls, reply } from './call-table.js';
export {
  type ChildSpec,
  type ChildStart,
  type ChildType,
  type DynamicChildSpec,
  type RestartType,
  type Shutdown,
  type StartedChild,
} from './child-spec.js';
export { type CallOptions, DEFAULT_CALL_TIMEOUT_MS, type StopOptions } from './client.js';
export {
  type DynamicChildInfo,
  DynamicSupervisor,
  type DynamicSupervisorCall,
  type DynamicSupervisorRef,
  type DynamicSupervisorSpec,
} from './dynamic-supervisor.js';
export {
  BadReturnError,
  CalleeExitedError,
  CallingSelfError,
  CallTimeoutError,
  ChildNotFoundError,
  ChildRunningError,
  ChildStartError,
  DuplicateChildError,
  InitFailedError,
  InvalidTransitionError,
  MaxChildrenError,
  NoProcError,
  ServerBusyError,
} from './errors.js';
export { formatMessage, formatStatus, type StatusReport } from './format-status.js';
export {
  type CallResult,
  GenServer,
  type GenServerDefinition,
  type InitResult,
  type NoReplyResult,
  type ServerChildOptions,
} from './gen-server.js';
export { DEFAULT_STATEM_CALL_TIMEOUT_MS, GenStatem } from './gen-statem.js';
export type { AnyReply, Call, ReplyOf } from './protocol.js';
export { DEFAULT_INTENSITY, DEFAULT_PERIOD_MS } from './restart-intensity.js';
export { type AnyServerRef, NamedServerRef, ServerRef } from './server-ref.js';
export { type Ignored, IGNORED, type IgnoreResult, type StartOptions, type Starter } from './start.js';
export type {
  EnterResult,
  EventMeta,
  EventOrigin,
  GenStatemDefinition,
  StatemAction,
  StatemEvent,
  StatemInit,
  StatemResult,
  TransitionTable,
} from './statem-types.js';
export {
  type ChildCounts,
  type ChildInfo,
  MAX_RESTART_INTENSITY,
  Supervisor,
  type SupervisorCall,
  type SupervisorRef,
  type SupervisorSpec,
  type SupervisorStartOptions,
  type SupervisorStrategy,
} from './supervisor.js';
