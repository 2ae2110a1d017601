/**
 * The actor system: the public face of the runtime. It owns the state every actor shares
 * (scheduler, registry, clock, instrumentation, counters) and spawns actors; the rest lives
 * next to it as plain functions over the actor record: `delivery.ts` (send, overflow,
 * backpressure), `exit-signals.ts` (exit signals, links, monitors), `turn.ts` (what an actor
 * does when scheduled), `exit.ts` (terminate and the end), `send-after.ts` (timers),
 * `snapshot.ts` and `shutdown.ts`.
 *
 * @module
 */
import type { ActorRef, SendAsyncOptions } from './actor-ref.js';
import { ActorType, checkTypeName } from './actor-type.js';
import {
  checkDelay,
  checkDestination,
  checkFunction,
  checkMonitorRef,
  checkName,
  checkPid,
  checkTimerRef,
} from './arguments.js';
import type { Behavior, Destination, ReceiveFunction, SpawnOptions } from './behavior.js';
import { type Clock, systemClock } from './clock.js';
import { type Distribution, NO_NODE, type RemoteSignal } from './distribution.js';
import type { DistributionEvents } from './distribution-events.js';
import { liveProc, sendFrom, sendOrWait, waiterTimedOut } from './delivery.js';
import { InvalidArgumentError, InvalidConfigError, InvalidNameError, SystemStoppedError } from './errors.js';
import { assertNever, ExitReason as Exit, type ExitReason, type ExitSignalReason } from './exit-reason.js';
import { addLink, deliverExit, demonitorRef, exitFrom, monitorFrom, queueSignal } from './exit-signals.js';
import type { ActorInfo, SystemStats } from './info.js';
import type { ActorHandle, Instrumentation } from './instrumentation.js';
import { DEFAULT_MAILBOX_CAPACITY, MailboxConfig, type MailboxOptions } from './mailbox.js';
import { isPid, Pid, RemotePid } from './pid.js';
import { ALIVE, ActorProcess, DEAD, STARTING } from './process.js';
import { Registry } from './registry.js';
import { runShutdown } from './shutdown.js';
import { checkMailboxOptions, checkSpawnOptions, toBehavior } from './spawn-options.js';
import { consoleLogger, type Logger } from './logger.js';
import { Scheduler, type SchedulerOptions } from './scheduler.js';
import { cancel, fireTimer, startTimer } from './send-after.js';
import { snapshot } from './snapshot.js';
import { type DownSignal, type MonitorRef } from './signal.js';
import { type TimerRef } from './timers.js';
import { DeadlineQueue } from './deadlines.js';
import type { SendWaiter } from './waiters.js';

/**
 * Options of an {@link ActorSystem}.
 * @since 0.1.0
 */
export interface ActorSystemOptions {
  /** The node number printed first in pids (default: 0 for the first system of the process, then 1, 2, ...). */
  readonly nodeId?: number;
  /** Time source and timers (default {@link systemClock}); pass a {@link TestClock} in tests. */
  readonly clock?: Clock;
  /** Receives every runtime event (default none: each event then costs one null check). */
  readonly instrumentation?: Instrumentation | null;
  /** Where crash reports go (default {@link consoleLogger}; `null` for silence). */
  readonly logger?: Logger | null;
  /** Scheduler tuning. */
  readonly scheduler?: SchedulerOptions;
  /** Mailbox defaults for spawns that do not say (default capacity {@link DEFAULT_MAILBOX_CAPACITY}, policy `reject`). */
  readonly mailbox?: MailboxOptions;
}

/** Options of {@link ActorSystem.shutdown}. */
export interface ShutdownOptions {
  /** How long actors get to run `terminate` before the rest are killed (default 5000 ms). */
  readonly timeoutMs?: number;
}

/** Whether the system runs, is shutting down, or has shut down. */
export type SystemStatus = 'running' | 'stopping' | 'stopped';

const DEFAULT_TYPE = 'actor';
let nextNodeId = 0;

/**
 * An actor system: a set of actors sharing one scheduler, registry, clock and instrumentation.
 *
 * @example
 * ```ts
 * import { ActorSystem } from '@joerl/core';
 *
 * const system = new ActorSystem();
 * const greeter = system.spawn<string>((name) => console.log(`hello, ${name}`), { type: 'greeter' });
 * greeter.send('world');
 * await system.shutdown();
 * ```
 * @since 0.1.0
 */
