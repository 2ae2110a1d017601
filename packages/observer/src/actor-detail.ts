/**
 * One actor in detail: what core and telemetry know about it, and its last crash. Nothing of
 * its state or of a payload is shown, except what its `formatStatus` callback chooses to.
 *
 * @module
 */
import { type ActorHandle, type ActorStatus, type ActorSystem, formatValue, type Pid } from '@joerl/core';
import { formatStatus } from '@joerl/gen';
import { actorInsight } from '@joerl/telemetry';
import type { Crash, SupervisionLog } from './supervision-log.js';
import { finite } from './supervision-tree.js';

/**
 * A reference to another actor, for links.
 * @since 0.1.0
 */
export interface PidRef {
  readonly pid: string;
  /** Its id here, to open it; null for an actor on another node of a cluster (this observer cannot show it). */
  readonly pidId: number | null;
  /** The node of an actor on another node (`pid` then prints with that node's index), else absent. */
  readonly node?: string;
}

/**
 * One actor in detail.
 * @since 0.1.0
 */
export interface ActorDetail {
  readonly pid: string;
  readonly pidId: number;
  readonly type: string;
  readonly name: string | null;
  readonly parent: PidRef | null;
  readonly status: ActorStatus;
  readonly trapExit: boolean;
  readonly mailbox: { readonly depth: number; readonly capacity: number | null; readonly overflow: string };
  readonly messages: { readonly received: number; readonly processed: number; readonly dropped: number };
  readonly links: readonly PidRef[];
  readonly monitors: readonly PidRef[];
  readonly monitoredBy: readonly (PidRef | null)[];
  readonly ageMs: number;
  /** The GenStatem's state, or the supervisor's strategy, when telemetry knows it. */
  readonly statem: { readonly state: string; readonly states: readonly string[] } | null;
  readonly supervisor: { readonly strategy: string; readonly intensity: number; readonly periodMs: number; readonly intensityUsage: number } | null;
  /**
   * Its state as its definition's `formatStatus` callback presents it (bounded text), or null
   * without such a callback: nothing else of a state is ever shown.
   */
  readonly formattedStatus: string | null;
  /** Its last crash, if it crashed (and survived, as with `trapExit` or an async handler). */
  readonly lastCrash: Crash | null;
}

/** @internal the live actor with this pid number */
export function findHandle(system: ActorSystem, pidId: number): ActorHandle | undefined {
  for (const h of system.handles()) if (h.pid.id === pidId) return h;
  return undefined;
}

/** @internal */
export function actorDetail(system: ActorSystem, log: SupervisionLog, handle: ActorHandle): ActorDetail | undefined {
  const info = system.info(handle.pid);
  if (info === undefined) return undefined;
  const insight = actorInsight(handle);
  // A remote pid's id is another node's: it must not open the local actor that has the same id.
  const ref = (p: Pid): PidRef => (p.isRemote ? { pid: p.toString(), pidId: null, node: p.nodeName } : { pid: p.toString(), pidId: p.id });
  return {
    pid: info.pid.toString(),
    pidId: info.pid.id,
    type: info.type,
    name: info.name ?? null,
    parent: info.parent === null ? null : ref(info.parent),
    status: info.status,
    trapExit: info.trapExit,
    mailbox: { depth: info.mailbox.depth, capacity: finite(info.mailbox.capacity), overflow: info.mailbox.overflow },
    messages: info.messages,
    links: info.links.map(ref),
    monitors: info.monitors.map(ref),
    monitoredBy: info.monitoredBy.map((p) => (p === null ? null : ref(p))),
    ageMs: info.uptimeMs,
    statem: insight?.kind === 'gen_statem' ? { state: insight.state, states: insight.states } : null,
    supervisor:
      insight?.kind === 'supervisor' ? { strategy: insight.strategy, intensity: insight.intensity, periodMs: insight.periodMs, intensityUsage: insight.intensityUsage } : null,
    formattedStatus: formatted(handle),
    lastCrash: log.crashOf(handle.pid) ?? null,
  };
}

/** Longest formatted status shown. */
export const MAX_STATUS_LENGTH = 2000;

function formatted(handle: ActorHandle): string | null {
  const report = formatStatus(handle.pid);
  if (report === undefined) return null;
  switch (report.kind) {
    case 'status':
      return formatValue(report.value, MAX_STATUS_LENGTH);
    case 'failed':
      return `formatStatus failed: ${formatValue(report.error, 300)}`;
    default: {
      const never: never = report;
      return never;
    }
  }
}
