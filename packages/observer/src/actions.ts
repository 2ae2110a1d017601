/**
 * The actions an operator may take from the observer when they are enabled: kill or exit an
 * actor, restart or terminate a supervisor's child. Each is checked, then logged.
 *
 * @module
 */
import { type ActorSystem, ExitReason, formatValue } from '@joerl/core';
import { ServerRef, Supervisor, type SupervisorCall } from '@joerl/gen';
import { actorInsight } from '@joerl/telemetry';
import { findHandle } from './actor-detail.js';
import { DEFAULT_TRACE_EVENTS, DEFAULT_TRACE_MS, MAX_TRACE_EVENTS, MAX_TRACE_MS, type MessageTraces } from './message-trace.js';

/**
 * An action, as the body of `POST /api/actions`.
 * - `kill`: an untrappable exit signal (`kill`), as `exit(Pid, kill)`;
 * - `exit`: an exit signal with reason `shutdown` (trapping actors receive it);
 * - `terminate_child` / `restart_child`: of a static supervisor, by child id;
 * - `trace_start` / `trace_stop`: the message trace of an actor (`sys:trace`), recording at most
 *   `maxEvents` events (default {@link DEFAULT_TRACE_EVENTS}, at most {@link MAX_TRACE_EVENTS})
 *   for at most `maxMs` (default {@link DEFAULT_TRACE_MS}, at most {@link MAX_TRACE_MS}).
 * @since 0.1.0
 */
export type Action =
  | { readonly kind: 'trace_start'; readonly pid: number; readonly maxEvents: number; readonly maxMs: number }
  | { readonly kind: 'trace_stop'; readonly pid: number }
  | { readonly kind: 'kill'; readonly pid: number }
  | { readonly kind: 'exit'; readonly pid: number }
  | { readonly kind: 'terminate_child'; readonly supervisor: number; readonly id: string }
  | { readonly kind: 'restart_child'; readonly supervisor: number; readonly id: string };

/** @internal an action read from untrusted JSON, or null */
export function parseAction(body: unknown): Action | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  const kind = b.kind;
  if ((kind === 'kill' || kind === 'exit' || kind === 'trace_stop') && isId(b.pid)) return { kind, pid: b.pid };
  if (kind === 'trace_start' && isId(b.pid)) {
    const maxEvents = b.maxEvents ?? DEFAULT_TRACE_EVENTS;
    const maxMs = b.maxMs ?? DEFAULT_TRACE_MS;
    if (!Number.isInteger(maxEvents) || (maxEvents as number) < 1 || (maxEvents as number) > MAX_TRACE_EVENTS) return null;
    if (!Number.isInteger(maxMs) || (maxMs as number) < 1 || (maxMs as number) > MAX_TRACE_MS) return null;
    return { kind, pid: b.pid, maxEvents: maxEvents as number, maxMs: maxMs as number };
  }
  if ((kind === 'terminate_child' || kind === 'restart_child') && isId(b.supervisor) && typeof b.id === 'string' && b.id.length > 0 && b.id.length <= 200) {
    return { kind, supervisor: b.supervisor, id: b.id };
  }
  return null;
}

function isId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** @internal what an action did */
export type ActionOutcome = { readonly ok: true; readonly detail: string } | { readonly ok: false; readonly status: number; readonly error: string };

/** @internal runs a checked action */
export async function runAction(system: ActorSystem, traces: MessageTraces, action: Action): Promise<ActionOutcome> {
  switch (action.kind) {
    case 'trace_start': {
      const h = findHandle(system, action.pid);
      if (h === undefined) return { ok: false, status: 404, error: 'noproc' };
      const started = traces.start(h, action.maxEvents, action.maxMs);
      if (!started.ok) return { ok: false, status: 409, error: started.error };
      return { ok: true, detail: `trace_start ${h.pid.toString()} (${h.type}): at most ${action.maxEvents} events in ${action.maxMs} ms` };
    }
    case 'trace_stop':
      if (!traces.stop(action.pid)) return { ok: false, status: 404, error: 'no trace runs for this pid' };
      return { ok: true, detail: `trace_stop ${findHandle(system, action.pid)?.pid.toString() ?? `of pid number ${action.pid}`}` };
    case 'kill':
    case 'exit': {
      const h = findHandle(system, action.pid);
      if (h === undefined) return { ok: false, status: 404, error: 'noproc' };
      system.exit(h.pid, action.kind === 'kill' ? 'kill' : ExitReason.shutdown('observer'));
      return { ok: true, detail: `${action.kind} ${h.pid.toString()} (${h.type})` };
    }
    case 'terminate_child':
    case 'restart_child': {
      const h = findHandle(system, action.supervisor);
      const insight = h === undefined ? null : actorInsight(h);
      if (h === undefined || insight?.kind !== 'supervisor' || insight.strategy === 'dynamic') return { ok: false, status: 404, error: 'not a static supervisor' };
      const sup = ServerRef.of<SupervisorCall>(system, h.pid);
      try {
        if (action.kind === 'terminate_child') await Supervisor.terminateChild(sup, action.id);
        else {
          await Supervisor.terminateChild(sup, action.id);
          await Supervisor.restartChild(sup, action.id);
        }
      } catch (error) {
        return { ok: false, status: 409, error: formatValue(error, 300) };
      }
      return { ok: true, detail: `${action.kind} ${formatValue(action.id, 200)} of ${h.pid.toString()} (${h.type})` };
    }
    default: {
      const never: never = action;
      return never;
    }
  }
}
