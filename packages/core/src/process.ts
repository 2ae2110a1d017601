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
import { Mailbox, type MailboxConfig } from './mailbox.js';
import type { Pid } from './pid.js';
import type { DownSignal, MonitorRef, Signal } from './signal.js';
import type { ActorSystem } from './system.js';
import type { TimerRef } from './timers.js';
import type { WaiterQueue } from './waiters.js';
import { checkBoolean } from './arguments.js';
import { sendFrom } from './delivery.js';
import { exitFrom, linkFrom, monitorFrom, unlinkFrom } from './exit-signals.js';
import { stopSelf } from './turn.js';
import { InvalidArgumentError } from './errors.js';

/** @internal lifecycle states, in the low two bits of `flags` */
export const STARTING = 0;
/** @internal */
export const ALIVE = 1;
/** @internal */
export const EXITING = 2;
/** @internal */
export const DEAD = 3;

/** @internal what an async handler the actor awaits was doing (bits 6-7 of `flags`) */
export const PHASE_NONE = 0;
/** @internal */
export const PHASE_INIT = 1;
/** @internal */
export const PHASE_MESSAGE = 2;
/** @internal */
export const PHASE_SIGNAL = 3;

/** @internal bits of `flags` */
export const STATUS_BITS = 3;
/** @internal in the run queue */
export const QUEUED = 4;
/** @internal awaiting an async handler */
export const SUSPENDED = 8;
/** @internal `init` has not run yet */
export const INIT_PENDING = 16;
/** @internal */
export const TRAPPING = 32;
const PHASE_SHIFT = 6;
const PHASE_BITS = 3 << PHASE_SHIFT;
/** @internal an exit is due at the next turn (the reason is in the extras) */
export const PENDING_EXIT = 256;
/** @internal signals are queued (in the extras) */
export const HAS_SIGNALS = 512;
/** @internal `sendAsync` callers wait for room (in the extras) */
export const HAS_WAITERS = 1024;

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

/** @internal the rarely used part of an actor's record. */
export class ActorExtras {
  name: string | undefined = undefined;
  signals: QueuedSignal[] | null = null;
  pendingExit: ExitReason | null = null;
  slot: unknown = undefined;
  dropped = 0;
  waiters: WaiterQueue | null = null;
  links: Set<ActorProcess> | null = null;
  monitors: Map<number, Monitor> | null = null;
  monitoredBy: Map<number, Monitor> | null = null;
  timers: Set<TimerRef> | null = null;
  joiners: ((reason: ExitReason) => void)[] | null = null;
  /** meta and token of the message whose async handler the actor awaits */
  curMeta: unknown = undefined;
  curToken: unknown = undefined;
  /** whether that message went through messageStart (so messageEnd is owed) */
  curSeen = false;
  onResolved: ((value: unknown) => void) | null = null;
  onRejected: ((error: unknown) => void) | null = null;
}

/**
 * @internal An actor's record: its mailbox (inherited, so the ring buffer's fields sit inline)
 * plus its state. Kept small — every idle actor costs these bytes — so the booleans share one
 * `flags` word behind accessors and rarely used fields live in {@link ActorExtras}.
 */
export class ActorProcess extends Mailbox implements ActorContext<unknown>, ActorHandle {
  readonly pid: Pid;
  readonly parent: Pid | null;
  readonly behavior: Behavior<unknown>;
  readonly spawnedAt: number;
  flags = STARTING;
  /** Messages ever enqueued, and ever taken out (handled or dropped): signals are ordered by them. */
  enqueued = 0;
  consumed = 0;
  x: ActorExtras | null = null;
  /** The live-actor list of the system (intrusive: no Set entry per actor). */
  prevLive: ActorProcess | null = null;
  nextLive: ActorProcess | null = null;

  constructor(pid: Pid, parent: Pid | null, behavior: Behavior<unknown>, config: MailboxConfig, spawnedAt: number) {
    super(config);
    this.pid = pid;
    this.parent = parent;
    this.behavior = behavior;
    this.spawnedAt = spawnedAt;
  }

  /** The extras, allocated on first use. */
  ext(): ActorExtras {
    return (this.x ??= new ActorExtras());
  }

