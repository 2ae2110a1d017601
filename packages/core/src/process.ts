/**
 * The runtime record of one actor. It is also the `ctx` its handlers receive, so spawning an
 * actor allocates no separate context object.
 *
 * @module
 */
import type { ActorRef } from './actor-ref.js';
import type { ActorType } from './actor-type.js';
import type { ActorContext, Behavior, Destination, ReceiveFunction, SpawnOptions } from './behavior.js';
import { ExitReason as Exit, type ExitReason, type ExitSignalReason } from './exit-reason.js';
import type { ActorHandle } from './instrumentation.js';
import type { Mailbox } from './mailbox.js';
import type { Pid } from './pid.js';
import type { DownSignal, MonitorRef, Signal } from './signal.js';
import type { ActorSystem } from './system.js';
import type { TimerRef } from './timers.js';

/** @internal lifecycle states */
export const STARTING = 0;
/** @internal */
export const ALIVE = 1;
/** @internal */
export const EXITING = 2;
/** @internal */
export const DEAD = 3;

/** @internal what an async handler the actor awaits was doing */
export const PHASE_NONE = 0;
/** @internal */
export const PHASE_INIT = 1;
/** @internal */
export const PHASE_MESSAGE = 2;
/** @internal */
export const PHASE_SIGNAL = 3;

/** @internal a signal waiting its turn: due once `after` messages have left the mailbox. */
export interface QueuedSignal {
  readonly signal: Signal;
  readonly after: number;
}

/** @internal one monitor, referenced from both ends. */
export interface Monitor {
  readonly ref: MonitorRef;
  readonly watcher: ActorProcess | null;
  readonly target: ActorProcess;
  readonly listener: ((down: DownSignal) => void) | null;
}

/** @internal a `sendAsync` waiting for room in a full backpressure mailbox. */
export interface SendWaiter {
  readonly message: unknown;
  readonly sender: ActorProcess | null;
  readonly resolve: (ok: boolean) => void;
  timer: unknown;
}

/** @internal */
export class ActorProcess implements ActorContext<unknown>, ActorHandle {
  readonly system: ActorSystem;
  readonly pid: Pid;
  readonly actorType: ActorType;
  name: string | undefined = undefined;
  readonly parent: Pid | null;
  readonly behavior: Behavior<unknown>;
  readonly mailbox: Mailbox;
  readonly spawnedAt: number;

  status: number = STARTING;
  queued = false;
  suspended = false;
  initPending = false;
  phase: number = PHASE_NONE;
  trapping = false;
  pendingExit: ExitReason | null = null;
  exitReason: ExitReason | null = null;

  // counters
  enqueued = 0;
  consumed = 0;
  processed = 0;
  dropped = 0;

  links: Set<ActorProcess> | null = null;
  monitors: Map<number, Monitor> | null = null;
  monitoredBy: Map<number, Monitor> | null = null;
  signals: QueuedSignal[] | null = null;
  sigHead = 0;
  timers: Set<TimerRef> | null = null;
  waiters: SendWaiter[] | null = null;
  joiners: ((reason: ExitReason) => void)[] | null = null;

  slot: unknown = undefined;
  curMeta: unknown = undefined;
  curToken: unknown = undefined;
  onResolved: ((value: unknown) => void) | null = null;
  onRejected: ((error: unknown) => void) | null = null;
  private cachedRef: ActorRef<unknown> | null = null;

  constructor(
    system: ActorSystem,
    pid: Pid,
    actorType: ActorType,
    parent: Pid | null,
    behavior: Behavior<unknown>,
    mailbox: Mailbox,
    spawnedAt: number,
  ) {
    this.system = system;
    this.pid = pid;
    this.actorType = actorType;
    this.parent = parent;
    this.behavior = behavior;
    this.mailbox = mailbox;
    this.spawnedAt = spawnedAt;
  }

  // --- ActorHandle -------------------------------------------------------------------------
  get type(): string {
    return this.actorType.name;
  }
  get mailboxDepth(): number {
    return this.mailbox.len;
  }
  get mailboxCapacity(): number {
    return this.mailbox.capacity;
  }
  get alive(): boolean {
    return this.status <= ALIVE;
  }

  // --- ActorContext ------------------------------------------------------------------------
  get self(): Pid {
    return this.pid;
  }
  get ref(): ActorRef<unknown> {
    if (this.cachedRef === null) this.cachedRef = this.system.ref(this.pid);
    return this.cachedRef;
  }
  get trapsExits(): boolean {
    return this.trapping;
  }

  spawn<N>(behavior: Behavior<N> | ReceiveFunction<N>, options?: SpawnOptions): ActorRef<N> {
    return this.system.spawnFrom(this, behavior, options);
  }

  spawnLink<N>(behavior: Behavior<N> | ReceiveFunction<N>, options?: Omit<SpawnOptions, 'link'>): ActorRef<N> {
    return this.system.spawnFrom(this, behavior, { ...options, link: true });
  }

  link(pid: Pid): boolean {
    return this.system.linkFrom(this, pid);
  }

  unlink(pid: Pid): void {
    this.system.unlinkFrom(this, pid);
  }

  monitor(pid: Pid): MonitorRef {
    return this.system.monitorFrom(this, pid, null);
  }

  demonitor(ref: MonitorRef): boolean {
    return this.system.demonitor(ref);
  }

  trapExit(flag: boolean): boolean {
    const previous = this.trapping;
    this.trapping = flag;
    return previous;
  }

  exit(pid: Pid, reason: ExitSignalReason): boolean {
    return this.system.exitFrom(this, pid, reason);
  }

  stop(reason: ExitReason = Exit.normal): void {
    this.system.stopSelf(this, reason);
  }

  send<N>(dest: Destination<N>, message: N): boolean {
    return this.system.sendFrom(this, dest, message);
  }

  sendAfter<N>(dest: Destination<N>, message: N, ms: number): TimerRef {
    return this.system.sendAfter(dest, message, ms);
  }

  cancelTimer(ref: TimerRef): number | false {
    return this.system.cancelTimer(ref);
  }

  register(name: string): void {
    this.system.register(name, this.pid);
  }

  unregister(): boolean {
    return this.name === undefined ? false : this.system.unregister(this.name);
  }

  toString(): string {
    return `ActorContext(${this.pid.toString()} ${this.actorType.name})`;
  }
}
