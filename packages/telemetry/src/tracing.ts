/**
 * Spans through `@opentelemetry/api`: a message carries its sender's trace context, the receiver
 * handles it in a child span, and calls get a client span at the caller and a server span in the
 * handler. Without a registered OpenTelemetry SDK every span is a no-op.
 *
 * The trace context belongs to each message. Inside a handler, a send carries the trace of the
 * message being handled, which telemetry knows without asking the context manager: a message
 * outside any trace sends nothing on, and costs no context lookup. The context manager is asked
 * only where a trace may come from outside joerl's knowledge: code outside actors (an HTTP
 * handler in a span, a timer), and async continuations while a traced handler awaits.
 *
 * @module
 */
import { type Attributes, type Context, context, isSpanContextValid, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { type ActorHandle, type CallOutcome, formatValue, InvalidConfigError, type RemoteTrace } from '@joerl/core';
import { RestartSpans } from './restart-spans.js';
import { CallToken, RemoteCallState, SpanToken, TRACE_STATE_KEY, TraceMeta, TraceState } from './trace-state.js';
import { readTrace, writeTrace } from './w3c-trace-context.js';

/** Tracing options. */
export interface TracingOptions {
  /** The tracer to use (default: `trace.getTracer('@joerl/telemetry')` from the global provider). */
  readonly tracer?: Tracer;
  /**
   * Most actor hops one trace follows (default {@link DEFAULT_MAX_HOPS}). A message sent from
   * the last hop starts no span: the trace ends there, and the span of that last hop gets the
   * attribute `joerl.trace.truncated`. This bounds traces that would never end, such as an actor
   * that sends itself its next message, or a periodic tick re-armed from its own handler.
   */
  readonly maxHops?: number;
}

/** The default of {@link TracingOptions.maxHops}. */
export const DEFAULT_MAX_HOPS = 64;

const SYSTEM = 'joerl';

/** The tracing side of a telemetry instance (not exported: configure it through `TelemetryOptions.tracing`). */
export class Tracing {
  readonly tracer: Tracer;
  readonly maxHops: number;
  /** The trace of the handler (or call request) running synchronously now, or null. */
  private current: TraceState | null = null;
  /** Actors whose traced handler awaits a promise: code they run outside a handler may be its continuation. */
  private readonly awaiting = new Set<ActorHandle>();
  /** Spans added to traces joerl started by sampling, not yet paid for by a root sample given up. */
  private owed = 0;
  private readonly restarts: RestartSpans;

  constructor(options: TracingOptions) {
    this.tracer = options.tracer ?? trace.getTracer('@joerl/telemetry');
    this.maxHops = options.maxHops === undefined ? DEFAULT_MAX_HOPS : options.maxHops;
    if (!Number.isInteger(this.maxHops) || this.maxHops < 1) {
      throw new InvalidConfigError('tracing.maxHops', options.maxHops, 'a positive integer (actor hops one trace follows)');
    }
    this.restarts = new RestartSpans(this.tracer);
  }

  /**
   * The trace code running now belongs to, if any. `inActor` says whether it runs for an actor
   * (its sender or spawner is one) rather than outside any; `actor` is that actor, when known.
   */
  // hot: every send and call while tracing is on
  private stateFor(inActor: boolean, actor: ActorHandle | null): TraceState | undefined {
    const current = this.current;
    if (current !== null) return current;
    // Code of an actor outside a traced handler: a handler of an untraced message, init, terminate,
    // or the continuation of an async handler. Only the last can be traced, and only if that
    // handler is: nothing to propagate otherwise, and no lookup. (Work an earlier traced message
    // left running detached is not followed while the actor handles an untraced one.)
    if (inActor) {
      const awaiting = this.awaiting;
      if (awaiting.size === 0 || (actor !== null && !awaiting.has(actor))) return undefined;
    }
    return activeState();
  }

  /**
   * A sample of `sampling.spans` first pays for a span already added to a trace joerl started;
   * only an unspent one may start a new trace. So such traces cost about the sampling rate of
   * the messages sent, however long they grow.
   */
  private spend(sampled: boolean): boolean {
    if (!sampled) return false;
    if (this.owed === 0) return true;
    this.owed--;
    return false;
  }

  /** The meta of a message `sender` (null outside actors) sends, or undefined if it is not traced. `sampled`: `sampling.spans` chose this send. */
  // hot: every send while tracing is on
  metaForSend(sender: ActorHandle | null, sampled: boolean, enqueuedAt: number): TraceMeta | undefined {
    const state = this.stateFor(sender !== null, sender);
    if (state !== undefined) {
      if (state.hops < this.maxHops) {
        if (state.charged) this.owed++;
        this.spend(sampled);
        const kind = this.current instanceof CallToken ? SpanKind.SERVER : SpanKind.CONSUMER;
        return new TraceMeta(state.ctx, enqueuedAt, kind, state.hops + 1, state.charged);
      }
      truncated(state);
    }
    return this.spend(sampled) ? new TraceMeta(ROOT_CONTEXT, enqueuedAt, SpanKind.CONSUMER, 1, true) : undefined;
  }

  startHandling(actor: ActorHandle, meta: TraceMeta, startedAt: number): SpanToken {
    const server = meta.kind === SpanKind.SERVER;
    const span = this.tracer.startSpan(
      server ? `${actor.type} handle_call` : `process ${actor.type}`,
      { kind: meta.kind, attributes: actorAttributes(actor, 'process') },
      meta.parent,
    );
    const token = new SpanToken(actor, span, meta.parent, startedAt, meta.hops, meta.charged);
    token.ctx = trace.setSpan(meta.parent, span).setValue(TRACE_STATE_KEY, token);
    return token;
  }

  endHandling(actor: ActorHandle, token: SpanToken, failed: boolean, error: unknown): void {
    if (token.suspended) {
      token.suspended = false;
      this.awaiting.delete(actor);
    }
    if (failed) {
      if (error !== undefined) {
        recordException(token.span, error);
        token.span.addEvent('joerl.actor.crashed');
      }
      token.span.setStatus({ code: SpanStatusCode.ERROR, message: error === undefined ? 'handler failed' : errorMessage(error) });
      this.restarts.crashed(actor, token.ctx);
    }
    token.span.end();
  }

  /** A client span for a call `caller` (null outside actors) makes, or undefined if the call is not traced. */
  startCall(server: ActorHandle, caller: ActorHandle | null, sampled: boolean, startedAt: number): CallToken | undefined {
    const state = this.stateFor(caller !== null, caller);
    if (state instanceof RemoteCallState) {
      // Serving a call from another node: its client span is there, so the request's server span
      // is a child of that one, and no client span is made here.
      const remote = trace.getSpan(state.ctx);
      return remote === undefined ? undefined : new CallToken(remote, state.ctx, startedAt, state.hops, false);
    }
    return this.clientSpan(`call ${server.type}`, { ...actorAttributes(server, 'send'), 'rpc.system': SYSTEM, 'rpc.method': 'call' }, state, sampled, startedAt);
  }

  /** A client span for a call `caller` makes to a server on node `peer`, or undefined if the call is not traced. */
  startRemoteCall(peer: string, caller: ActorHandle | null, sampled: boolean): CallToken | undefined {
    const state = this.stateFor(caller !== null, caller);
    return this.clientSpan(`call ${peer}`, { 'rpc.system': SYSTEM, 'rpc.method': 'call', 'server.address': peer, 'joerl.peer': peer }, state, sampled, Number.NaN);
  }

  private clientSpan(name: string, attributes: Attributes, state: TraceState | undefined, sampled: boolean, startedAt: number): CallToken | undefined {
    let parent: Context = ROOT_CONTEXT;
    let hops = 0;
    let charged = true;
    if (state !== undefined && state.hops < this.maxHops) {
      parent = state.ctx;
      hops = state.hops;
      charged = state.charged;
      if (charged) this.owed++;
      this.spend(sampled);
    } else {
      if (state !== undefined) truncated(state);
      if (!this.spend(sampled)) return undefined;
    }
    const span = this.tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent);
    const token = new CallToken(span, parent, startedAt, hops, charged);
    token.ctx = trace.setSpan(parent, span).setValue(TRACE_STATE_KEY, token);
    return token;
  }

  endCall(token: CallToken, outcome: CallOutcome): void {
    token.span.setAttribute('joerl.call.outcome', outcome);
    if (outcome !== 'ok') token.span.setStatus({ code: SpanStatusCode.ERROR, message: `call ${outcome}` });
    token.span.end();
  }

  // ---------------------------------------------------------------------------------------
  // Across nodes: W3C trace context in the transport's headers

  /** The trace context a message `sender` (null outside actors) sends to another node carries, if it is traced. */
  // hot: every remote send while tracing is on
  traceOut(sender: ActorHandle | null): RemoteTrace | undefined {
    const state = this.stateFor(sender !== null, sender);
    if (state === undefined) return undefined;
    if (state.hops >= this.maxHops) {
      truncated(state);
      return undefined;
    }
    const span = trace.getSpan(state.ctx);
    if (span === undefined) return undefined;
    const sc = span.spanContext();
    return isSpanContextValid(sc) ? writeTrace(sc, state.hops) : undefined;
  }

  /** The trace context a remote call's request carries: its client span. */
  traceOf(call: CallToken): RemoteTrace | undefined {
    const sc = call.span.spanContext();
    return isSpanContextValid(sc) ? writeTrace(sc, call.hops) : undefined;
  }

  /**
   * A message (or call request, `call`) from another node arrived with `remote`: until
   * {@link Tracing.traceEnd}, the send that delivers it continues that trace. Returns what
   * `traceEnd` restores; a context that does not parse is ignored.
   */
  traceIn(remote: RemoteTrace, call: boolean): unknown {
    const read = readTrace(remote);
    if (read === undefined) return NOT_ENTERED;
    const ctx = trace.setSpanContext(ROOT_CONTEXT, read.span);
    const previous = this.current;
    this.current = call ? new RemoteCallState(ctx, read.hops, false) : new TraceState(ctx, read.hops, false);
    return previous;
  }

  traceEnd(previous: unknown): void {
    if (previous !== NOT_ENTERED) this.current = previous as TraceState | null;
  }

  /** Runs a handler (or a call's request) in its trace: as the current trace, and as the active context for code that asks for it. */
  run<A, B, R>(token: SpanToken | CallToken, fn: (a: A, b: B) => R, thisArg: unknown, a: A, b: B): R {
    const previous = this.current;
    this.current = token;
    try {
      const result = context.with(token.ctx, fn, thisArg, a, b);
      if (token instanceof SpanToken && isThenable(result)) {
        token.suspended = true;
        this.awaiting.add(token.actor);
      }
      return result;
    } finally {
      this.current = previous;
    }
  }

  /** Adds an event to the live span of the code running now, if any (`inActor`: see {@link Tracing.stateFor}). */
  event(inActor: boolean, name: string, attributes: Attributes): void {
    const state = this.stateFor(inActor, null);
    if (state === undefined) return;
    const span = trace.getSpan(state.ctx);
    if (span !== undefined && span.isRecording()) span.addEvent(name, attributes);
  }

  // ---------------------------------------------------------------------------------------
  // Lifecycle and supervision: never per message

  spawned(actor: ActorHandle): void {
    const attributes = { 'joerl.actor.type': actor.type, 'joerl.actor.pid': actor.pid.toString() };
    const parent = actor.parent;
    // A spawn outside any handler's span, by a supervisor restarting, belongs to the restart.
    if (this.current === null && parent !== null && this.restarts.record(parent, 'joerl.actor.spawned', attributes)) return;
    this.event(parent !== null, 'joerl.actor.spawned', attributes);
  }

  stopped(actor: ActorHandle): void {
    this.restarts.stopped(actor);
  }

  supervising(supervisor: ActorHandle): void {
    this.restarts.supervising(supervisor);
  }

  exitSent(from: ActorHandle | null, to: ActorHandle): void {
    this.restarts.exitSent(from, to);
  }

  exitDelivered(to: ActorHandle): void {
    this.restarts.exitDelivered(to);
  }

  restarted(supervisor: ActorHandle, strategy: string, childType: string, durationMs: number): void {
    this.restarts.finished(supervisor, 'joerl.supervisor.restart', { ...supervisorAttributes(supervisor), 'joerl.supervisor.strategy': strategy, 'joerl.child.type': childType }, durationMs);
  }

  intensityExceeded(supervisor: ActorHandle): void {
    this.restarts.finished(supervisor, 'joerl.supervisor.intensity_exceeded', supervisorAttributes(supervisor), 0);
  }
}

