/**
 * What a trace carries from one actor to the next: the parent context, how many hops deep the
 * trace is, and whether its spans are paid from the `sampling.spans` budget.
 *
 * @module
 */
import type { ActorHandle } from '@joerl/core';
import { type Context, createContextKey, type Span, type SpanKind } from '@opentelemetry/api';

/** @internal The key under which a message's context holds its {@link TraceState}, for code that finds it through the context manager (async continuations, timers). */
export const TRACE_STATE_KEY = createContextKey('joerl trace state');

/** @internal Where a trace stands: the context to continue it from, and the cost rules it follows. */
export class TraceState {
  constructor(
    /** The context new spans of this trace are children of (a token's is set once, right after its span starts). */
    public ctx: Context,
    /** Actor hops from where the trace entered joerl (0 outside any actor). */
    readonly hops: number,
    /** Whether joerl started the trace by sampling, so each span it adds is paid for by one new trace fewer. */
    readonly charged: boolean,
  ) {}
}

/** @internal The trace of a call request that came from another node: its client span is there, and the request's server span continues it here. */
export class RemoteCallState extends TraceState {}

/** @internal The meta a traced message carries: its parent context (W3C trace context), and its enqueue time if timed. */
export class TraceMeta {
  constructor(
    readonly parent: Context,
    readonly enqueuedAt: number,
    readonly kind: SpanKind,
    /** This message's hop in its trace (1 for the first message of a trace). */
    readonly hops: number,
    readonly charged: boolean,
  ) {}
}

/** @internal The token of a message handled in a span. */
export class SpanToken extends TraceState {
  /** Whether its handler returned a promise that has not settled yet. */
  suspended = false;

  constructor(
    /** The actor handling the message. */
    readonly actor: ActorHandle,
    readonly span: Span,
    ctx: Context,
    readonly startedAt: number,
    hops: number,
    charged: boolean,
  ) {
    super(ctx, hops, charged);
  }
}

/** @internal The token of a call traced with a client span (the request it sends is the next hop). */
export class CallToken extends TraceState {
  constructor(
    readonly span: Span,
    ctx: Context,
    readonly startedAt: number,
    hops: number,
    charged: boolean,
  ) {
    super(ctx, hops, charged);
  }
}
