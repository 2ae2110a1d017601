/**
 * One node of a cluster: the {@link Distribution} core talks to, over one NATS connection.
 *
 * @module
 */
import {
  type ActorHandle,
  type ActorSystem,
  type Behavior,
  type CallOutcome,
  type Distribution,
  type DistributionEvents,
  type DownSignal,
  ExitReason,
  type ExitSignalReason,
  formatValue,
  isRemoteName,
  type Logger,
  makeDeadPid,
  type MonitorRef,
  type Pid,
  type ReceiveFunction,
  type RemoteName,
  type RemoteNode,
  RemotePid,
  type RemoteSendFailure,
  type RemoteTrace,
  type TimerHandle,
} from '@joerl/core';
import { CalleeExitedError, CallTimeoutError, NamedServerRef, NoProcError, ServerRef } from '@joerl/gen';
import { headers, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { Codec, PidTranslator, WirePid } from './codec.js';
import { MalformedFrameError, NodeDownError, RemoteSpawnError, UnencodableError, UnknownBehaviourError } from './errors.js';
import { checkFrame, type Frame } from './frame.js';
import { Peer, type PeerStats } from './peer.js';
import { type OutboundMonitor, Watch } from './remote-links.js';

export type { RemoteSendFailure } from '@joerl/core';

/** A node came up or went down, as {@link Cluster.monitorNode} delivers it. */
export type NodeEvent = { readonly kind: 'nodeup'; readonly node: string } | { readonly kind: 'nodedown'; readonly node: string; readonly reason: NodeDownReason };

/** Why a node is considered down. */
export type NodeDownReason =
  /** no frame from it within the heartbeat timeout */
  | 'heartbeat_timeout'
  /** it left the cluster (`leave()`) */
  | 'left'
  /** it restarted: a new incarnation replaced this one */
  | 'restarted'
  /** this node lost its NATS connection */
  | 'disconnected';

/** Counters of a node, for tests and metrics. */
export interface ClusterStats {
  /** Messages handed to NATS. */
  readonly messagesSent: number;
  /** Messages from other nodes delivered to local actors (or refused by them). */
  readonly messagesReceived: number;
  /** Sends that returned false, by reason. */
  readonly sendFailures: Readonly<Record<RemoteSendFailure, number>>;
  /** Frames that could not be decoded, or were not frames. */
  readonly malformedFrames: number;
  /** Call replies that came after their call timed out or was abandoned. */
  readonly lateReplies: number;
  /** Per connected or known peer. */
  readonly peers: readonly ({ readonly node: string; readonly creation: number; readonly up: boolean } & Readonly<PeerStats>)[];
}

/** A factory for a behaviour that other nodes may spawn here (`spawnOn`). */
export type BehaviourFactory = (...args: never[]) => Behavior<never> | ReceiveFunction<never>;

interface PendingCall {
  readonly server: Pid | string;
  readonly peer: Peer;
  readonly timeoutMs: number;
  /** the instrumentation's token (undefined without one) */
  readonly token: unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  timer: TimerHandle;
}

interface PendingSpawn {
  readonly node: string;
  readonly behaviour: string;
  readonly peer: Peer;
  readonly resolve: (pid: RemotePid) => void;
  readonly reject: (error: unknown) => void;
  timer: TimerHandle;
}

/** @internal settings of a node, checked by `joinCluster`. */
export interface NodeSettings {
  readonly node: string;
  readonly cluster: string;
  readonly codec: Codec;
  readonly heartbeatMs: number;
  readonly heartbeatTimeoutMs: number;
  readonly spawnTimeoutMs: number;
  readonly logger: Logger | null;
}

const NODE_EVENT_UP = 'nodeup';
const NONE: readonly RemotePid[] = Object.freeze([]);

/**
 * This machine's wall clock in whole microseconds since the epoch: what timestamps on the wire
 * are. An integer of 16 digits until the year 2286, so a timestamp adds a fixed size to a frame.
 */
const wallMicros = (): number => Math.round((performance.timeOrigin + performance.now()) * 1000);

/** Frames that carry what an actor sent (counted as remote messages); the rest are signals and control. */
const MESSAGE_KINDS: ReadonlySet<string> = new Set(['msg', 'nmsg', 'call', 'reply', 'cast']);

/** How a remote call's error reply ends it, as the caller's instrumentation counts it. */
function callOutcome(error: unknown): CallOutcome {
  switch ((error as { code?: unknown } | null)?.code) {
    case 'NOPROC':
      return 'noproc';
    case 'CALL_TIMEOUT':
      return 'timeout';
    case 'CALLEE_EXITED':
      return 'exit';
    default:
      return 'error';
  }
}

/** The W3C trace context of a message from its NATS headers, if it has one. */
function traceOf(hdrs: MsgHdrs | undefined): RemoteTrace | undefined {
  if (hdrs === undefined) return undefined;
  const traceparent = hdrs.get('traceparent');
  if (traceparent === '') return undefined;
  const tracestate = hdrs.get('tracestate');
  return { traceparent, tracestate: tracestate === '' ? undefined : tracestate };
}

/** @internal */
export class ClusterNode implements Distribution, PidTranslator {
  readonly node: string;
  readonly creation: number;
  readonly system: ActorSystem;
  readonly nc: NatsConnection;
  private readonly settings: NodeSettings;
  private readonly codec: Codec;
  private readonly prefix: string;
  private readonly heartbeatSubject: string;
  /** Every incarnation seen, by node name, then creation. */
  private readonly incarnations = new Map<string, Map<number, Peer>>();
  /** The current incarnation of each node. */
  private readonly current = new Map<string, Peer>();
  private nextIndex = 1;
  private readonly indexes = new Map<string, number>();
  /** Local actors that other nodes know of, by id. */
  private readonly watches = new Map<number, Watch>();
  private readonly outMonitors = new Map<number, OutboundMonitor>();
  private readonly calls = new Map<number, PendingCall>();
  private readonly spawns = new Map<number, PendingSpawn>();
  private nextRequestId = 1;
  private readonly behaviours = new Map<string, BehaviourFactory>();
  private readonly nodeListeners = new Set<{ readonly node: string | null; readonly deliver: (event: NodeEvent) => void }>();
  private readonly subs: Subscription[] = [];
  private heartbeatTimer: TimerHandle;
  private closed = false;
  private messagesSent = 0;
  private messagesReceived = 0;
  private malformedFrames = 0;
  private lateReplies = 0;
  private readonly sendFailures: Record<RemoteSendFailure, number> = { encode: 0, publish: 0, no_route: 0, node_down: 0 };
  private readonly tickBound = (): void => this.tick();
  /** The instrumentation's distribution events, or null: each event then costs this one check. */
  private readonly ev: DistributionEvents | null;
  private heartbeatSeq = 0;

  constructor(system: ActorSystem, nc: NatsConnection, settings: NodeSettings, creation: number) {
    this.system = system;
    this.nc = nc;
    this.settings = settings;
    this.node = settings.node;
    this.creation = creation;
    this.codec = settings.codec;
    this.prefix = `joerl.${settings.cluster}.`;
    this.heartbeatSubject = `${this.prefix}hb`;
    this.ev = system.instrumentation?.distribution ?? null;
  }

  /** Subscribes, announces itself and starts the heartbeat. */
  start(): void {
    const onFrame = (error: Error | null, msg: Msg): void => {
      if (error === null) this.receive(msg.data, msg.headers);
    };
    this.subs.push(this.nc.subscribe(`${this.prefix}n.${this.node}`, { callback: onFrame }));
    this.subs.push(this.nc.subscribe(this.heartbeatSubject, { callback: onFrame }));
    this.system.setDistribution(this);
    if (this.ev !== null) this.ev.transport('connected');
    this.heartbeat();
    this.heartbeatTimer = this.system.clock.setTimeout(this.tickBound, this.settings.heartbeatMs, undefined);
  }

  // -------------------------------------------------------------------------------------
  // Nodes

  /** Names of the nodes that are up, sorted. */
  nodes(): string[] {
    const out: string[] = [];
    for (const peer of this.current.values()) if (peer.up) out.push(peer.name);
    return out.sort();
  }

  /** @internal subscribe to node events (all nodes when `node` is null); returns the unsubscribe. */
  onNodeEvent(node: string | null, deliver: (event: NodeEvent) => void): () => void {
    const entry = { node, deliver };
    this.nodeListeners.add(entry);
    return () => {
      this.nodeListeners.delete(entry);
    };
  }

  isUp(node: string): boolean {
    return this.current.get(node)?.up === true;
  }

  /** Whether that incarnation of `node` is the one up now. */
  isUpAs(node: string, creation: number): boolean {
    const peer = this.current.get(node);
    return peer !== undefined && peer.up && peer.creation === creation;
  }

  private incarnation(name: string, creation: number): Peer {
    let byCreation = this.incarnations.get(name);
    if (byCreation === undefined) {
      byCreation = new Map();
      this.incarnations.set(name, byCreation);
    }
    let peer = byCreation.get(creation);
    if (peer === undefined) {
      let index = this.indexes.get(name);
      if (index === undefined) {
        index = this.nextIndex++;
        this.indexes.set(name, index);
      }
      peer = new Peer(name, creation, index, `${this.prefix}n.${name}`, this.system);
      byCreation.set(creation, peer);
    }
    return peer;
  }

  /** A frame arrived from (f, c): that incarnation is alive. */
  private touch(name: string, creation: number): Peer {
    const peer = this.incarnation(name, creation);
    peer.lastSeen = this.system.clock.now();
    peer.missed = 0;
    const cur = this.current.get(name);
    if (cur !== peer) {
      if (cur !== undefined) {
        if (cur.up) this.nodeDown(cur, 'restarted');
        this.incarnations.get(name)?.delete(cur.creation);
      }
      this.current.set(name, peer);
    }
    if (!peer.up) this.nodeUp(peer);
    return peer;
  }

  private nodeUp(peer: Peer): void {
    peer.up = true;
    if (this.ev !== null) this.ev.nodeUp(peer.remote);
    // Answer at once, so a newcomer learns of this node without waiting a heartbeat.
    this.heartbeat();
    this.emit({ kind: NODE_EVENT_UP, node: peer.name });
  }

  /** Everything that depended on `peer` fails with noconnection. */
  private nodeDown(peer: Peer, reason: NodeDownReason): void {
    if (!peer.up) return;
    peer.up = false;
    if (this.ev !== null) this.ev.nodeDown(peer.remote, reason);
    const noconnection = ExitReason.noconnection;
    for (const watch of [...this.watches.values()]) {
      for (const remote of [...watch.links]) {
        if (remote.home !== peer.remote) continue;
        watch.links.delete(remote);
        this.system.deliverRemote(watch.pid, { kind: 'exit', from: remote, reason: noconnection });
      }
      watch.monitoredBy.delete(peer);
    }
    for (const m of [...this.outMonitors.values()]) {
      if (m.peer !== peer) continue;
      this.dropOutbound(m);
      this.fireDown(m, noconnection);
    }
    for (const [id, call] of [...this.calls]) {
      if (call.peer !== peer) continue;
      this.calls.delete(id);
      this.system.clock.clearTimeout(call.timer);
      if (this.ev !== null && call.token !== undefined) this.ev.remoteCallEnded(peer.remote, call.token, null, 'exit');
      call.reject(new CalleeExitedError(call.server, noconnection));
    }
    for (const [id, spawn] of [...this.spawns]) {
      if (spawn.peer !== peer) continue;
      this.spawns.delete(id);
      this.system.clock.clearTimeout(spawn.timer);
      spawn.reject(new NodeDownError(spawn.node));
    }
    this.emit({ kind: 'nodedown', node: peer.name, reason });
  }

  private emit(event: NodeEvent): void {
    for (const l of [...this.nodeListeners]) {
      if (l.node !== null && l.node !== event.node) continue;
      try {
        l.deliver(event);
      } catch (error) {
        this.settings.logger?.error(`a node monitor listener threw: ${formatValue(error)}`, { error });
      }
    }
  }

  private heartbeat(): void {
    if (this.closed) return;
    this.publish(this.heartbeatSubject, { f: this.node, c: this.creation, k: 'hb', s: ++this.heartbeatSeq, t: wallMicros(), i: this.settings.heartbeatMs }, null);
  }

  private tick(): void {
    if (this.closed) return;
    this.heartbeat();
    const now = this.system.clock.now();
    const deadline = now - this.settings.heartbeatTimeoutMs;
    for (const peer of [...this.current.values()]) {
      if (!peer.up) continue;
      if (this.ev !== null) this.countMissed(peer, now);
      if (peer.lastSeen < deadline) this.nodeDown(peer, 'heartbeat_timeout');
    }
    this.heartbeatTimer = this.system.clock.setTimeout(this.tickBound, this.settings.heartbeatMs, undefined);
  }

  /**
   * Heartbeats of `peer` missed in its current silence: one expected every interval it announced,
   * and the first of a silence only late, not missed, until a second interval has passed.
   */
  private countMissed(peer: Peer, now: number): void {
    const interval = peer.interval > 0 ? peer.interval : this.settings.heartbeatMs;
    const missed = Math.max(0, Math.floor((now - peer.lastSeen) / interval) - 1);
    if (missed > peer.missed) {
      (this.ev as DistributionEvents).heartbeatsMissed(peer.remote, missed - peer.missed);
      peer.missed = missed;
    }
  }

  /** @internal the NATS connection was lost: every node is unreachable from here. */
  disconnected(): void {
    if (this.ev !== null) this.ev.transport('disconnected');
    for (const peer of [...this.current.values()]) this.nodeDown(peer, 'disconnected');
  }

  /** @internal the NATS connection is back: announce ourselves; peers come up as their heartbeats arrive. */
  reconnected(): void {
    if (this.ev !== null) this.ev.transport('reconnected');
    this.heartbeat();
  }

  // -------------------------------------------------------------------------------------
  // Pids on the wire

  toWire(pid: Pid): WirePid {
    if (pid instanceof RemotePid) return { node: pid.home.name, creation: pid.home.creation, id: pid.id };
    if (this.system.isAlive(pid)) this.watch(pid); // so that it can be found when it comes back
    return { node: this.node, creation: this.creation, id: pid.id };
  }

  fromWire(wire: WirePid): Pid {
    if (wire.node === this.node) {
      if (wire.creation !== this.creation) return this.incarnation(wire.node, wire.creation).pid(wire.id); // an earlier life of this node: never delivered
      if (wire.id === 0) return this.system.rootPid;
      const watch = this.watches.get(wire.id);
      return watch !== undefined ? watch.pid : makeDeadPid(this.system, wire.id);
    }
    return this.incarnation(wire.node, wire.creation).pid(wire.id);
  }

  /** The watch of a live local actor, made on first need. */
  private watch(pid: Pid): Watch {
    let w = this.watches.get(pid.id);
    if (w === undefined) {
      w = new Watch(pid);
      const watch = w;
      this.watches.set(pid.id, w);
      w.ref = this.system.monitor(pid, (down) => this.localExit(watch, down.reason));
    }
    return w;
  }

  /** A watched local actor exited: tell its remote links and monitors. */
  private localExit(w: Watch, reason: ExitReason): void {
    this.watches.delete(w.pid.id);
    for (const remote of w.links) {
      const peer = remote.home.slot as Peer;
      if (peer.up) this.publish(peer.subject, { f: this.node, c: this.creation, k: 'exit', from: w.pid, to: remote, reason, link: true }, peer);
    }
    for (const [peer, refs] of w.monitoredBy) {
      if (!peer.up) continue;
      for (const ref of refs) this.publish(peer.subject, { f: this.node, c: this.creation, k: 'down', ref, pid: w.pid, reason }, peer);
    }
    // Its monitors of remote pids die with it, as in Erlang: the other node can forget them.
    for (const m of w.monitors) {
      this.outMonitors.delete(m.ref.id);
      if (m.peer !== null && m.peer.up) this.publishSignal(m.peer, { f: this.node, c: this.creation, k: 'demon', ref: m.ref.id });
    }
  }

  // -------------------------------------------------------------------------------------
  // The distribution port

  // hot: every remote send
  send(from: Pid | null, to: RemotePid | RemoteName, message: unknown, trace?: RemoteTrace): boolean {
    let peer: Peer | undefined;
    let frame: Frame;
    // With instrumentation, messages carry their send time, for the queue wait at arrival.
    const timed = this.ev !== null;
    if (to instanceof RemotePid) {
      peer = to.home.slot as Peer | undefined;
      if (peer === undefined) return this.fail('no_route', null);
      if (!peer.up) return this.fail('node_down', peer);
      frame = timed ? { f: this.node, c: this.creation, k: 'msg', to, m: message, t: wallMicros() } : { f: this.node, c: this.creation, k: 'msg', to, m: message };
    } else {
      if (to.node === this.node) return this.system.send(to.name, message);
      peer = this.current.get(to.node);
      if (peer === undefined) return this.fail('no_route', null);
      if (!peer.up) return this.fail('node_down', peer);
      frame = timed ? { f: this.node, c: this.creation, k: 'nmsg', name: to.name, m: message, t: wallMicros() } : { f: this.node, c: this.creation, k: 'nmsg', name: to.name, m: message };
    }
    void from;
    const result = this.publish(peer.subject, frame, peer, trace);
    if (result === null) {
      this.messagesSent++;
      return true;
    }
    return this.fail(result, peer);
  }

  /** Counts a failed send, call, cast or signal to `peer` (null: a node never seen). */
  private fail(reason: RemoteSendFailure, peer: Peer | null): false {
    this.sendFailures[reason]++;
    if (this.ev !== null) this.ev.remoteSendFailed(peer === null ? null : peer.remote, reason);
    return false;
  }

  /** Encodes and publishes a frame (with `trace` in its headers); returns null, or why it failed. */
  private publish(subject: string, frame: Frame, peer: Peer | null, trace?: RemoteTrace): RemoteSendFailure | null {
    let bytes: Uint8Array;
    try {
      bytes = this.codec.encode(frame, this);
    } catch (error) {
      const unencodable = error instanceof UnencodableError;
      if (!unencodable) this.settings.logger?.warn(`codec ${this.codec.name} threw ${formatValue(error)}`);
      if (this.ev !== null) this.ev.codecError('encode', unencodable ? 'unencodable' : 'codec_error');
      return 'encode';
    }
    try {
      if (trace === undefined) this.nc.publish(subject, bytes);
      else this.nc.publish(subject, bytes, { headers: traceHeaders(trace) });
    } catch {
      return 'publish';
    }
    if (peer !== null) {
      peer.stats.framesSent++;
      peer.stats.bytesSent += bytes.byteLength;
      if (this.ev !== null) this.ev.remoteSent(peer.remote, bytes.byteLength, MESSAGE_KINDS.has(frame.k));
    }
    return null;
  }

  /** Publishes a frame whose failure has no caller to tell (signals): it is counted. */
  private publishSignal(peer: Peer, frame: Frame): boolean {
    const failure = this.publish(peer.subject, frame, peer);
    if (failure === null) return true;
    return this.fail(failure, peer);
  }

  link(from: Pid, to: RemotePid): void {
    const peer = to.home.slot as Peer | undefined;
    if (peer === undefined || !peer.up) {
      // Erlang: a link to a pid on an unreachable node breaks at once with noconnection.
      this.system.deliverRemote(from, { kind: 'exit', from: to, reason: ExitReason.noconnection });
      return;
    }
    const w = this.watch(from);
    if (w.links.has(to)) return;
    w.links.add(to);
    this.publishSignal(peer, { f: this.node, c: this.creation, k: 'link', from, to });
  }

  unlink(from: Pid, to: RemotePid): void {
    const w = this.watches.get(from.id);
    if (w === undefined || !w.links.delete(to)) return;
    const peer = to.home.slot as Peer | undefined;
    if (peer !== undefined && peer.up) this.publishSignal(peer, { f: this.node, c: this.creation, k: 'unlink', from, to });
  }

  exit(from: Pid, to: RemotePid, reason: ExitSignalReason): boolean {
    const peer = to.home.slot as Peer | undefined;
    if (peer === undefined || !peer.up) return false;
    const r: ExitReason | 'kill' = reason === 'kill' ? 'kill' : reason === 'normal' ? ExitReason.normal : reason === 'shutdown' ? ExitReason.shutdown() : reason;
    return this.publishSignal(peer, { f: this.node, c: this.creation, k: 'exit', from, to, reason: r, link: false });
  }

  monitor(ref: MonitorRef, watcher: Pid | null, listener: ((down: DownSignal) => void) | null): void {
    const target = ref.target as RemotePid;
    const peer = target.home.slot as Peer | undefined;
    const m: OutboundMonitor = { ref, watcher, peer: peer ?? null, listener };
    if (peer === undefined || !peer.up) {
      // Erlang: monitoring a pid on a node that cannot be reached delivers noconnection at once.
      queueMicrotask(() => this.fireDown(m, ExitReason.noconnection));
      return;
    }
    this.outMonitors.set(ref.id, m);
    if (watcher !== null) this.watch(watcher).monitors.add(m);
    this.publishSignal(peer, { f: this.node, c: this.creation, k: 'mon', ref: ref.id, to: target });
  }

  demonitor(ref: MonitorRef): boolean {
    const m = this.outMonitors.get(ref.id);
    if (m === undefined || m.ref !== ref) return false;
    this.dropOutbound(m);
    if (m.peer !== null && m.peer.up) this.publishSignal(m.peer, { f: this.node, c: this.creation, k: 'demon', ref: ref.id });
    return true;
  }

  /** Forgets a monitor of a remote pid (it fired, or was removed). */
  private dropOutbound(m: OutboundMonitor): void {
    this.outMonitors.delete(m.ref.id);
    if (m.watcher !== null) this.watches.get(m.watcher.id)?.monitors.delete(m);
  }

  private fireDown(m: OutboundMonitor, reason: ExitReason): void {
    const down: DownSignal = { kind: 'down', ref: m.ref, pid: m.ref.target, reason };
    if (m.watcher !== null) {
      this.system.deliverRemote(m.watcher, down);
    } else if (m.listener !== null) {
      try {
        m.listener(down);
      } catch (error) {
        this.settings.logger?.error(`a monitor listener of ${m.ref.target} threw: ${formatValue(error)}`, { error });
      }
    }
  }

  call(server: RemotePid | RemoteName, request: unknown, timeoutMs: number, caller: Pid | null): Promise<unknown> {
    const ev = this.ev;
    const callerHandle: ActorHandle | null = ev === null || caller === null ? null : (this.system.handle(caller) ?? null);
    return this.request(
      server,
      timeoutMs,
      'request',
      (id, to) => ({ f: this.node, c: this.creation, k: 'call', id, to, req: request, tmo: timeoutMs }),
      ev === null ? null : (peer) => ev.remoteCallStarted(peer.remote, callerHandle),
    );
  }


  cast(server: RemotePid | RemoteName, request: unknown): boolean {
    const isName = isRemoteName(server);
    const peer = isName ? this.current.get(server.node) : (server.home.slot as Peer | undefined);
    if (peer === undefined) return this.fail('no_route', null);
    if (!peer.up) return this.fail('node_down', peer);
    const failure = this.publish(peer.subject, { f: this.node, c: this.creation, k: 'cast', to: isName ? server.name : server, req: request }, peer);
    return failure === null ? true : this.fail(failure, peer);
  }

  stop(server: RemotePid | RemoteName, reason: ExitReason, timeoutMs: number): Promise<void> {
    // a stop is no call: it has no instrumentation token, and its end is not timed as a call's
    return this.request(server, timeoutMs, 'stop reason', (id, to) => ({ f: this.node, c: this.creation, k: 'stop', id, to, reason }), null).then(() => undefined);
  }

  /**
   * Sends a request that a reply frame answers (a call, or a stop) and settles with that reply;
   * at once with `noconnection` when the node is unknown or down (and counted as a send
   * failure), or with CallTimeoutError after `timeoutMs`. `started` makes the instrumentation's
   * call token (null: the request is not timed as a call).
   */
  private request(
    server: RemotePid | RemoteName,
    timeoutMs: number,
    what: string,
    frameOf: (id: number, to: RemotePid | string) => Frame,
    started: ((peer: Peer) => unknown) | null,
  ): Promise<unknown> {
    const isName = isRemoteName(server);
    const label: Pid | string = isName ? `${server.name}@${server.node}` : server;
    const peer = isName ? this.current.get(server.node) : (server.home.slot as Peer | undefined);
    if (peer === undefined || !peer.up) {
      this.fail(peer === undefined ? 'no_route' : 'node_down', peer ?? null);
      return Promise.reject(new CalleeExitedError(label, ExitReason.noconnection));
    }
    const ev = started === null ? null : this.ev;
    return new Promise<unknown>((resolve, reject) => {
      const id = this.nextRequestId++;
      const token = started === null ? undefined : started(peer);
      const pending: PendingCall = { server: label, peer, timeoutMs, token, resolve, reject, timer: undefined };
      const failure = this.publish(peer.subject, frameOf(id, isName ? server.name : server), peer, ev === null ? undefined : ev.callTrace(token));
      if (failure !== null) {
        this.fail(failure, peer);
        if (ev !== null) ev.remoteCallEnded(peer.remote, token, null, failure === 'encode' ? 'error' : 'exit');
        reject(failure === 'encode' ? new UnencodableError('$', `the ${what} cannot be encoded`) : new CalleeExitedError(label, ExitReason.noconnection));
        return;
      }
      this.calls.set(id, pending);
      if (timeoutMs !== Number.POSITIVE_INFINITY) {
        pending.timer = this.system.clock.setTimeout(
          () => {
            if (!this.calls.delete(id)) return;
            if (this.ev !== null && token !== undefined) this.ev.remoteCallEnded(peer.remote, token, null, 'timeout');
            reject(new CallTimeoutError(label, timeoutMs));
          },
          timeoutMs,
          undefined,
        );
      }
    });
  }


  // -------------------------------------------------------------------------------------
  // Remote links and monitors, as core's info() lists them

  remoteLinks(pid: Pid): readonly RemotePid[] {
    const w = this.watches.get(pid.id);
    return w === undefined || w.pid !== pid || w.links.size === 0 ? NONE : [...w.links];
  }

  remoteMonitors(pid: Pid): readonly RemotePid[] {
    const w = this.watches.get(pid.id);
    if (w === undefined || w.pid !== pid || w.monitors.size === 0) return NONE;
    const out: RemotePid[] = [];
    for (const m of w.monitors) out.push(m.ref.target as RemotePid);
    return out;
  }

  // -------------------------------------------------------------------------------------
  // Remote spawn

  registerBehaviour(name: string, factory: BehaviourFactory): void {
    this.behaviours.set(name, factory);
  }

  spawnOn(node: string, behaviour: string, args: readonly unknown[], link: Pid | null): Promise<RemotePid> {
    const peer = this.current.get(node);
    if (peer === undefined || !peer.up) return Promise.reject(new NodeDownError(node));
    return new Promise<RemotePid>((resolve, reject) => {
      const id = this.nextRequestId++;
      const pending: PendingSpawn = { node, behaviour, peer, resolve, reject, timer: undefined };
      const failure = this.publish(peer.subject, { f: this.node, c: this.creation, k: 'spawn', id, b: behaviour, args: [...args], link }, peer);
      if (failure !== null) {
        this.fail(failure, peer);
        reject(failure === 'encode' ? new UnencodableError('$', 'the spawn arguments cannot be encoded') : new NodeDownError(node));
        return;
      }
      this.spawns.set(id, pending);
      pending.timer = this.system.clock.setTimeout(
        () => {
          if (this.spawns.delete(id)) reject(new RemoteSpawnError(node, behaviour, new Error(`no answer within ${this.settings.spawnTimeoutMs} ms`)));
        },
        this.settings.spawnTimeoutMs,
        undefined,
      );
    });
  }

  // -------------------------------------------------------------------------------------
  // Receiving

  /** One frame from NATS (with its headers). Never throws: what cannot be handled is counted. */
  receive(bytes: Uint8Array, hdrs?: MsgHdrs): void {
    let frame: Frame;
    try {
      frame = checkFrame(this.codec.decode(bytes, this));
    } catch (error) {
      this.malformedFrames++;
      const malformed = error instanceof MalformedFrameError;
      if (!malformed) this.settings.logger?.warn(`codec ${this.codec.name} threw decoding: ${formatValue(error)}`);
      if (this.ev !== null) this.ev.codecError('decode', malformed ? 'malformed' : 'codec_error');
      return;
    }
    if (frame.f === this.node) {
      if (frame.c !== this.creation && frame.k === 'hb') this.settings.logger?.warn(`another node is named '${this.node}' in this cluster: node names must be unique`);
      return;
    }
    if (frame.k === 'bye') {
      const peer = this.current.get(frame.f);
      if (peer !== undefined && peer.creation === frame.c) this.nodeDown(peer, 'left');
      return;
    }
    const peer = this.touch(frame.f, frame.c);
    peer.stats.framesReceived++;
    peer.stats.bytesReceived += bytes.byteLength;
    const ev = this.ev;
    // Heartbeats are broadcast, so neither side counts them as traffic with a peer.
    if (ev !== null && frame.k !== 'hb') ev.remoteReceived(peer.remote, bytes.byteLength, MESSAGE_KINDS.has(frame.k), this.queueWait(frame, peer));
    const trace = ev === null ? undefined : traceOf(hdrs);
    const previous = trace === undefined ? undefined : (ev as DistributionEvents).traceIn(trace, frame.k === 'call');
    try {
      this.dispatch(frame, peer);
    } catch (error) {
      this.settings.logger?.error(`handling a ${frame.k} frame from ${frame.f} threw: ${formatValue(error)}`, { error });
    } finally {
      if (trace !== undefined) (ev as DistributionEvents).traceEnd(previous);
    }
  }

  /**
   * Seconds from a timestamped message's send to now, by this node's clock: the sender's
   * timestamp moved onto this clock by the offset the heartbeats estimated (none yet: taken as 0).
   * NaN for frames without a timestamp.
   */
  private queueWait(frame: Frame, peer: Peer): number {
    if ((frame.k !== 'msg' && frame.k !== 'nmsg') || frame.t === undefined) return Number.NaN;
    const offsetMs = Number.isNaN(peer.offsetMs) ? 0 : peer.offsetMs;
    return Math.max(0, wallMicros() - frame.t + offsetMs * 1000) / 1e6;
  }

  private dispatch(frame: Frame, peer: Peer): void {
    const system = this.system;
    switch (frame.k) {
      case 'hb':
        if (frame.i !== undefined) peer.interval = frame.i;
        // Answered to the sender alone, so it can measure the round trip and our clock's offset.
        if (frame.s !== undefined && frame.t !== undefined) this.publish(peer.subject, { f: this.node, c: this.creation, k: 'hback', s: frame.s, t: frame.t, r: wallMicros() }, peer);
        return;
      case 'hback': {
        const rtt = wallMicros() - frame.t;
        if (rtt < 0) return;
        // The answer was stamped about half way through the round trip.
        peer.roundTrip(rtt / 1000, (frame.r - (frame.t + rtt / 2)) / 1000);
        if (this.ev !== null) this.ev.heartbeatRtt(peer.remote, rtt / 1e6);
        return;
      }
      case 'bye':
        return;
      case 'msg':
        this.messagesReceived++;
        if (!(frame.to instanceof RemotePid)) system.send(frame.to, frame.m);
        return;
      case 'nmsg':
        this.messagesReceived++;
        system.send(frame.name, frame.m);
        return;
      case 'link': {
        const from = frame.from as RemotePid;
        if (frame.to instanceof RemotePid || !system.isAlive(frame.to)) {
          this.publishSignal(peer, { f: this.node, c: this.creation, k: 'exit', from: frame.to, to: from, reason: ExitReason.noproc, link: true });
          return;
        }
        this.watch(frame.to).links.add(from);
        return;
      }
      case 'unlink':
        this.watches.get(frame.to.id)?.links.delete(frame.from as RemotePid);
        return;
      case 'exit': {
        if (frame.to instanceof RemotePid) return;
        if (frame.link) {
          const w = this.watches.get(frame.to.id);
          // A link exit for a link we no longer hold (unlinked meanwhile) is dropped, as in Erlang.
          if (w === undefined || !w.links.delete(frame.from as RemotePid)) return;
        }
        if (frame.reason === 'kill') system.deliverRemote(frame.to, { kind: 'kill', from: frame.from });
        else system.deliverRemote(frame.to, { kind: 'exit', from: frame.from, reason: frame.reason });
        return;
      }
      case 'mon': {
        if (frame.to instanceof RemotePid || !system.isAlive(frame.to)) {
          this.publishSignal(peer, { f: this.node, c: this.creation, k: 'down', ref: frame.ref, pid: frame.to, reason: ExitReason.noproc });
          return;
        }
        const w = this.watch(frame.to);
        let refs = w.monitoredBy.get(peer);
        if (refs === undefined) {
          refs = new Set();
          w.monitoredBy.set(peer, refs);
        }
        refs.add(frame.ref);
        return;
      }
      case 'demon':
        for (const w of this.watches.values()) w.monitoredBy.get(peer)?.delete(frame.ref);
        return;
      case 'down': {
        const m = this.outMonitors.get(frame.ref);
        if (m === undefined || m.peer !== peer) return;
        this.dropOutbound(m);
        this.fireDown(m, frame.reason);
        return;
      }
      case 'call':
        this.serveCall(frame.id, frame.to, frame.req, frame.tmo, peer);
        return;
      case 'reply': {
        const call = this.calls.get(frame.id);
        if (call === undefined || call.peer !== peer) {
          this.lateReplies++;
          return;
        }
        this.calls.delete(frame.id);
        system.clock.clearTimeout(call.timer);
        if (this.ev !== null && call.token !== undefined) this.ev.remoteCallEnded(peer.remote, call.token, frame.ty ?? null, frame.ok ? 'ok' : callOutcome(frame.v));
        if (frame.ok) call.resolve(frame.v);
        else call.reject(this.callError(call, frame.v, frame.reason));
        return;
      }
      case 'cast': {
        const to = typeof frame.to === 'string' ? system.whereis(frame.to) : frame.to;
        if (to !== undefined && !(to instanceof RemotePid)) ServerRef.of(system, to).cast(frame.req as never);
        return;
      }
      case 'stop':
        this.serveStop(frame.id, frame.to, frame.reason, peer);
        return;
      case 'spawn':
        this.serveSpawn(frame.id, frame.b, frame.args, frame.link, peer);
        return;
      case 'spawned': {
        const spawn = this.spawns.get(frame.id);
        if (spawn === undefined || spawn.peer !== peer) return;
        this.spawns.delete(frame.id);
        system.clock.clearTimeout(spawn.timer);
        if (frame.ok && frame.v instanceof RemotePid) spawn.resolve(frame.v);
        else spawn.reject(this.spawnError(spawn, frame.v));
        return;
      }
      default:
        frame satisfies never;
    }
  }

  /** Answers request `id` of `peer` (a call or a stop). */
  private reply(peer: Peer, id: number, ok: boolean, v: unknown, reason: ExitReason | null, ty: string | null = null): void {
    if (!peer.up) return;
    const failure = this.publish(peer.subject, { f: this.node, c: this.creation, k: 'reply', id, ok, v, reason, ty }, peer);
    if (failure === null) return;
    this.fail(failure, peer);
    if (failure === 'encode') {
      this.publishSignal(peer, { f: this.node, c: this.creation, k: 'reply', id, ok: false, v: new UnencodableError('$', 'the reply cannot be encoded'), reason: null, ty });
    }
  }

  /** Another node's `stop()` of a server here: stopped as a local stop is, answered once it exited. */
  private serveStop(id: number, to: Pid | string, reason: ExitReason, peer: Peer): void {
    if (to instanceof RemotePid) {
      this.reply(peer, id, false, new NoProcError(String(to)), null);
      return;
    }
    // The caller keeps the timeout (as OTP's caller does): here the stop waits for the exit.
    let stopped: Promise<void>;
    try {
      stopped = (typeof to === 'string' ? NamedServerRef.of(this.system, to) : ServerRef.of(this.system, to)).stop(reason);
    } catch (error) {
      this.reply(peer, id, false, error, null); // an empty name: refused as a local stop would be
      return;
    }
    stopped.then(
      () => this.reply(peer, id, true, undefined, null),
      (error: unknown) => this.reply(peer, id, false, error, null),
    );
  }

  private serveCall(id: number, to: Pid | string, request: unknown, timeoutMs: number, peer: Peer): void {
    const pid = typeof to === 'string' ? this.system.whereis(to) : to;
    // the server's type travels with the reply: the caller labels the remote call's duration with it
    const ty = (pid === undefined ? undefined : this.system.handle(pid)?.type) ?? null;
    const reply = (ok: boolean, v: unknown, reason: ExitReason | null): void => this.reply(peer, id, ok, v, reason, ty);
    if (pid === undefined || pid instanceof RemotePid) {
      reply(false, new NoProcError(typeof to === 'string' ? to : String(to)), null);
      return;
    }
    ServerRef.of(this.system, pid)
      .call(request, { timeoutMs })
      .then(
        (value) => reply(true, value, null),
        (error: unknown) => reply(false, error, error instanceof CalleeExitedError ? error.reason : null),
      );
  }

  /** The caller's typed error for a remote rejection. */
  private callError(call: PendingCall, error: unknown, reason: ExitReason | null): unknown {
    const code = (error as { code?: unknown } | null)?.code;
    switch (code) {
      case 'NOPROC':
        return new NoProcError(call.server);
      case 'CALL_TIMEOUT':
        return new CallTimeoutError(call.server, call.timeoutMs);
      case 'CALLEE_EXITED':
        return new CalleeExitedError(call.server, reason ?? ExitReason.error(error));
      default:
        return error;
    }
  }

  private serveSpawn(id: number, behaviour: string, args: unknown[], link: Pid | null, peer: Peer): void {
    const reply = (ok: boolean, v: unknown): void => {
      this.publishSignal(peer, { f: this.node, c: this.creation, k: 'spawned', id, ok, v });
    };
    const factory = this.behaviours.get(behaviour);
    if (factory === undefined) {
      reply(false, new UnknownBehaviourError(this.node, behaviour));
      return;
    }
    try {
      const made = (factory as (...a: unknown[]) => Behavior<unknown> | ReceiveFunction<unknown>)(...args);
      const pid = this.system.spawn(made, link === null ? { type: behaviour } : { type: behaviour, link });
      reply(true, pid);
    } catch (error) {
      reply(false, error);
    }
  }

  private spawnError(spawn: PendingSpawn, error: unknown): unknown {
    if ((error as { code?: unknown } | null)?.code === 'UNKNOWN_BEHAVIOUR') return new UnknownBehaviourError(spawn.node, spawn.behaviour);
    return new RemoteSpawnError(spawn.node, spawn.behaviour, error);
  }

  // -------------------------------------------------------------------------------------
  // Introspection and leaving

  stats(): ClusterStats {
    const peers = [];
    for (const peer of this.current.values()) peers.push({ node: peer.name, creation: peer.creation, up: peer.up, ...peer.stats });
    return {
      messagesSent: this.messagesSent,
      messagesReceived: this.messagesReceived,
      sendFailures: { ...this.sendFailures },
      malformedFrames: this.malformedFrames,
      lateReplies: this.lateReplies,
      peers,
    };
  }

  /** Node events' view of this node's peers (for instrumentation tests). */
  peerOf(node: string): RemoteNode | undefined {
    return this.current.get(node)?.remote;
  }

  /** Says goodbye, stops the heartbeat and detaches from the system (the connection is the caller's to close). */
  async leave(): Promise<void> {
    if (this.closed) return;
    this.publish(this.heartbeatSubject, { f: this.node, c: this.creation, k: 'bye' }, null);
    this.closed = true;
    this.system.clock.clearTimeout(this.heartbeatTimer);
    for (const sub of this.subs) sub.unsubscribe();
    for (const peer of [...this.current.values()]) this.nodeDown(peer, 'left');
    for (const w of this.watches.values()) if (w.ref !== null) this.system.demonitor(w.ref);
    this.watches.clear();
    this.system.setDistribution(null);
    await this.nc.flush().catch(() => undefined);
  }
}

/** NATS headers carrying a W3C trace context. */
function traceHeaders(trace: RemoteTrace): MsgHdrs {
  const h = headers();
  h.set('traceparent', trace.traceparent);
  if (trace.tracestate !== undefined) h.set('tracestate', trace.tracestate);
  return h;
}
