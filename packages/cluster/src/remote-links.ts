/**
 * Links and monitors that cross nodes, as this node's half of them.
 *
 * A local actor with any cross-node link, any remote monitor on it, or whose pid was sent to
 * another node, is *watched*: the node holds one local monitor on it, so that when it exits
 * its remote links and monitors learn why. A local actor's monitors of remote pids are kept
 * by ref id until the down arrives.
 *
 * @module
 */
import type { DownSignal, MonitorRef, Pid, RemotePid } from '@joerl/core';
import type { Peer } from './peer.js';

/** @internal a remote monitor on a local actor. */
export interface InboundMonitor {
  readonly peer: Peer;
  readonly ref: number;
}

/** @internal this node's record of one local actor that other nodes know about. */
export class Watch {
  readonly pid: Pid;
  /** The local monitor that tells us when it exits (null until set). */
  ref: MonitorRef | null = null;
  /** Remote pids linked to it. */
  readonly links = new Set<RemotePid>();
  /** Remote monitors on it, by `${node}` then ref id. */
  readonly monitoredBy = new Map<Peer, Set<number>>();
  /** Its own monitors of remote pids (so `info(pid).monitors` can list them, and its exit drops them). */
  readonly monitors = new Set<OutboundMonitor>();
  constructor(pid: Pid) {
    this.pid = pid;
  }
}

/** @internal a local monitor of a remote pid. */
export interface OutboundMonitor {
  readonly ref: MonitorRef;
  /** The watching local actor, or null for `system.monitor` (then `listener` is set). */
  readonly watcher: Pid | null;
  readonly peer: Peer | null;
  readonly listener: ((down: DownSignal) => void) | null;
}
