/**
 * The message trace of one actor, like OTP's `sys:trace`: the next messages arriving in its
 * mailbox and the signals it takes, each with a timestamp, bounded in count and in time, every
 * payload passed through a redaction hook and formatted as bounded text at once (nothing of a
 * payload is kept). Traces are started and stopped as actions; they run through telemetry's
 * `trace()`, so actors not traced pay nothing while no trace runs.
 *
 * @module
 */
import { type ActorHandle, type ActorSystem, formatValue, type Pid, type TimerHandle } from '@joerl/core';
import { formatMessage } from '@joerl/gen';
import type { Telemetry, TraceEvent } from '@joerl/telemetry';

/** Events a trace records unless told otherwise. */
export const DEFAULT_TRACE_EVENTS = 100;
/** Events a trace may be asked to record at most. */
export const MAX_TRACE_EVENTS = 1000;
/** How long a trace runs unless told otherwise, ms. */
export const DEFAULT_TRACE_MS = 60_000;
/** How long a trace may be asked to run at most, ms. */
export const MAX_TRACE_MS = 600_000;
/** Traces running at once; starting one more is refused. */
export const MAX_TRACES = 4;
/** Finished traces kept for reading, the oldest forgotten first. */
export const KEPT_TRACES = 16;
/** Longest text of one traced payload. */
export const MAX_TRACE_TEXT = 300;

/**
 * How a traced message came, for the redaction hook:
 * `call` / `cast` (a GenServer or GenStatem request: `message` is the request), `stop` (a
 * server asked to stop: the reason), `timeout` (a GenStatem timeout firing: its event), or
 * `info` (anything else sent to the actor: the message).
 * @since 0.1.0
 */
export interface TracedMessage {
  readonly via: 'call' | 'cast' | 'stop' | 'timeout' | 'info';
  readonly message: unknown;
  /** The traced actor. */
  readonly pid: Pid;
  /** The traced actor's type. */
  readonly actorType: string;
}

/**
 * The redaction hook: what of a traced message the page may show. Its result is formatted as
 * bounded text (core's `formatValue`). The default is {@link defaultRedact}.
 * @since 0.1.0
 */
export type Redact = (traced: TracedMessage) => unknown;

/**
 * The default {@link Redact}. What the behaviour consents to show, when it is a GenServer or
 * GenStatem whose definition has a `formatMessage` callback (`@joerl/gen`, OTP's
 * `format_status` for messages); otherwise nothing of a payload but its tag: the string `kind`
 * (or `type`, or `tag`) of an object message, as in `{ kind: 'advance', ... }`, or else its
 * JavaScript type (`string`, `number`, `object`...). A string message shows as `string`: it
 * could be anything.
 * @since 0.1.0
 */
export function defaultRedact(traced: TracedMessage): unknown {
  const consented = traced.via === 'call' || traced.via === 'cast' || traced.via === 'info' ? formatMessage(traced.pid, traced.message) : undefined;
  if (consented !== undefined) {
    return consented.kind === 'status' ? consented.value : `(formatMessage failed: ${formatValue(consented.error, 100)})`;
  }
  return tagOf(traced.message);
}

/** A message's tag: its string `kind`, `type` or `tag`, or else its JavaScript type. Never throws. */
function tagOf(m: unknown): string {
  if (typeof m !== 'object' || m === null) return m === null ? 'null' : typeof m;
  try {
    for (const key of ['kind', 'type', 'tag']) {
      const tag = (m as Record<string, unknown>)[key];
      if (typeof tag === 'string') return tag.length > 60 ? `${tag.slice(0, 60)}…` : tag;
    }
    return Array.isArray(m) ? 'array' : 'object';
  } catch {
    return 'object'; // a revoked Proxy or a throwing getter shows as what it is, an object
  }
}

/**
 * One traced event, as text.
 * @since 0.1.0
 */
export interface TraceEntry {
  /** `Date.now()` when it happened. */
  readonly at: number;
  readonly kind: 'message' | 'signal' | 'exit';
  /** The sender of a message (a pid), or null from outside any actor and for signals. */
  readonly from: string | null;
  /** `cast advance`, `exit shutdown → ignored`, `exited: normal`... */
  readonly text: string;
}

/**
 * A trace, running or finished.
 * @since 0.1.0
 */
export interface TraceView {
  readonly pid: string;
  readonly pidId: number;
  readonly type: string;
  readonly running: boolean;
  /** Why it ended: its count or time bound was reached, it was stopped, or the actor exited. */
  readonly ended: 'count' | 'time' | 'stopped' | 'exited' | null;
  readonly maxEvents: number;
  readonly maxMs: number;
  readonly startedAt: number;
  readonly events: readonly TraceEntry[];
}

/** @internal the outcome of starting a trace */
export type TraceStart = { readonly ok: true; readonly view: TraceView } | { readonly ok: false; readonly error: string };

class Trace {
  running = true;
  ended: TraceView['ended'] = null;
  readonly events: TraceEntry[] = [];
  stopTelemetry: (() => void) | null = null;
  timer: TimerHandle = undefined;
  armed = false;
  constructor(
    readonly handle: ActorHandle,
    readonly maxEvents: number,
    readonly maxMs: number,
    readonly startedAt: number,
  ) {}