export class ActorSystem {
  /** The node number in this system's pids. */
  readonly nodeId: number;
  /** The clock timers and timestamps come from. */
  readonly clock: Clock;
  /** The instrumentation, or null. Behaviour packages (`@joerl/gen`) report through it too. */
  readonly instrumentation: Instrumentation | null;
  /** The pseudo-pid (`<node.0.0>`) that signals sent from outside any actor come from. */
  readonly rootPid: Pid;

  /** @internal */
  readonly ins: Instrumentation | null;
  /** @internal */
  readonly logger: Logger | null;
  /** @internal */
  readonly scheduler: Scheduler;
  /** @internal */
  readonly registry = new Registry();
  private liveHead: ActorProcess | null = null;
  private liveTail: ActorProcess | null = null;
  /** @internal */
  liveCount = 0;
  private readonly types = new Map<string, ActorType>();
  private readonly defaultMailbox: MailboxConfig;
  private readonly mailboxConfigs = new Map<string, MailboxConfig>();
  /** @internal */
  readonly fireTimerBound: (timer: TimerRef) => void;
  private nextId = 1;
  /** @internal */
  nextMonitorId = 1;
  /** @internal */
  nextTimerId = 1;
  /** @internal */
  timersActive = 0;
  private spawnedCount = 0;
  /** Of exited actors (live ones are summed at read time: nothing is counted per message). */
  /** @internal */
  processedCount = 0;
  /** @internal */
  enqueuedCount = 0;
  /** Sends not enqueued: dead or unknown destination, full mailbox, sendAsync timed out. */
  /** @internal */
  refusedCount = 0;
  /** Queued messages evicted by `drop-oldest`. */
  /** @internal */
  droppedCount = 0;
  /** Messages still queued when their actor exited. */
  /** @internal */
  discardedCount = 0;
  /** @internal */
  readonly deadlines: DeadlineQueue<SendWaiter>;
  private state: SystemStatus = 'running';
  private tickTime = 0;
  private tickValid = false;
  private readonly invalidateTick = (): void => {
    this.tickValid = false;
  };
  /** The type of the last spawn: spawning many actors of one type skips the map lookup. */
  private lastType: ActorType;
  private shutdownPromise: Promise<void> | null = null;
  /** @internal The distribution (null for a single node: sends then pay one null check on their miss path only). */
  dist: Distribution | null = null;
  /** @internal The instrumentation's distribution events, or null (read once per remote send). */
  readonly distEvents: DistributionEvents | null;

