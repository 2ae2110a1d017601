/**
 * The lifecycle checks: is the system running, is it shutting down, has the application said it
 * is ready, have its root supervisors started, and has the event loop stalled.
 *
 * @module
 */
import { type ActorSystem, assertNever, isPid, type Pid } from '@joerl/core';
import type { BuiltinCheck } from './builtin-check.js';
import { verdict } from './report.js';
import type { StallDetector } from './stall-detector.js';

/**
 * A supervisor readiness waits for: its pid, its registered name (it may not exist yet), or a
 * ref with a `pid` (what `Supervisor.start` resolves with).
 *
 * @example
 * ```ts
 * health.requireStarted('app');                       // by name, before it starts
 * health.requireStarted(await Supervisor.start(...)); // by ref
 * ```
 * @since 0.1.0
 */
export type SupervisorTarget = Pid | string | { readonly pid: Pid };

/** @internal The lifecycle state the checks read. */
export interface Lifecycle {
  readonly system: ActorSystem;
  readonly stall: StallDetector;
  shuttingDown(): boolean;
  /** Whether `markReady()` was called. */
  marked(): boolean;
  supervisors(): readonly SupervisorTarget[];
}

/** @internal `system`: running passes; stopping degrades; stopped fails (also liveness). */
export function systemCheck(l: Lifecycle): BuiltinCheck {
  return {
    name: 'system',
    probes: ['liveness', 'readiness', 'health'],
    evaluate() {
      const status = l.system.status;
      switch (status) {
        case 'running':
          return verdict('system', 'pass', 'the actor system is running', status, null, null);
        case 'stopping':
          return verdict('system', 'warn', 'the actor system is shutting down', status, 'running', null);
        case 'stopped':
          return verdict('system', 'fail', 'the actor system has stopped: it can make no progress', status, 'running', null);
        default:
          return assertNever(status);
      }
    },
  };
}

/** @internal `event-loop-stall`: a heartbeat late by `stallMs` or more within the window fails liveness. */
export function stallCheck(l: Lifecycle): BuiltinCheck {
  const d = l.stall;
  return {
    name: 'event-loop-stall',
    probes: ['liveness', 'health'],
    evaluate() {
      const { worstMs, agoMs } = d.read();
      const worst = Math.round(worstMs);
      if (worstMs >= d.stallMs) {
        const when = agoMs === 0 ? 'until just now' : `${Math.round(agoMs)} ms ago`;
        return verdict('event-loop-stall', 'fail', `the event loop was blocked for ${worst} ms (${when}; stall at ${d.stallMs} ms)`, worst, d.stallMs, 'ms');
      }
      return verdict('event-loop-stall', 'pass', `no event-loop stall in the last ${d.windowMs} ms (worst heartbeat delay ${worst} ms)`, worst, d.stallMs, 'ms');
    },
  };
}

/** @internal `shutdown` (readiness only): fails once shutdown began, so traffic drains first. */
export function shutdownCheck(l: Lifecycle): BuiltinCheck {
  return {
    name: 'shutdown',
    probes: ['readiness'],
    evaluate() {
      if (l.shuttingDown()) return verdict('shutdown', 'fail', 'shutting down: draining traffic before the system stops', 'draining', null, null);
      if (l.system.status !== 'running') return verdict('shutdown', 'fail', `the actor system is ${l.system.status}`, l.system.status, null, null);
      return verdict('shutdown', 'pass', 'not shutting down', 'running', null, null);
    },
  };
}

/** @internal `ready` (readiness only, with `awaitReady`): fails until `markReady()`. */
export function readyCheck(l: Lifecycle): BuiltinCheck {
  return {
    name: 'ready',
    probes: ['readiness'],
    evaluate() {
      if (!l.marked()) return verdict('ready', 'fail', 'starting: waiting for markReady()', 'starting', 'ready', null);
      return verdict('ready', 'pass', 'marked ready', 'ready', 'ready', null);
    },
  };
}

/** @internal `supervisors`: every required supervisor is alive and done with its init. */
export function supervisorsCheck(l: Lifecycle): BuiltinCheck {
  return {
    name: 'supervisors',
    probes: ['readiness', 'health'],
    evaluate() {
      const targets = l.supervisors();
      const problems: string[] = [];
      for (const target of targets) {
        const problem = notStarted(l.system, target);
        if (problem !== null) problems.push(problem);
      }
      const up = targets.length - problems.length;
      if (problems.length > 0) {
        return verdict('supervisors', 'fail', problems.join('; '), up, targets.length, 'count');
      }
      return verdict('supervisors', 'pass', `${up} of ${targets.length} supervisor(s) started`, up, targets.length, 'count');
    },
  };
}

/** Why a supervisor is not started, or null if it is. */
function notStarted(system: ActorSystem, target: SupervisorTarget): string | null {
  let pid: Pid | undefined;
  let label: string;
  if (typeof target === 'string') {
    pid = system.whereis(target);
    label = `'${target}'`;
    if (pid === undefined) return `supervisor ${label} is not running (no actor is registered under that name)`;
  } else {
    pid = isPid(target) ? target : target.pid;
    label = pid.toString();
  }
  const info = system.info(pid);
  if (info === undefined) return `supervisor ${label} is not alive`;
  if (info.status === 'starting') return `supervisor ${label} is still starting its children`;
  if (info.status === 'exiting') return `supervisor ${label} is exiting`;
  return null;
}