  view(): TraceView {
    const h = this.handle;
    return { pid: h.pid.toString(), pidId: h.pid.id, type: h.type, running: this.running, ended: this.ended, maxEvents: this.maxEvents, maxMs: this.maxMs, startedAt: this.startedAt, events: this.events.slice() };
  }
}

/** @internal the traces of one observer */
export class MessageTraces {
  private readonly traces = new Map<number, Trace>();

  constructor(
    private readonly system: ActorSystem,
    private readonly telemetry: Telemetry,
    private readonly redact: Redact,
  ) {}

  /** Starts tracing `handle` (replacing a trace of it that has finished or still runs). */
  start(handle: ActorHandle, maxEvents: number, maxMs: number): TraceStart {
    const id = handle.pid.id;
    const previous = this.traces.get(id);
    if (previous !== undefined) this.finish(previous, 'stopped');
    if (this.running() >= MAX_TRACES) return { ok: false, error: `at most ${MAX_TRACES} traces run at once: stop one first` };
    const trace = new Trace(handle, maxEvents, maxMs, Date.now());
    const stop = this.telemetry.trace(handle.pid, (event) => this.record(trace, event));
    if (stop === null) return { ok: false, error: 'noproc, or too many traces on this telemetry' };
    trace.stopTelemetry = stop;
    trace.timer = this.system.clock.setTimeout((t: Trace) => this.finish(t, 'time'), maxMs, trace);
    trace.armed = true;
    this.traces.delete(id);
    this.traces.set(id, trace);
    this.forgetOld();
    return { ok: true, view: trace.view() };
  }

  /** Stops the trace of pid number `pidId`; false if none runs. */
  stop(pidId: number): boolean {
    const trace = this.traces.get(pidId);
    if (trace === undefined || !trace.running) return false;
    this.finish(trace, 'stopped');
    return true;
  }

  /** The trace of pid number `pidId`, running or finished. */
  view(pidId: number): TraceView | undefined {
    return this.traces.get(pidId)?.view();
  }

  /** Stops every trace (the observer closes). */
  close(): void {
    for (const t of this.traces.values()) this.finish(t, 'stopped');
  }

  private running(): number {
    let n = 0;
    for (const t of this.traces.values()) if (t.running) n++;
    return n;
  }

  private forgetOld(): void {
    for (const [id, t] of this.traces) {
      if (this.traces.size <= KEPT_TRACES) return;
      if (!t.running) this.traces.delete(id);
    }
  }

  // on the traced actor's hot path: formats at once, keeps no payload
  private record(trace: Trace, event: TraceEvent): void {
    if (!trace.running) return;
    trace.events.push(this.entry(trace.handle, event));
    if (event.kind === 'exit') this.finish(trace, 'exited');
    else if (trace.events.length >= trace.maxEvents) this.finish(trace, 'count');
  }

  private entry(handle: ActorHandle, event: TraceEvent): TraceEntry {
    switch (event.kind) {
      case 'message': {
        const traced = describe(event.message, handle.pid, handle.type);
        let shown: unknown;
        try {
          shown = this.redact(traced);
        } catch (error) {
          shown = `(redact failed: ${formatValue(error, 100)})`;
        }
        return { at: event.at, kind: 'message', from: event.from === null ? null : event.from.toString(), text: `${traced.via} ${formatValue(shown, MAX_TRACE_TEXT)}` };
      }
      case 'signal':
        return { at: event.at, kind: 'signal', from: null, text: `${event.signal} ${event.reason.kind} → ${event.outcome}` };
      case 'exit':
        return { at: event.at, kind: 'exit', from: null, text: `exited: ${event.reason.kind}` };
      default: {
        const never: never = event;
        return never;
      }
    }
  }

  private finish(trace: Trace, why: NonNullable<TraceView['ended']>): void {
    if (!trace.running) return;
    trace.running = false;
    trace.ended = why;
    trace.stopTelemetry?.();
    if (trace.armed) this.system.clock.clearTimeout(trace.timer);
  }
}

/** A message as the redaction hook sees it: `@joerl/gen`'s envelopes (tagged `'@joerl'`) opened. */
function describe(message: unknown, pid: Pid, actorType: string): TracedMessage {
  if (typeof message === 'object' && message !== null) {
    try {
      const m = message as { '@joerl'?: unknown; request?: unknown; reason?: unknown; event?: unknown };
      switch (m['@joerl']) {
        case 'call':
          return { via: 'call', message: m.request, pid, actorType };
        case 'cast':
          return { via: 'cast', message: m.request, pid, actorType };
        case 'stop':
          return { via: 'stop', message: m.reason, pid, actorType };
        case 'timeout':
          return { via: 'timeout', message: m.event, pid, actorType };
        default:
          break;
      }
    } catch {
      // a revoked Proxy or a throwing getter: a user message like any other
    }
  }
  return { via: 'info', message, pid, actorType };
}
