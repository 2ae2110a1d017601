/**
 * A provider that remembers everything: for tests of code that uses joerl.
 *
 * @module
 */
import type {
  ActorPanickedEvent,
  ActorSpawnedEvent,
  ActorStoppedEvent,
  MessageReceivedEvent,
  MessageSentEvent,
  SupervisorRestartEvent,
  TelemetryProvider,
} from './provider.js';
import type { HistogramSample, Labels, MetricFamily } from './snapshot.js';
import type { Telemetry } from './telemetry.js';

/** One recorded hook call. */
export type RecordedEvent =
  | { readonly hook: 'onActorSpawned'; readonly event: ActorSpawnedEvent }
  | { readonly hook: 'onActorStopped'; readonly event: ActorStoppedEvent }
  | { readonly hook: 'onActorPanicked'; readonly event: ActorPanickedEvent }
  | { readonly hook: 'onMessageSent'; readonly event: MessageSentEvent }
  | { readonly hook: 'onMessageReceived'; readonly event: MessageReceivedEvent }
  | { readonly hook: 'onSupervisorRestart'; readonly event: SupervisorRestartEvent };

/** The event type of a hook. */
export type EventOf<H extends RecordedEvent['hook']> = Extract<RecordedEvent, { hook: H }>['event'];

/**
 * Records every hook call in order and reads the catalog's values from the telemetry it was
 * added to. Message hooks are recorded only with `{ messages: true }` (they fire per message).
 *
 * @example
 * ```ts
 * const memory = new InMemoryProvider();
 * const telemetry = createTelemetry({ providers: [memory] });
 * const system = new ActorSystem({ instrumentation: telemetry });
 * // ... run the code under test ...
 * expect(memory.value('joerl_messages_processed_total', { type: 'worker' })).toBe(3);
 * expect(memory.events.filter((e) => e.hook === 'onActorPanicked')).toHaveLength(1);
 * ```
 * @since 0.1.0
 */
export class InMemoryProvider implements TelemetryProvider {
  readonly name: string;
  /** Every recorded hook call, in order. */
  readonly events: RecordedEvent[] = [];
  private telemetry: Telemetry | null = null;
  private readonly withMessages: boolean;
  /** Set when the telemetry's system shut down. */
  stopped = false;

  constructor(options: { name?: string; messages?: boolean } = {}) {
    this.name = options.name ?? 'in-memory';
    this.withMessages = options.messages ?? false;
    if (this.withMessages) {
      this.onMessageSent = (event) => void this.events.push({ hook: 'onMessageSent', event });
      this.onMessageReceived = (event) => void this.events.push({ hook: 'onMessageReceived', event });
    }
  }

  onMessageSent?: (event: MessageSentEvent) => void;
  onMessageReceived?: (event: MessageReceivedEvent) => void;

  start(telemetry: Telemetry): void {
    this.telemetry = telemetry;
  }

  shutdown(): void {
    this.stopped = true;
  }

  onActorSpawned(event: ActorSpawnedEvent): void {
    this.events.push({ hook: 'onActorSpawned', event });
  }

  onActorStopped(event: ActorStoppedEvent): void {
    this.events.push({ hook: 'onActorStopped', event });
  }

  onActorPanicked(event: ActorPanickedEvent): void {
    this.events.push({ hook: 'onActorPanicked', event });
  }

  onSupervisorRestart(event: SupervisorRestartEvent): void {
    this.events.push({ hook: 'onSupervisorRestart', event });
  }

  /** The recorded events of one hook. */
  of<H extends RecordedEvent['hook']>(hook: H): EventOf<H>[] {
    const out: EventOf<H>[] = [];
    for (const e of this.events) if (e.hook === hook) out.push(e.event as EventOf<H>);
    return out;
  }

  /** The catalog's current values. */
  collect(): MetricFamily[] {
    return this.attached().collect();
  }

  /** A metric's current value, summed over samples matching `labels` (a histogram's `_count`). */
  value(name: string, labels: Labels = {}): number {
    return this.attached().value(name, labels);
  }

  /** A histogram sample with exactly these labels. */
  histogram(name: string, labels: Labels = {}): HistogramSample | undefined {
    return this.attached().histogram(name, labels);
  }

  private attached(): Telemetry {
    if (this.telemetry === null) throw new Error('InMemoryProvider: add it to a telemetry instance first (createTelemetry({ providers: [provider] }))');
    return this.telemetry;
  }
}
