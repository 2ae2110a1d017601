/**
 * Spans through `@opentelemetry/api`: a message carries its sender's trace context, the receiver
 * handles it in a child span, and calls get a client span at the caller and a server span in the
 * handler. Without a registered OpenTelemetry SDK every span is a no-op.
 *
 * @module
 */
import {
  type Attributes,
  type Context,
  context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { ActorHandle, CallOutcome } from '@joerl/core';

/** Tracing options. */
export interface TracingOptions {
  /** The tracer to use (default: `trace.getTracer('@joerl/telemetry')` from the global provider). */
  readonly tracer?: Tracer;
}

/** @internal The meta a traced message carries: its parent context (W3C trace context), and its enqueue time if timed. */
export class TraceMeta {
  constructor(
    readonly parent: Context,
    readonly enqueuedAt: number,
    readonly kind: SpanKind,
  ) {}
}

/** @internal The token of a message handled in a span. */
export class SpanToken {
  constructor(
    readonly span: Span,
    readonly ctx: Context,
    readonly startedAt: number,
  ) {}
}

/** @internal The token of a call traced with a client span. */
export class CallToken {
  constructor(
    readonly span: Span,
    readonly ctx: Context,
    readonly startedAt: number,
  ) {}
}

const SYSTEM = 'joerl';

/** @internal */
export class Tracing {
  readonly tracer: Tracer;
  /** Set while a call's request is being sent, so its receiver opens a server span. */
  sendingCall = false;

  constructor(options: TracingOptions) {
    this.tracer = options.tracer ?? trace.getTracer('@joerl/telemetry');
  }

  /** The context a send should carry: the active one if it holds a span, else a new root if `root` says so. */
  parentForSend(root: boolean): Context | undefined {
    const active = context.active();
    const span = trace.getSpan(active);
    if (span !== undefined && span.spanContext().traceId !== '00000000000000000000000000000000') return active;
    return root ? ROOT_CONTEXT : undefined;
  }

  startHandling(actor: ActorHandle, meta: TraceMeta, startedAt: number): SpanToken {
    const server = meta.kind === SpanKind.SERVER;
    const span = this.tracer.startSpan(
      server ? `${actor.type} handle_call` : `process ${actor.type}`,
      { kind: meta.kind, attributes: actorAttributes(actor, server ? 'process' : 'process') },
      meta.parent,
    );
    return new SpanToken(span, trace.setSpan(meta.parent, span), startedAt);
  }

  endHandling(token: SpanToken, failed: boolean, error: unknown): void {
    if (failed) {
      if (error !== undefined) {
        token.span.recordException(error instanceof Error ? error : { message: describe(error) });
        token.span.addEvent('joerl.actor.crashed');
      }
      token.span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : 'handler failed' });
    }
    token.span.end();
  }

  startCall(server: ActorHandle, parent: Context, startedAt: number): CallToken {
    const span = this.tracer.startSpan(
      `call ${server.type}`,
      { kind: SpanKind.CLIENT, attributes: { ...actorAttributes(server, 'send'), 'rpc.system': SYSTEM, 'rpc.method': 'call' } },
      parent,
    );
    return new CallToken(span, trace.setSpan(parent, span), startedAt);
  }

  endCall(token: CallToken, outcome: CallOutcome): void {
    token.span.setAttribute('joerl.call.outcome', outcome);
    if (outcome !== 'ok') token.span.setStatus({ code: SpanStatusCode.ERROR, message: `call ${outcome}` });
    token.span.end();
  }

  /** Adds an event to the active span, if there is one. */
  event(name: string, attributes: Attributes): void {
    trace.getActiveSpan()?.addEvent(name, attributes);
  }

  /** Records an event on the active span, or as a short span of its own when none is active. */
  eventOrSpan(name: string, attributes: Attributes): void {
    const active = trace.getActiveSpan();
    if (active !== undefined) {
      active.addEvent(name, attributes);
      return;
    }
    this.tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes }).end();
  }

  run<A, B, R>(ctx: Context, fn: (a: A, b: B) => R, thisArg: unknown, a: A, b: B): R {
    return context.with(ctx, fn, thisArg, a, b);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
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
