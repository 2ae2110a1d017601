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

/** How many recent heartbeat round trips the clock-offset estimate chooses from. */
export const OFFSET_SAMPLES = 8;

/** @internal one incarnation of another node. */
export class Peer {
  readonly name: string;
  readonly remote: RemoteNode;
  /** The NATS subject its frames go to. */
  readonly subject: string;
  up = false;
  /** `system.clock.now()` of its last frame. */
  lastSeen = 0;
  /** Its heartbeat interval (ms), as its heartbeats announce it; 0 until one arrived. */
  interval = 0;
  /** Heartbeats of it counted as missed in its current silence (reset by any frame). */
  missed = 0;
  /** Its wall clock minus ours (ms), from the heartbeat round trip with the smallest RTT among the last few; NaN until one. */
  offsetMs = Number.NaN;
  /** The RTT (ms) and offset of the last {@link OFFSET_SAMPLES} heartbeat round trips, for {@link Peer.offsetMs}. */
  private readonly samples: number[] = [];
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

  /**
   * A heartbeat round trip: `rttMs` long, the peer's clock read `offsetMs` ahead of ours at its
   * midpoint. The offset kept is that of the shortest round trip among the last few (as NTP
   * does): the shorter the trip, the less room for asymmetry, whose error is at most half the RTT.
   */
  roundTrip(rttMs: number, offsetMs: number): void {
    const samples = this.samples;
    if (samples.length === OFFSET_SAMPLES * 2) samples.splice(0, 2);
    samples.push(rttMs, offsetMs);
    let best = 0;
    for (let i = 2; i < samples.length; i += 2) if ((samples[i] as number) < (samples[best] as number)) best = i;
    this.offsetMs = samples[best + 1] as number;
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
