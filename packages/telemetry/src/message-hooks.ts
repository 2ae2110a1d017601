/**
 * The message and signal hooks of telemetry: the hot path (sends, handling), links, monitors and signals.
 *
 * @module
 */
import { type ActorHandle, type ActorType, type ExitReason, type SendFailureReason, type SignalKind, type SignalOutcome } from '@joerl/core';
import { inc } from './histogram.js';
import { LifecycleHooks } from './lifecycle-hooks.js';
import { elapsed } from './telemetry-state.js';
import { CallToken, SpanToken, type TraceMeta } from './trace-state.js';
import type { Tracing } from './tracing.js';
import { FAILURE_INDEX, REASON_INDEX, type TypeStats } from './type-stats.js';

/** One layer of {@link Telemetry}: its hooks for this seam (see telemetry-state.ts). Not exported: use `Telemetry`. */
export abstract class MessageHooks extends LifecycleHooks {
  // ---------------------------------------------------------------------------------------
  // Instrumentation: messages (the hot path)

  // hot: every send. Sends are counted by core (per actor, read at collect): here only sampling.
  messageSent(target: ActorHandle, sender: ActorHandle | null, message: unknown): unknown {
    if (this.watchingSends) this.watchSend(target, sender, message);
    const timed = this.timing.take();
    if (this.tracing !== null) {
      const at = timed ? this.tickStamp() : Number.NaN;
      const meta = this.tracing.metaForSend(sender, this.spans.rate > 0 && this.spans.take(), at);
      return meta !== undefined ? meta : timed ? at : undefined;
    }
    return timed ? this.tickStamp() : undefined;
  }

  sendFailed(reason: SendFailureReason, targetType: ActorType | null, _sender: ActorHandle | null): void {
    const t = targetType === null ? this.unknown : ((targetType.slot as TypeStats | undefined) ?? this.unknown);
    inc(t.sendFailed, FAILURE_INDEX[reason]);
  }

  mailboxFull(actor: ActorHandle): void {
    (actor.actorType.slot as TypeStats).mailboxFull++;
  }

  // hot: every message handled
  messageStart(actor: ActorHandle, meta: unknown): unknown {
    if (meta === undefined) return undefined;
    // the previous message's end when this one follows it in the batch: one clock read per message
    const now = this.tickStamp();
    if (typeof meta === 'number') {
      (actor.actorType.slot as TypeStats).queueWait.observe(elapsed(meta, now));
      return now;
    }
    const m = meta as TraceMeta;
    const timed = !Number.isNaN(m.enqueuedAt);
    if (timed) (actor.actorType.slot as TypeStats).queueWait.observe(elapsed(m.enqueuedAt, now));
    return (this.tracing as Tracing).startHandling(actor, m, timed ? now : Number.NaN);
  }

  // hot: every message handled. Handled messages are counted by core: here only timings and spans.
  messageEnd(actor: ActorHandle, meta: unknown, token: unknown, failed: boolean, error: unknown): void {
    if (token === undefined && !this.receivedListeners) return;
    const t = actor.actorType.slot as TypeStats;
    let processingMs: number | undefined;
    if (token !== undefined) {
      if (typeof token === 'number') {
        const seconds = elapsed(token, this.stamp());
        processingMs = seconds * 1000;
        t.processing.observe(seconds);
      } else if (token instanceof SpanToken) {
        if (!Number.isNaN(token.startedAt)) {
          const seconds = elapsed(token.startedAt, this.stamp());
          processingMs = seconds * 1000;
          t.processing.observe(seconds);
        }
        (this.tracing as Tracing).endHandling(actor, token, failed, error);
      }
    }
    if (this.receivedListeners) this.emitReceived(t, actor, meta, token, failed, processingMs);
  }

  invoke<A, B, R>(token: unknown, fn: (a: A, b: B) => R, thisArg: unknown, a: A, b: B): R {
    if (token instanceof SpanToken || token instanceof CallToken) return (this.tracing as Tracing).run(token, fn, thisArg, a, b);
    return fn.call(thisArg, a, b);
  }

  // ---------------------------------------------------------------------------------------
  // Instrumentation: links, monitors, signals

  linkCreated(_a: ActorHandle, _b: ActorHandle): void {
    this.linksCreated++;
  }

  monitorCreated(_watcher: ActorHandle | null, _target: ActorHandle): void {
    this.monitorsCreated++;
  }

  signalSent(from: ActorHandle | null, to: ActorHandle, kind: SignalKind, reason: ExitReason): void {
    const t = from === null ? this.systemStats : (from.actorType.slot as TypeStats);
    t.signalsSent++;
    if (kind !== 'down') inc(this.exitSignals, REASON_INDEX[reason.kind]);
    if (this.tracing !== null && kind === 'exit') this.tracing.exitSent(from, to);
  }

  signalReceived(to: ActorHandle, kind: SignalKind, reason: ExitReason, outcome: SignalOutcome): void {
    const t = to.actorType.slot as TypeStats;
    t.signalsReceived++;
    if (outcome === 'ignored') t.signalsIgnored++;
    if (this.tracing !== null && kind === 'exit' && outcome === 'delivered') this.tracing.exitDelivered(to);
    if (this.actorTraces.actors.length !== 0 && this.actorTraces.traces(to)) this.traceEvent(to, { kind: 'signal', at: Date.now(), signal: kind, reason, outcome }, false);
  }
}
