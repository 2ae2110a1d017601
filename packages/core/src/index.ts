/**
 * `@joerl/core`: Erlang/OTP-style actors for Node.js — the runtime.
 *
 * Actors with bounded mailboxes, links, monitors, exit signals, a name registry and timers,
 * scheduled in batches that never starve the event loop, and observable through the
 * {@link Instrumentation} port.
 *
 * @packageDocumentation
 */
export type { ActorRef, SendAsyncOptions } from './actor-ref.js';
export { ActorType } from './actor-type.js';
export type {
  ActorContext,
  Behavior,
  Destination,
  HandlerResult,
  ReceiveFunction,
  SpawnOptions,
} from './behavior.js';
export { type Clock, MAX_TIMER_DELAY_MS, systemClock, TestClock, type TimerHandle } from './clock.js';
export { Deadline, DeadlineQueue } from './deadlines.js';
export {
  CODEC_ERROR_REASONS,
  type CodecDirection,
  type CodecErrorReason,
  type DistributionEvents,
  REMOTE_SEND_FAILURES,
  type RemoteSendFailure,
  type RemoteTrace,
  type TransportEvent,
} from './distribution-events.js';
export {
  type Distribution,
  isRemoteName,
  makeDeadPid,
  makeRemotePid,
  NO_NODE,
  type RemoteName,
  RemoteNode,
  type RemoteSignal,
} from './distribution.js';
export {
  InvalidArgumentError,
  InvalidConfigError,
  InvalidNameError,
  JoerlError,
  LinkNoProcError,
  NameTakenError,
  SystemStoppedError,
} from './errors.js';
export {
  assertNever,
  EXIT_REASON_KINDS,
  ExitReason,
  type ExitReasonKind,
  type ExitSignalReason,
  formatExitReason,
  isExitReason,
  isNormalExit,
  isOrderlyExit,
  normalizeSignalReason,
  toExitReason,
} from './exit-reason.js';
export { DEFAULT_FORMAT_LIMIT, formatValue } from './format.js';
export type { ActorInfo, ActorStatus, SystemStats } from './info.js';
export {
  type ActorHandle,
  CALL_OUTCOMES,
  type CallOutcome,
  type CrashPhase,
  type Instrumentation,
  NoopInstrumentation,
  SEND_FAILURE_REASONS,
  type SendFailureReason,
  type SupervisorProbe,
} from './instrumentation.js';
export { DEFAULT_MAILBOX_CAPACITY, type MailboxOptions, type OverflowPolicy } from './mailbox.js';
export { isPid, Pid, RemotePid } from './pid.js';
export type { SchedulerOptions } from './scheduler.js';
export {
  type DownSignal,
  type ExitSignal,
  MonitorRef,
  type Signal,
  type SignalKind,
  type SignalOutcome,
} from './signal.js';
export { consoleLogger, type Logger } from './logger.js';
export { ActorSystem, type ActorSystemOptions, type ShutdownOptions, type SystemStatus } from './system.js';
export { TimerRef } from './timers.js';