  constructor(options: ActorSystemOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidConfigError('ActorSystem options', options, 'an object');
    }
    const nodeId = options.nodeId ?? nextNodeId++;
    if (!Number.isInteger(nodeId) || nodeId < 0) {
      throw new InvalidConfigError('nodeId', nodeId, 'a non-negative integer');
    }
    this.nodeId = nodeId;
    this.clock = options.clock ?? systemClock;
    this.instrumentation = options.instrumentation ?? null;
    this.ins = this.instrumentation;
    this.distEvents = this.ins?.distribution ?? null;
    this.logger = options.logger === undefined ? consoleLogger : options.logger;
    this.scheduler = new Scheduler(this, options.scheduler);
    const mailbox = checkMailboxOptions(options.mailbox, 'mailbox', DEFAULT_MAILBOX_CAPACITY, 'reject');
    this.defaultMailbox = new MailboxConfig(mailbox.capacity, mailbox.overflow);
    this.rootPid = new Pid(0, null, new ActorType('system', this));
    this.lastType = this.rootPid.actorType;
    if (this.ins !== null) this.ins.attached(this);
    this.fireTimerBound = (timer) => fireTimer(this, timer);
    this.deadlines = new DeadlineQueue<SendWaiter>(this.clock, (w) => {
      w.settled = true;
      waiterTimedOut(this, w);
    });
  }

  /** `running`, `stopping` (during {@link ActorSystem.shutdown}) or `stopped`. */
  get status(): SystemStatus {
    return this.state;
  }

  // ---------------------------------------------------------------------------------------
  // Spawning

  /**
   * Spawns an actor and returns a typed ref to it. Its `init` (if any) runs asynchronously,
   * before any message.
   *
   * @throws InvalidConfigError for a bad behaviour or option, InvalidNameError / NameTakenError
   *   for a bad or taken `name`, SystemStoppedError after {@link ActorSystem.shutdown}.
   * @example
   * ```ts
   * const ref = system.spawn<number>({ receive(n) { console.log(n * 2); } }, { type: 'doubler', name: 'doubler' });
   * ref.send(21);
   * ```
   */
  spawn<M>(behavior: Behavior<M> | ReceiveFunction<M>, options?: SpawnOptions): ActorRef<M> {
    return this.spawnFrom(null, behavior, options);
  }

  /** @internal */
  spawnFrom<M>(
    parent: ActorProcess | null,
    behaviorOrFn: Behavior<M> | ReceiveFunction<M>,
    options: SpawnOptions = {},
  ): ActorRef<M> {
    if (this.state === 'stopped') throw new SystemStoppedError('spawn');
    checkSpawnOptions(options);
    const behavior = toBehavior(behaviorOrFn);
    const actorType = this.typeFor(options.type, behavior);
    const box = options.mailbox === undefined ? null : this.mailboxConfig(options.mailbox);
    let linkTo: ActorProcess | null = null;
    let linkDead: Pid | null = null;
    let linkRemote: RemotePid | null = null;
    const link = options.link;
    if (link === true) {
      if (parent === null) {
        throw new InvalidConfigError('link', true, 'a Pid to link to: `link: true` links to the spawning actor and needs ctx.spawn (or use ctx.spawnLink)');
      }
      linkTo = parent;
    } else if (isPid(link)) {
      linkTo = liveProc(this, link);
      if (linkTo === null) {
        if (link instanceof RemotePid && this.dist !== null) linkRemote = link;
        else linkDead = link;
      }
    } else if (link !== undefined && link !== false) {
      throw new InvalidConfigError('link', link, 'true, false, or a Pid');
    }
    if (options.name !== undefined) this.registry.check(options.name);

    const pid = new Pid<M>(this.nextId++, null, actorType);
    const proc = new ActorProcess(
      pid,
      parent === null ? null : parent.pid,
      behavior,
      box ?? this.defaultMailbox,
      this.ins === null ? this.tickNow() : this.clock.now(),
    );
    pid.proc = proc;
    proc.status = ALIVE;
    if (options.trapExit === true) proc.trapping = true;
    this.addLive(proc);
    this.spawnedCount++;
    if (options.name !== undefined) this.registry.add(options.name, proc);
    if (this.ins !== null) this.ins.actorSpawned(proc);
    if (linkTo !== null) addLink(this, proc, linkTo);
    if (typeof behavior.init === 'function') {
      proc.status = STARTING;
      proc.initPending = true;
      this.scheduler.enqueue(proc);
    }
    if (linkDead !== null) deliverExit(this, linkDead, null, proc, Exit.noproc, false);
    if (linkRemote !== null) (this.dist as Distribution).link(pid, linkRemote);
    return pid;
  }

  /** One shared config per distinct (capacity, overflow): actors hold a pointer, not copies. */
  private mailboxConfig(options: MailboxOptions): MailboxConfig {
    const d = this.defaultMailbox;
    const { capacity, overflow } = checkMailboxOptions(options, 'mailbox', d.capacity, d.overflow);
    if (capacity === d.capacity && overflow === d.overflow) return d;
    const key = `${capacity}/${overflow}`;
    let config = this.mailboxConfigs.get(key);
    if (config === undefined) {
      config = new MailboxConfig(capacity, overflow);
      this.mailboxConfigs.set(key, config);
    }
    return config;
  }

  /**
   * The clock read at most once per microtask turn: spawning 100k actors in a loop reads it once.
   * Good enough for `info().uptimeMs` (instrumented systems read the exact clock instead).
   */
  private tickNow(): number {
    if (!this.tickValid) {
      this.tickTime = this.clock.now();
      this.tickValid = true;
      queueMicrotask(this.invalidateTick);
    }
    return this.tickTime;
  }

  private typeFor(type: string | undefined, behavior: Behavior<unknown>): ActorType {
    if (type !== undefined && type === this.lastType.name) return this.lastType;
    let name = type;
    if (name === undefined) {
      const ctor = (behavior as { constructor?: { name?: unknown } }).constructor;
      const className = ctor !== undefined && ctor !== Object ? ctor.name : undefined;
      name = typeof className === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(className) ? className : DEFAULT_TYPE;
    }
    let t = this.types.get(name);
    if (t === undefined) {
      t = new ActorType(checkTypeName(name), this);
      this.types.set(name, t);
    }
    this.lastType = t;
    return t;
  }

  /**
   * A typed ref for a pid (the pid itself, typed), or for the actor registered under a name
   * (undefined if none). The type is the caller's claim: nothing checks it at run time.
   */
  ref<M>(pid: Pid): ActorRef<M>;
  ref<M>(dest: Pid | string): ActorRef<M> | undefined;
  ref<M>(dest: Pid | string): ActorRef<M> | undefined {
    checkDestination('ref', 'dest', dest);
    if (typeof dest === 'string') return this.registry.get(dest)?.pid;
    return dest;
  }

  // ---------------------------------------------------------------------------------------
  // Sending

  /**
   * Sends a message. Returns true once it is enqueued; false, never throwing, if the
   * destination is dead, unknown, or its mailbox refused it. A destination that is neither a
   * pid nor a string is unknown too: `false`, counted as a `noproc` refusal (send stays one
   * cheap path, and never throws).
   *
   * Called from inside an actor's handler (as a cast through a named ref does), the message is
   * that actor's send, as in Erlang, where every send has the calling process as its sender:
   * instrumentation sees it as the sender (e.g. the message flow counts it under its type).
   */
  send<M>(dest: Destination<M>, message: M): boolean {
    return sendFrom(this, this.scheduler.current, dest, message);
  }

  /**
   * Sends a message, waiting (up to `timeoutMs`, default 5000; `Infinity` waits for as long as
   * the destination lives) for room when its mailbox is full and its policy is `backpressure`.
   * Resolves true once enqueued, false otherwise. Waiters are admitted in order; a deadline
   * fires at most 1 ms late (deadlines are grouped per millisecond), and any number of waiters
   * timing out together cost O(1) each.
   *
   * @throws InvalidArgumentError if `options.timeoutMs` is not a number >= 0 (or `Infinity`).
   */
  sendAsync<M>(dest: Destination<M>, message: M, options: SendAsyncOptions = {}): Promise<boolean> {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError('sendAsync', 'options', options, 'an object { timeoutMs? }');
    }
    const timeoutMs = options.timeoutMs === undefined ? 5000 : options.timeoutMs;
    checkDelay('sendAsync', 'options.timeoutMs', timeoutMs, true);
    return sendOrWait(this, dest, message, timeoutMs);
  }

  // ---------------------------------------------------------------------------------------
  // Exit signals, links and monitors

  /**
   * Sends an exit signal to `pid` from outside any actor (it comes from {@link ActorSystem.rootPid}).
   * `'kill'` cannot be trapped and ends the actor with `killed`; `normal` is ignored by actors
   * not trapping exits; any other reason ends them (or arrives as an `exit` signal if they trap exits).
   * Returns false if `pid` is dead.
   * @throws InvalidArgumentError if `pid` is not a Pid or `reason` is not an {@link ExitSignalReason}.
   */
  exit(pid: Pid, reason: ExitSignalReason): boolean {
    return exitFrom(this, null, pid, reason);
  }

  /**
   * Monitors `pid` from outside any actor: `onDown` is called once when it exits (on a
   * microtask, with reason `noproc`, if it is already dead). Returns a ref for {@link ActorSystem.demonitor}.
   * If `onDown` throws, the error is logged and nothing else happens.
   * @throws InvalidArgumentError if `pid` is not a Pid or `onDown` not a function.
   */
  monitor(pid: Pid, onDown: (down: DownSignal) => void): MonitorRef {
    checkFunction('monitor', 'onDown', onDown);
    return monitorFrom(this, null, pid, onDown);
  }

  /** Removes a monitor (and its `down` signal, if queued and not yet handled). Returns true if it was active. */
  demonitor(ref: MonitorRef): boolean {
    checkMonitorRef('demonitor', 'ref', ref);
    return demonitorRef(this, ref);
  }

  /** @internal Hands a report to the logger; a logger that throws costs the report, never the system. */
  report(level: 'warn' | 'error', message: string, details: Record<string, unknown>): void {
    const logger = this.logger;
    if (logger === null) return;
    try {
      if (level === 'error') logger.error(message, details);
      else logger.warn(message, details);
    } catch {
      // nowhere left to report it
    }
  }

  // ---------------------------------------------------------------------------------------
  // Live actors: an intrusive list through the actor records (no Set entry per actor)

  private addLive(proc: ActorProcess): void {
    proc.prevLive = this.liveTail;
    if (this.liveTail === null) this.liveHead = proc;
    else this.liveTail.nextLive = proc;
    this.liveTail = proc;
    this.liveCount++;
  }

  /** @internal */
  removeLive(proc: ActorProcess): void {
    const { prevLive, nextLive } = proc;
    if (prevLive === null) this.liveHead = nextLive;
    else prevLive.nextLive = nextLive;
    if (nextLive === null) this.liveTail = prevLive;
    else nextLive.prevLive = prevLive;
    proc.prevLive = null;
    proc.nextLive = null;
    this.liveCount--;
  }

  /** @internal every live actor, in spawn order (safe against exits while iterating) */
  *liveActors(): IterableIterator<ActorProcess> {
    let p = this.liveHead;
    while (p !== null) {
      const next = p.nextLive;
      yield p;
      p = next;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Registry

  /**
   * Registers `pid` under `name`. Returns false if `pid` is dead.
   * @throws NameTakenError if another actor holds the name; InvalidNameError for a bad name
   *   or if the actor already has another name.
   */
  register(name: string, pid: Pid): boolean {
    checkName('register', 'name', name);
    checkPid('register', 'pid', pid);
    const proc = liveProc(this, pid);
    if (proc === null) {
      if (name.length === 0) throw new InvalidNameError(name, 'a name must be a non-empty string');
      return false;
    }
    this.registry.add(name, proc);
    return true;
  }

  /** Removes a registered name; returns false if nobody held it. */
  unregister(name: string): boolean {
    checkName('unregister', 'name', name);
    return this.registry.remove(name) !== undefined;
  }

  /** The pid registered under `name`, or undefined. */
  whereis(name: string): Pid | undefined {
    checkName('whereis', 'name', name);
    return this.registry.get(name)?.pid;
  }

  /** Every registered name. */
  registered(): string[] {
    return this.registry.keys();
  }

  // ---------------------------------------------------------------------------------------
  // Distribution

  /** The distribution this system is a node of, or null for a single node. */
  get distribution(): Distribution | null {
    return this.dist;
  }

  /** This node's name: the distribution's, or `'nonode@nohost'`. */
  get nodeName(): string {
    return this.dist === null ? NO_NODE : this.dist.node;
  }

  /** This node's incarnation (Erlang's *creation*): the distribution's, or 0. */
  get creation(): number {
    return this.dist === null ? 0 : this.dist.creation;
  }

  /**
   * Attaches a distribution (`@joerl/cluster` does this when the system joins a cluster), or
   * detaches it with `null`. Not for application code.
   * @throws InvalidConfigError if another distribution is attached.
   */
  setDistribution(distribution: Distribution | null): void {
    if (distribution !== null && this.dist !== null && this.dist !== distribution) {
      throw new InvalidConfigError('distribution', distribution, 'no other distribution attached: a system is a node of one cluster');
    }
    this.dist = distribution;
  }

  /**
   * The distribution's entry point: a signal from another node reaches local actor `to` (an exit
   * signal through a link or `exit()`, the untrappable `kill`, or the down of a remote monitor;
   * when a node goes down, every link and monitor to it arrives here with `noconnection`).
   * Returns false if `to` is not a live local actor.
   */
  deliverRemote(to: Pid, signal: RemoteSignal): boolean {
    const proc = liveProc(this, to);
    if (proc === null) return false;
    switch (signal.kind) {
      case 'exit':
        deliverExit(this, signal.from, null, proc, signal.reason, false);
        return true;
      case 'kill':
        deliverExit(this, signal.from, null, proc, Exit.killed, true);
        return true;
      case 'down':
        if (this.ins !== null) this.ins.signalSent(null, proc, 'down', signal.reason);
        queueSignal(this, proc, signal);
        return true;
      default:
        return assertNever(signal);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Timers

  /**
   * Sends `message` to `dest` after `ms` milliseconds (by this system's clock). A timer aimed at
   * a pid is cancelled if that actor exits; one aimed at a name resolves the name when it fires.
   * Any finite delay works, 2^31 ms (about 24.8 days) and beyond included.
   * @throws InvalidArgumentError if `dest` is neither a pid nor a name, or `ms` is not a finite number >= 0.
   */
  sendAfter<M>(dest: Destination<M>, message: M, ms: number): TimerRef {
    checkDestination('sendAfter', 'dest', dest);
    checkDelay('sendAfter', 'ms', ms, false);
    return startTimer(this, dest, message, ms);
  }


  /** Cancels a timer: returns the milliseconds it had left, or false if it already fired or was cancelled. */
  cancelTimer(timer: TimerRef): number | false {
    checkTimerRef('cancelTimer', 'timer', timer);
    return cancel(this, timer);
  }


  // ---------------------------------------------------------------------------------------
  // Introspection

  /** Whether `pid` names a live actor of this system (one that is exiting counts as not alive). */
  isAlive(pid: Pid): boolean {
    checkPid('isAlive', 'pid', pid);
    return liveProc(this, pid) !== null;
  }

  /**
   * Resolves with the exit reason once `pid` has exited (at once with `noproc` if it is not alive
   * here, and with its actual reason if it is exiting).
   */
  join(pid: Pid): Promise<ExitReason> {
    checkPid('join', 'pid', pid);
    const proc = pid.proc;
    if (proc === null || proc.status === DEAD || proc.system !== this) return Promise.resolve(Exit.noproc);
    return new Promise((resolve) => {
      (proc.ext().joiners ??= []).push(resolve);
    });
  }

  /** The read-only handle of a live actor (what instrumentation hooks see), or undefined. */
  handle(pid: Pid): ActorHandle | undefined {
    checkPid('handle', 'pid', pid);
    const proc = pid.proc;
    return proc === null || proc.system !== this ? undefined : proc;
  }

  /** Every live actor's handle, in spawn order: for instrumentation that scans at collect time. */
  handles(): IterableIterator<ActorHandle> {
    return this.liveActors();
  }

  /** A snapshot of one actor, or undefined if it is not alive. */
  info(pid: Pid): ActorInfo | undefined {
    checkPid('info', 'pid', pid);
    const proc = pid.proc;
    return proc === null || proc.system !== this ? undefined : snapshot(proc, this.scheduler.current, this.clock.now(), this.dist);
  }

  /** Snapshots of every live actor, in spawn order. */
  actors(): ActorInfo[] {
    const out: ActorInfo[] = [];
    for (let p = this.liveHead; p !== null; p = p.nextLive) out.push(snapshot(p, this.scheduler.current, this.clock.now(), this.dist));
    return out;
  }

  /**
   * System-wide counters. Message accounting is exact: once every mailbox is empty and no
   * `sendAsync` waits, `sent === processed + refused + dropped + discarded`.
   */
  stats(): SystemStats {
    let processed = this.processedCount;
    let enqueued = this.enqueuedCount;
    let queued = 0;
    for (let p = this.liveHead; p !== null; p = p.nextLive) {
      processed += p.processed;
      enqueued += p.enqueued;
      queued += p.len;
    }
    return {
      actors: this.liveCount,
      runQueueLength: this.scheduler.length,
      registered: this.registry.size,
      timers: this.timersActive,
      spawned: this.spawnedCount,
      sent: enqueued + this.refusedCount,
      processed,
      refused: this.refusedCount,
      dropped: this.droppedCount,
      discarded: this.discardedCount,
      queued,
      yields: this.scheduler.yields,
    };
  }



  /** Resolves once no actor is queued to run (actors awaiting async handlers are not waited for). */
  idle(): Promise<void> {
    return this.scheduler.idle();
  }

  // ---------------------------------------------------------------------------------------
  // Shutdown

  /**
   * Stops every actor and resolves once all have exited and their `terminate` callbacks ran.
   *
   * Actors spawned by the system itself (the roots, e.g. top supervisors) are sent a `shutdown`
   * exit signal first, newest first, so supervision trees stop their own children in order;
   * then any actor still alive gets one; whatever is left when `timeoutMs` (default 5000) has
   * passed is killed. An actor that traps exits receives the signal (from {@link ActorSystem.rootPid})
   * in `handleSignal` and should stop; one that ignores it is killed at the timeout, as in Erlang.
   * Afterwards `spawn` throws and sends return false. `timeoutMs` may be any number >= 0
   * (2^31 ms and more included), or `Infinity` to wait for every `terminate` however long.
   * @throws InvalidArgumentError if `options.timeoutMs` is not a number >= 0 (or `Infinity`).
   */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError('shutdown', 'options', options, 'an object { timeoutMs? }');
    }
    const timeoutMs = options.timeoutMs === undefined ? 5000 : options.timeoutMs;
    checkDelay('shutdown', 'options.timeoutMs', timeoutMs, true);
    if (this.shutdownPromise !== null) return this.shutdownPromise;
    this.state = 'stopping';
    this.shutdownPromise = runShutdown(this, timeoutMs).then(() => {
      this.state = 'stopped';
      if (this.ins !== null) this.ins.detached(this);
    });
    return this.shutdownPromise;
  }

}
