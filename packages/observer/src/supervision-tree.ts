/**
 * The supervision trees: every supervisor telemetry knows about, its children as the supervisor
 * itself reports them (`which_children`, as OTP's observer asks), nested.
 *
 * @module
 */
import { type ActorHandle, type ActorSystem, formatValue, type Pid } from '@joerl/core';
import { type CallOptions, type DynamicSupervisorCall, ServerRef, type SupervisorCall } from '@joerl/gen';
import { actorInsight } from '@joerl/telemetry';
import type { SupervisionLog } from './supervision-log.js';

/** Children listed per supervisor (a dynamic supervisor may have thousands: the rest are counted). */
export const MAX_CHILDREN_SHOWN = 50;
/** How long a supervisor has to answer `which_children`. */
export const CHILDREN_TIMEOUT_MS = 1000;
const CHILDREN_CALL: CallOptions = { timeoutMs: CHILDREN_TIMEOUT_MS };

/**
 * One node of a supervision tree.
 * @since 0.1.0
 */
export interface TreeNode {
  /** The child id in its supervisor (the pid's text for a dynamic child; a root's name, or type). */
  readonly id: string;
  /** `<0.12.0>`, or null when not running. */
  readonly pid: string | null;
  /** The pid's number, for links (null when not running). */
  readonly pidId: number | null;
  /** `worker` or `supervisor`. */
  readonly kind: 'worker' | 'supervisor';
  /** The actor type label. */
  readonly type: string | null;
  readonly name: string | null;
  /** `running`, `not_running`, or `unavailable` (the supervisor did not answer). */
  readonly status: 'running' | 'not_running' | 'unavailable';
  readonly mailbox: { readonly depth: number; readonly capacity: number | null } | null;
  /** Restarts the parent supervisor made of children of this type since the observer started. */
  readonly restarts: number;
  /** The strategy, for a supervisor. */
  readonly strategy: string | null;
  readonly children: readonly TreeNode[];
  /** Children not listed (past {@link MAX_CHILDREN_SHOWN}). */
  readonly moreChildren: number;
}

/** @internal builds the trees, one `which_children` call per supervisor */
export async function supervisionTree(system: ActorSystem, log: SupervisionLog): Promise<TreeNode[]> {
  const supervisors = new Map<number, ActorHandle>();
  for (const h of system.handles()) if (h.alive && actorInsight(h)?.kind === 'supervisor') supervisors.set(h.pid.id, h);
  const roots: ActorHandle[] = [];
  for (const h of supervisors.values()) if (h.parent === null || !supervisors.has(h.parent.id)) roots.push(h);
  return Promise.all(roots.map((h) => node(system, log, supervisors, h, h.name ?? h.type, 'supervisor', 0)));
}

async function node(
  system: ActorSystem,
  log: SupervisionLog,
  supervisors: Map<number, ActorHandle>,
  handle: ActorHandle,
  id: string,
  kind: 'worker' | 'supervisor',
  restarts: number,
): Promise<TreeNode> {
  const insight = actorInsight(handle);
  const base = {
    id,
    pid: handle.pid.toString(),
    pidId: handle.pid.id,
    kind,
    type: handle.type,
    name: handle.name ?? null,
    mailbox: { depth: handle.mailboxDepth, capacity: finite(handle.mailboxCapacity) },
    restarts,
    strategy: insight?.kind === 'supervisor' ? insight.strategy : null,
  };
  if (insight?.kind !== 'supervisor') return { ...base, status: 'running', children: [], moreChildren: 0 };
  let listed: { id: string; pid: Pid | null; kind: 'worker' | 'supervisor'; actorType: string | null }[];
  try {
    listed = await children(system, handle.pid, insight.strategy === 'dynamic');
  } catch {
    return { ...base, status: 'unavailable', children: [], moreChildren: 0 };
  }
  const shown = listed.slice(0, MAX_CHILDREN_SHOWN);
  const nodes = await Promise.all(
    shown.map((c) => {
      const r = log.restartsOf(handle.pid, c.actorType ?? '');
      const h = c.pid === null ? undefined : system.handle(c.pid);
      if (h === undefined || !h.alive) return Promise.resolve(notRunning(c.id, c.kind, c.actorType, r));
      return node(system, log, supervisors, h, c.id, c.kind, r);
    }),
  );
  return { ...base, status: 'running', children: nodes, moreChildren: listed.length - shown.length };
}

async function children(system: ActorSystem, pid: Pid, dynamic: boolean) {
  if (dynamic) {
    const ref = ServerRef.of<DynamicSupervisorCall>(system, pid);
    const list = await ref.call({ kind: 'which_children' }, CHILDREN_CALL);
    return list.map((c) => ({ id: c.pid.toString(), pid: c.pid, kind: c.type, actorType: c.actorType }));
  }
  const ref = ServerRef.of<SupervisorCall>(system, pid);
  const list = await ref.call({ kind: 'which_children' }, CHILDREN_CALL);
  return list.map((c) => ({ id: c.id, pid: c.pid, kind: c.type, actorType: c.actorType }));
}

function notRunning(id: string, kind: 'worker' | 'supervisor', type: string | null, restarts: number): TreeNode {
  return { id: formatValue(id, 200), pid: null, pidId: null, kind, type, name: null, status: 'not_running', mailbox: null, restarts, strategy: null, children: [], moreChildren: 0 };
}

/** @internal Infinity is not JSON: an unbounded capacity is null */
export function finite(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}
