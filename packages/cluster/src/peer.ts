/**
 * What this node knows of one other node: its current incarnation, whether it is up, its pids
 * seen so far, and counters (per-peer metrics build on these).
 *
 * @module
 */
import { type ActorSystem, makeRemotePid, RemoteNode, type RemotePid } from '@joerl/core';

/** Counters of the traffic with one peer. */
export interface PeerStats {
  /** Frames published to it (messages, signals, calls...). */
  framesSent: number;
  /** Frames received from it (heartbeats included). */
  framesReceived: number;
  bytesSent: number;
  bytesReceived: number;
}

/** @internal one incarnation of another node. */
export class Peer {
  readonly name: string;
  readonly remote: RemoteNode;
  /** The NATS subject its frames go to. */
  readonly subject: string;
  up = false;
  /** `Date.now()` of its last frame. */
  lastSeen = 0;
  readonly stats: PeerStats = { framesSent: 0, framesReceived: 0, bytesSent: 0, bytesReceived: 0 };
  /** Its pids, interned so that one actor is one object here too (weakly: dead pids are collected). */
  private readonly pids = new Map<number, WeakRef<RemotePid>>();
  private readonly system: ActorSystem;
  private readonly collected: FinalizationRegistry<number>;

  constructor(name: string, creation: number, index: number, subject: string, system: ActorSystem) {
    this.name = name;
    this.remote = new RemoteNode(name, creation, index);
    this.remote.slot = this;
    this.subject = subject;
    this.system = system;
    this.collected = new FinalizationRegistry((id: number) => {
      const ref = this.pids.get(id);
      if (ref !== undefined && ref.deref() === undefined) this.pids.delete(id);
    });
  }

  get creation(): number {
    return this.remote.creation;
  }

  /** The one RemotePid object for `id` on this incarnation. */
  pid(id: number): RemotePid {
    const existing = this.pids.get(id)?.deref();
    if (existing !== undefined) return existing;
    const pid = makeRemotePid(this.system, id, this.remote);
    this.pids.set(id, new WeakRef(pid));
    this.collected.register(pid, id);
    return pid;
  }
}