  get system(): ActorSystem {
    return this.pid.system;
  }
  get actorType(): ActorType {
    return this.pid.actorType;
  }
  get status(): number {
    return this.flags & STATUS_BITS;
  }
  set status(value: number) {
    this.flags = (this.flags & ~STATUS_BITS) | value;
  }
  get queued(): boolean {
    return (this.flags & QUEUED) !== 0;
  }
  set queued(on: boolean) {
    this.flags = on ? this.flags | QUEUED : this.flags & ~QUEUED;
  }
  get suspended(): boolean {
    return (this.flags & SUSPENDED) !== 0;
  }
  set suspended(on: boolean) {
    this.flags = on ? this.flags | SUSPENDED : this.flags & ~SUSPENDED;
  }
  get initPending(): boolean {
    return (this.flags & INIT_PENDING) !== 0;
  }
  set initPending(on: boolean) {
    this.flags = on ? this.flags | INIT_PENDING : this.flags & ~INIT_PENDING;
  }
  get trapping(): boolean {
    return (this.flags & TRAPPING) !== 0;
  }
  set trapping(on: boolean) {
    this.flags = on ? this.flags | TRAPPING : this.flags & ~TRAPPING;
  }
  get phase(): number {
    return (this.flags & PHASE_BITS) >> PHASE_SHIFT;
  }
  set phase(value: number) {
    this.flags = (this.flags & ~PHASE_BITS) | (value << PHASE_SHIFT);
  }
  get name(): string | undefined {
    return this.x === null ? undefined : this.x.name;
  }
  set name(value: string | undefined) {
    if (value !== undefined || this.x !== null) this.ext().name = value;
  }
  /** The exit the actor will take at its next turn (a kill, an untrapped exit signal, a stop, a crash). */
  get pendingExit(): ExitReason | null {
    return (this.flags & PENDING_EXIT) === 0 ? null : (this.x as ActorExtras).pendingExit;
  }
  set pendingExit(reason: ExitReason | null) {
    if (reason === null) {
      this.flags &= ~PENDING_EXIT;
      if (this.x !== null) this.x.pendingExit = null;
    } else {
      this.ext().pendingExit = reason;
      this.flags |= PENDING_EXIT;
    }
  }
  get slot(): unknown {
    return this.x === null ? undefined : this.x.slot;
  }
  set slot(value: unknown) {
    this.ext().slot = value;
  }
  /** Messages handled (one being handled counts). */
  get processed(): number {
    return this.consumed - this.dropped - (this.phase === PHASE_MESSAGE ? 1 : 0);
  }
  get dropped(): number {
    return this.x === null ? 0 : this.x.dropped;
  }
  get waiters(): WaiterQueue | null {
    return (this.flags & HAS_WAITERS) === 0 ? null : (this.x as ActorExtras).waiters;
  }
  set waiters(list: WaiterQueue | null) {
    if (list === null) {
      this.flags &= ~HAS_WAITERS;
      if (this.x !== null) this.x.waiters = null;
    } else {
      this.ext().waiters = list;
      this.flags |= HAS_WAITERS;
    }
  }
  /** Signals waiting their turn, oldest first (null when none). */
  get signals(): QueuedSignal[] | null {
    return (this.flags & HAS_SIGNALS) === 0 ? null : (this.x as ActorExtras).signals;
  }
  set signals(list: QueuedSignal[] | null) {
    if (list === null || list.length === 0) {
      this.flags &= ~HAS_SIGNALS;
      if (this.x !== null) this.x.signals = null;
    } else {
      this.ext().signals = list;
      this.flags |= HAS_SIGNALS;
    }
  }

  // --- ActorHandle -------------------------------------------------------------------------
  get type(): string {
    return this.actorType.name;
  }
  get mailboxDepth(): number {
    return this.len;
  }
  get mailboxCapacity(): number {
    return this.capacity;
  }
  get messagesReceived(): number {
    return this.enqueued;
  }
  get messagesProcessed(): number {
    return this.processed;
  }
  get alive(): boolean {
    return this.status <= ALIVE;
  }

  // --- ActorContext ------------------------------------------------------------------------
  get self(): Pid {
    return this.pid;
  }
  get ref(): ActorRef<unknown> {
    return this.pid;
  }
  get trapsExits(): boolean {
    return this.trapping;
  }

  spawn<N>(behavior: Behavior<N> | ReceiveFunction<N>, options?: SpawnOptions): ActorRef<N> {
    return this.system.spawnFrom(this, behavior, options);
  }

  spawnLink<N>(behavior: Behavior<N> | ReceiveFunction<N>, options?: Omit<SpawnOptions, 'link'>): ActorRef<N> {
    let linked: SpawnOptions;
    try {
      linked = { ...options, link: true };
    } catch {
      throw new InvalidArgumentError('spawnLink', 'options', options, 'an object { type?, name?, mailbox?, trapExit? }');
    }
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw new InvalidArgumentError('spawnLink', 'options', options, 'an object { type?, name?, mailbox?, trapExit? }');
    }
    return this.system.spawnFrom(this, behavior, linked);
  }

  link(pid: Pid): boolean {
    return linkFrom(this.system, this, pid);
  }

  unlink(pid: Pid): void {
    unlinkFrom(this.system, this, pid);
  }

  monitor(pid: Pid): MonitorRef {
    return monitorFrom(this.system, this, pid, null);
  }

  demonitor(ref: MonitorRef): boolean {
    return this.system.demonitor(ref);
  }

  trapExit(flag: boolean): boolean {
    checkBoolean('trapExit', 'flag', flag);
    const previous = this.trapping;
    this.trapping = flag;
    return previous;
  }

  exit(pid: Pid, reason: ExitSignalReason): boolean {
    return exitFrom(this.system, this, pid, reason);
  }

  stop(reason: ExitReason = Exit.normal): void {
    stopSelf(this.system, this, reason);
  }

  send<N>(dest: Destination<N>, message: N): boolean {
    return sendFrom(this.system, this, dest, message);
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

  override toString(): string {
    return `ActorContext(${this.pid.toString()} ${this.actorType.name})`;
  }
}
