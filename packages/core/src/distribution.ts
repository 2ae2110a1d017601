/**
 * The distribution port: how a system reaches actors on other nodes.
 *
 * Core defines the interface and knows nothing of networks; an implementation such as
 * `@joerl/cluster` (over NATS) attaches itself with {@link ActorSystem.setDistribution}. Without
 * one, a system is a single node: remote pids cannot exist, and each send pays nothing for
 * distribution (the one `null` check sits on the miss path, after the local lookup failed).
 *
 * @module
 */
import { ActorType } from './actor-type.js';
import type { RemoteTrace } from './distribution-events.js';
import type { ExitReason, ExitSignalReason } from './exit-reason.js';
import { Pid, RemotePid } from './pid.js';
import type { DownSignal, MonitorRef } from './signal.js';
import type { ActorSystem } from './system.js';

/** The node name of a system that is not distributed, as Erlang's. */
export const NO_NODE = 'nonode@nohost';

/**
 * One incarnation of another node, as this node knows it: its name, its *creation* (a number
 * that changes each time the node starts, so pids of an earlier incarnation never reach a later
 * one), and the small index this node prints its pids with (`<index.id.0>`, as Erlang does).
 * Made by the distribution, one per incarnation, shared by all its pids.
 * @since 0.1.0
 */
export class RemoteNode {
  /** The node's name, e.g. `'orders-1'`. */
  readonly name: string;
  /** The incarnation. */
  readonly creation: number;
  /** The number printed first in its pids on this node. */
  readonly index: number;
  /** Owned by the distribution (per-node state); core never reads it. */
  slot: unknown = undefined;
  /** Owned by the instrumentation's {@link DistributionEvents} (per-peer metrics); core never reads it. */
  stats: unknown = undefined;
  constructor(name: string, creation: number, index: number) {
    this.name = name;
    this.creation = creation;
    this.index = index;
  }
}

/**
 * A registered name on another node: `system.send({ name: 'cache', node: 'orders-2' }, msg)`
 * (Erlang's `{Name, Node} ! Msg`).
 * @since 0.1.0
 */
export interface RemoteName {
  readonly name: string;
  readonly node: string;
}

/**
 * What a system needs from a distribution. Every method is called synchronously by the runtime
 * and must not throw: failures are results (`false`), or signals delivered later through
 * {@link ActorSystem.deliverRemote}.
 * @since 0.1.0
 */
export interface Distribution {
  /** This node's name. */
  readonly node: string;
  /** This node's incarnation. */
  readonly creation: number;
  /**
   * Sends `message` to a remote pid or name. Returns false, and counts it, if it could not be
   * encoded or handed to the transport, or the node is known to be down; true does not mean
   * delivered (delivery is at most once, as in Erlang). `trace` is the sender's trace context,
   * when the system's instrumentation traces this send (see `DistributionEvents.traceOut`).
   */
  send(from: Pid | null, to: RemotePid | RemoteName, message: unknown, trace?: RemoteTrace): boolean;
  /** A local actor links to a remote pid (both ends learn of it; a dead or unreachable target answers with an exit signal). */
  link(from: Pid, to: RemotePid): void;
  /** Removes a link made by {@link Distribution.link}. */
  unlink(from: Pid, to: RemotePid): void;
  /** An exit signal to a remote pid (`exit(pid, reason)`); false if its node is known to be down. */
  exit(from: Pid, to: RemotePid, reason: ExitSignalReason): boolean;
  /**
   * A monitor of a remote pid (`ref.target`): its down arrives through
   * {@link ActorSystem.deliverRemote} for a watching actor (`watcher`), or is passed to
   * `listener` for `system.monitor` (then `watcher` is null).
   */
  monitor(ref: MonitorRef, watcher: Pid | null, listener: ((down: DownSignal) => void) | null): void;
  /** Removes a monitor made by {@link Distribution.monitor}; true if it was active. */
  demonitor(ref: MonitorRef): boolean;
  /**
   * A `GenServer.call` to a server on another node (used by `@joerl/gen`): resolves with the
   * reply, rejects with the same typed errors as a local call, and with reason `noconnection`
   * as soon as the node goes down.
   */
  call(server: RemotePid | RemoteName, request: unknown, timeoutMs: number, caller: Pid | null): Promise<unknown>;
  /** A `GenServer.cast` to a server on another node; true once handed to the transport. */
  cast(server: RemotePid | RemoteName, request: unknown): boolean;
  /**
   * A server's `stop(reason)` from another node (used by `@joerl/gen`, as OTP's
   * `gen_server:stop/3`): resolves once the server exited (its terminate ran); rejects with the
   * same typed errors as a call: not alive there (NOPROC), no answer within `timeoutMs`
   * (CALL_TIMEOUT), or reason `noconnection` as soon as the node goes down.
   */
  stop(server: RemotePid | RemoteName, reason: ExitReason, timeoutMs: number): Promise<void>;
  /**
   * The remote pids linked to local actor `pid` now, for `system.info(pid).links` (the
   * distribution keeps cross-node links; core lists them). Empty when there are none.
   */
  remoteLinks(pid: Pid): readonly RemotePid[];
  /** The remote pids local actor `pid` monitors now, for `system.info(pid).monitors`. */
  remoteMonitors(pid: Pid): readonly RemotePid[];
}

/** A signal from another node, for {@link ActorSystem.deliverRemote}. */
export type RemoteSignal =
  /** an exit signal from a remote pid: its link broke (with its exit reason, or `noconnection`), or it called `exit()` */
  | { readonly kind: 'exit'; readonly from: Pid; readonly reason: ExitReason }
  /** the untrappable `kill`, sent by `exit(pid, 'kill')` on another node */
  | { readonly kind: 'kill'; readonly from: Pid }
  /** a monitor of a remote pid fired */
  | DownSignal;

/** True for a destination that names a registered actor on some node (`{ name, node }`). */
export function isRemoteName(value: unknown): value is RemoteName {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return typeof (value as { name?: unknown }).name === 'string' && typeof (value as { node?: unknown }).node === 'string';
  } catch {
    return false; // a revoked Proxy, a throwing getter: not a destination
  }
}

const remoteTypes = new WeakMap<ActorSystem, ActorType>();

/** The one actor type (`'remote'`) a system gives the pids of other nodes' actors. */
function remoteType(system: ActorSystem): ActorType {
  let type = remoteTypes.get(system);
  if (type === undefined) {
    type = new ActorType('remote', system);
    remoteTypes.set(system, type);
  }
  return type;
}

/**
 * For distributions: a pid of actor `id` on node incarnation `home`, for use in `system`
 * (sends to it go through `system`'s distribution). Make one per actor and reuse it, so that
 * `===` holds as for local pids.
 * @since 0.1.0
 */
export function makeRemotePid(system: ActorSystem, id: number, home: RemoteNode): RemotePid {
  return new RemotePid(id, home, remoteType(system));
}

/**
 * For distributions: a pid of this node that names no live actor, for an id that came back
 * from the wire after its actor exited (sends return false; monitors deliver `noproc`).
 * @since 0.1.0
 */
export function makeDeadPid(system: ActorSystem, id: number): Pid {
  return new Pid(id, null, remoteType(system));
}
