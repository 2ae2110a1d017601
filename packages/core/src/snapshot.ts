/**
 * Snapshots of one actor, for `system.info(pid)` and `system.actors()`.
 *
 * @module
 */
import type { Distribution } from './distribution.js';
import type { ActorInfo, ActorStatus } from './info.js';
import type { Pid } from './pid.js';
import { type ActorProcess, EXITING, STARTING } from './process.js';

/**
 * @internal what `proc` looks like now; `current` is the actor whose handler runs. Links and
 * monitors to other nodes' actors are the distribution's to know (`dist`, null for a single node).
 */
export function snapshot(proc: ActorProcess, current: ActorProcess | null, now: number, dist: Distribution | null): ActorInfo {
  let status: ActorStatus;
  if (proc.status === EXITING) status = 'exiting';
  else if (proc.status === STARTING) status = 'starting';
  else if (current === proc) status = 'running';
  else if (proc.suspended) status = 'suspended';
  else if (proc.queued) status = 'runnable';
  else status = 'waiting';
  return {
    pid: proc.pid,
    type: proc.actorType.name,
    name: proc.name,
    parent: proc.parent,
    status,
    trapExit: proc.trapping,
    mailbox: { depth: proc.len, capacity: proc.capacity, overflow: proc.overflow },
    pendingSignals: proc.signals === null ? 0 : proc.signals.length,
    links: withRemote([...(proc.x?.links ?? [])].map((p) => p.pid), dist === null ? null : dist.remoteLinks(proc.pid)),
    monitors: withRemote([...(proc.x?.monitors?.values() ?? [])].map((m) => m.target.pid), dist === null ? null : dist.remoteMonitors(proc.pid)),
    monitoredBy: [...(proc.x?.monitoredBy?.values() ?? [])].map((m) => m.watcher?.pid ?? null),
    messages: { received: proc.enqueued, processed: proc.processed, dropped: proc.dropped },
    spawnedAt: proc.spawnedAt,
    uptimeMs: now - proc.spawnedAt,
  };
}

/** Local pids, then the distribution's remote ones (if any). */
function withRemote(local: Pid[], remote: readonly Pid[] | null): Pid[] {
  if (remote !== null) for (let i = 0; i < remote.length; i++) local.push(remote[i] as Pid);
  return local;
}