/** What {@link Tracing.traceIn} returns when it did not enter a trace. */
const NOT_ENTERED: unique symbol = Symbol('not entered');

/** The trace the context manager holds as active, if any: joerl's own (with its hops), or one started outside joerl. */
function activeState(): TraceState | undefined {
  const active = context.active();
  const span = trace.getSpan(active);
  if (span === undefined) return undefined;
  const own = active.getValue(TRACE_STATE_KEY) as TraceState | undefined;
  if (own !== undefined) return own.ctx === active ? own : new TraceState(active, own.hops, own.charged);
  return isSpanContextValid(span.spanContext()) ? new TraceState(active, 0, false) : undefined;
}

/** Marks the span of a message whose sends go past the hop limit. */
function truncated(state: TraceState): void {
  if (state instanceof SpanToken && state.span.isRecording()) state.span.setAttribute('joerl.trace.truncated', true);
}

/** Records what a handler threw, whatever it is: an Error whose getters throw is recorded by its formatted text. */
function recordException(span: Span, error: unknown): void {
  if (error instanceof Error) {
    try {
      span.recordException(error);
      return;
    } catch {
      // a hostile Error: fall through to its formatted text
    }
  }
  span.recordException({ message: formatValue(error) });
}

function errorMessage(error: unknown): string {
  try {
    if (error instanceof Error && typeof error.message === 'string') return error.message;
  } catch {
    // a throwing `message` getter
  }
  return formatValue(error);
}

function isThenable(value: unknown): boolean {
  return value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function';
}

function supervisorAttributes(supervisor: ActorHandle): Attributes {
  return { 'joerl.supervisor.type': supervisor.type, 'joerl.supervisor.pid': supervisor.pid.toString() };
}

function actorAttributes(actor: ActorHandle, operation: 'process' | 'send'): Attributes {
  return {
    'messaging.system': SYSTEM,
    'messaging.operation.type': operation,
    'messaging.destination.name': actor.type,
    'joerl.actor.type': actor.type,
    'joerl.actor.pid': actor.pid.toString(),
  };
}
