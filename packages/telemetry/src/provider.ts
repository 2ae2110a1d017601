/**
 * Telemetry providers: custom backends that want events as they happen, and/or the catalog's
 * values on demand (`telemetry.collect()`).
 *
 * @module
 */
import type { CrashPhase, ExitReason, Pid } from '@joerl/core';
import type { Telemetry } from './telemetry.js';

/** An actor was spawned. */
export interface ActorSpawnedEvent {
  readonly type: string;
  readonly pid: Pid;
  readonly name: string | undefined;
  readonly parent: Pid | null;
}

/** An actor exited. */
export interface ActorStoppedEvent {
  readonly type: string;
  readonly pid: Pid;
  readonly reason: ExitReason;
  readonly lifetimeMs: number;
}

/** A handler threw or rejected. */
export interface ActorPanickedEvent {
  readonly type: string;
  readonly pid: Pid;
  readonly error: unknown;
  readonly phase: CrashPhase;
}

/** A message was enqueued. */
export interface MessageSentEvent {
  /** The receiver's type. */
  readonly type: string;
  readonly pid: Pid;
  /** The sender's type, or null when sent from outside any actor. */
  readonly senderType: string | null;
}

/** An actor finished handling a message. */
export interface MessageReceivedEvent {
  readonly type: string;
  readonly pid: Pid;
  /** Whether the handler threw or rejected. */
  readonly failed: boolean;
  /** Enqueue to start of handling, when this message was sampled for timing. */
  readonly queueWaitMs: number | undefined;
  /** Time in the handler, when this message was sampled for timing. */
  readonly processingMs: number | undefined;
}

/** A supervisor restarted a child. */
export interface SupervisorRestartEvent {
  readonly supervisorType: string;
  readonly supervisor: Pid;
  readonly strategy: string;
  readonly childType: string;
  readonly durationMs: number;
}

/**
 * A custom telemetry backend. Implement the hooks you need; each fires with typed arguments.
 * A provider that throws is isolated: its error is counted (`joerl_telemetry_provider_errors_total`)
 * and logged once, and never reaches an actor.
 *
 * Message hooks fire per message and allocate their event object: for counting, prefer reading
 * `telemetry.collect()`, which costs nothing per message.
 *
 * @example
 * ```ts
 * const crashes: TelemetryProvider = {
 *   name: 'crash-log',
 *   onActorPanicked: (e) => console.error(`${e.type} ${e.pid} crashed in ${e.phase}`, e.error),
 * };
 * const telemetry = createTelemetry({ providers: [crashes] });
 * ```
 * @since 0.1.0
 */
export interface TelemetryProvider {
  /** A short, stable name (a label value of the provider-errors metric). */
  readonly name: string;
  /** Called when the provider is added to a telemetry instance. */
  start?(telemetry: Telemetry): void;
  /** Called when the telemetry's system has shut down, or the provider is removed. */
  shutdown?(): void | Promise<void>;
  onActorSpawned?(event: ActorSpawnedEvent): void;
  onActorStopped?(event: ActorStoppedEvent): void;
  onActorPanicked?(event: ActorPanickedEvent): void;
  onMessageSent?(event: MessageSentEvent): void;
  onMessageReceived?(event: MessageReceivedEvent): void;
  onSupervisorRestart?(event: SupervisorRestartEvent): void;
}

/** The hooks a provider may implement. */
export type ProviderHook =
  | 'onActorSpawned'
  | 'onActorStopped'
  | 'onActorPanicked'
  | 'onMessageSent'
  | 'onMessageReceived'
  | 'onSupervisorRestart';

/** Every {@link ProviderHook}. */
export const PROVIDER_HOOKS: readonly ProviderHook[] = Object.freeze([
  'onActorSpawned',
  'onActorStopped',
  'onActorPanicked',
  'onMessageSent',
  'onMessageReceived',
  'onSupervisorRestart',
]);
