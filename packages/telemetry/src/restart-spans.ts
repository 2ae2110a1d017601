/**
 * Supervisor restarts as spans of their own: a restart is recorded once it is over, on a span
 * that covers it, is a child of the span of the message whose crash caused it, and carries the
 * restarted children's spawns as events. The crash's own span has ended by then, so nothing is
 * ever added to it.
 *
 * @module
 */
import { type Attributes, type Context, ROOT_CONTEXT, SpanKind, type Tracer } from '@opentelemetry/api';
import type { ActorHandle, Pid } from '@joerl/core';

/** Events one restart keeps at most (a `one_for_all` restart of a large group keeps the first ones). */
const MAX_EVENTS = 64;

/** Wall-clock milliseconds with sub-millisecond precision, as OpenTelemetry takes a span or event time. */
function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

class PendingEvent {
  constructor(
    readonly name: string,
    readonly attributes: Attributes,
    readonly time: number,
  ) {}
}

/** What is known about one supervisor's next restart. */
class Supervision {
  /** The context of the traced crash that caused the exit it handles now, if that crash was traced. */
  parent: Context | undefined = undefined;
  /** The same for each exit signal queued to it, in order (a supervisor traps exits: each is delivered in turn). */
  readonly queued: (Context | undefined)[] = [];
  /** An exit reached the supervisor, and no restart was recorded since. */
  pending = false;
  /** When that exit reached it (wall clock). */
  began = 0;
  events: PendingEvent[] = [];
}

/** @internal Follows crashes to the supervisors that restart after them. Nothing here runs per message. */
export class RestartSpans {
  private readonly supervisors = new Map<Pid, Supervision>();
  /** Actors whose handler crashed in a span, until they stop: the context of that span. */
  private readonly crashes = new Map<ActorHandle, Context>();
  /** The crashed actor stopping now: its exit signals go out right after it is reported stopped. */
  private exiting: ActorHandle | null = null;
  private exitingCtx: Context | undefined = undefined;
  /** Supervisors with a restart possibly under way. */
  private pending = 0;

  constructor(private readonly tracer: Tracer) {}

  supervising(supervisor: ActorHandle): void {
    this.supervisors.set(supervisor.pid, new Supervision());
  }

  /** A handler of `actor` failed inside the span whose context is `ctx`. */
  crashed(actor: ActorHandle, ctx: Context): void {
    this.crashes.set(actor, ctx);
  }

  stopped(actor: ActorHandle): void {
    if (this.crashes.size !== 0) {
      const ctx = this.crashes.get(actor);
      if (ctx !== undefined) {
        this.crashes.delete(actor);
        this.exiting = actor;
        this.exitingCtx = ctx;
      }
    }
    if (this.supervisors.size !== 0) {
      const s = this.supervisors.get(actor.pid);
      if (s !== undefined) {
        if (s.pending) this.pending--;
        this.supervisors.delete(actor.pid);
      }
    }
  }

  /** An exit signal goes from `from` (null: from outside actors) to `to`: if `to` supervises `from`, a restart it causes continues the trace of `from`'s crash, if any. */
  exitSent(from: ActorHandle | null, to: ActorHandle): void {
    if (this.supervisors.size === 0) return;
    const s = this.supervisors.get(to.pid);
    if (s !== undefined) s.queued.push(from !== null && from === this.exiting ? this.exitingCtx : undefined);
  }

  /**
   * A supervisor is about to handle an exit signal: a restart may follow. A supervisor handles
   * the next signal only once it is done with this one, so whatever was kept before belongs to
   * an exit that caused no restart, and is dropped.
   */
  exitDelivered(to: ActorHandle): void {
    const s = this.supervisors.get(to.pid);
    if (s === undefined) return;
    if (!s.pending) this.pending++;
    s.pending = true;
    s.parent = s.queued.shift();
    s.began = wallNow();
    if (s.events.length !== 0) s.events = [];
  }

  /** Keeps an event of a restart `supervisor` may be doing; false if it is doing none. */
  record(supervisor: Pid, name: string, attributes: Attributes): boolean {
    if (this.pending === 0) return false;
    const s = this.supervisors.get(supervisor);
    if (s === undefined || !s.pending) return false;
    if (s.events.length < MAX_EVENTS) s.events.push(new PendingEvent(name, attributes, wallNow()));
    return true;
  }

  /** Records a finished restart (or the supervisor giving up) as a span. */
  finished(supervisor: ActorHandle, name: string, attributes: Attributes, durationMs: number): void {
    const s = this.supervisors.get(supervisor.pid);
    const now = wallNow();
    let start = now - durationMs;
    let parent: Context = ROOT_CONTEXT;
    let events: readonly PendingEvent[] = [];
    if (s !== undefined) {
      if (s.pending) {
        // From the exit that caused it (the supervisor's own clock may be a test clock).
        start = s.began;
        events = s.events;
        s.pending = false;
        s.events = [];
        this.pending--;
      }
      if (s.parent !== undefined) parent = s.parent;
      s.parent = undefined;
    }
    const span = this.tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes, startTime: start }, parent);
    for (const e of events) span.addEvent(e.name, e.attributes, e.time);
    span.end(now);
  }
}
