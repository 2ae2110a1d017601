/**
 * The actor system: spawns actors, delivers messages and signals, and runs the scheduler.
 *
 * @module
 */
import type { ActorRef, SendAsyncOptions } from './actor-ref.js';
import { ActorType, checkTypeName } from './actor-type.js';
import type { Behavior, Destination, ReceiveFunction, SpawnOptions } from './behavior.js';
import { type Clock, systemClock } from './clock.js';
import { type Distribution, isRemoteName, NO_NODE, type RemoteSignal } from './distribution.js';
import { InvalidConfigError, InvalidNameError, SystemStoppedError } from './errors.js';
import { formatValue } from './format.js';
import {
  assertNever,
  type ExitReason,
  ExitReason as Exit,
  type ExitSignalReason,
  normalizeSignalReason,
} from './exit-reason.js';
import type { ActorInfo, ActorStatus, SystemStats } from './info.js';
import type { ActorHandle, CrashPhase, Instrumentation } from './instrumentation.js';
import { DEFAULT_MAILBOX_CAPACITY, type Mailbox, MailboxConfig, type MailboxOptions, MetaEnvelope, type OverflowPolicy } from './mailbox.js';
import { Pid, RemotePid } from './pid.js';
import {
  ALIVE,
  type ActorExtras,
  ActorProcess,
  DEAD,
  EXITING,
  HAS_SIGNALS,
  HAS_WAITERS,
  INIT_PENDING,
  PENDING_EXIT,
  QUEUED,
  STATUS_BITS,
  SUSPENDED,
  TRAPPING,
  type Monitor,
  PHASE_INIT,
  PHASE_MESSAGE,
  PHASE_NONE,
  PHASE_SIGNAL,
  STARTING,
  type QueuedSignal,
  type SendWaiter,
} from './process.js';
import { Registry } from './registry.js';
import { Scheduler, type SchedulerOptions, type TurnRunner } from './scheduler.js';
import { type DownSignal, MonitorRef, type Signal, type SignalKind } from './signal.js';
import { TimerRef } from './timers.js';

/**
 * Where crash reports and warnings go. `null` silences them.
 * @since 0.1.0
 */
export interface Logger {
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

/** The default logger: one line per report on stderr. */
export const consoleLogger: Logger = Object.freeze({
  warn: (message: string, details?: Record<string, unknown>) => console.warn(`[joerl] ${message}`, details ?? ''),
  error: (message: string, details?: Record<string, unknown>) => console.error(`[joerl] ${message}`, details ?? ''),
});

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

/**
 * The reason an actor gets from the untrappable `'kill'` signal. It reads `{ kind: 'killed' }`
 * like any other, but only this object skips `terminate`: an actor that *chooses* to stop with
 * `killed` (say, because its trapped parent was killed) still runs it, as OTP does.
 */
const KILL: ExitReason = Object.freeze({ kind: 'killed' });
const OVERFLOW_POLICIES: readonly OverflowPolicy[] = ['reject', 'drop-oldest', 'backpressure'];
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
export class ActorSystem implements TurnRunner {
  /** The node number in this system's pids. */
  readonly nodeId: number;
  /** The clock timers and timestamps come from. */
  readonly clock: Clock;
  /** The instrumentation, or null. Behaviour packages (`@joerl/gen`) report through it too. */
  readonly instrumentation: Instrumentation | null;
  /** The pseudo-pid (`<node.0.0>`) that signals sent from outside any actor come from. */
  readonly rootPid: Pid;

  private readonly ins: Instrumentation | null;
  private readonly logger: Logger | null;
  private readonly scheduler: Scheduler;
  private readonly registry = new Registry();
  private liveHead: ActorProcess | null = null;
  private liveTail: ActorProcess | null = null;
  private liveCount = 0;
  private readonly types = new Map<string, ActorType>();
  private readonly defaultMailbox: MailboxConfig;
  private readonly mailboxConfigs = new Map<string, MailboxConfig>();
  private readonly fireTimerBound: (timer: TimerRef) => void;
  private nextId = 1;
  private nextMonitorId = 1;
  private nextTimerId = 1;
  private timersActive = 0;
  private spawnedCount = 0;
  private processedCount = 0;
  private state: SystemStatus = 'running';
  private tickTime = 0;
  private tickValid = false;
  private readonly invalidateTick = (): void => {
    this.tickValid = false;
  };
  /** The type of the last spawn: spawning many actors of one type skips the map lookup. */
  private lastType: ActorType;
  private shutdownPromise: Promise<void> | null = null;
  /** The distribution (null for a single node: sends then pay one null check on their miss path only). */
  private dist: Distribution | null = null;

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
    this.logger = options.logger === undefined ? consoleLogger : options.logger;
    this.scheduler = new Scheduler(this, options.scheduler);
    const mailbox = checkMailboxOptions(options.mailbox, 'mailbox', DEFAULT_MAILBOX_CAPACITY, 'reject');
    this.defaultMailbox = new MailboxConfig(mailbox.capacity, mailbox.overflow);
    this.rootPid = new Pid(0, null, new ActorType('system', this));
    this.lastType = this.rootPid.actorType;
    if (this.ins !== null) this.ins.attached(this);
    this.fireTimerBound = (timer) => this.fireTimer(timer);
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
    } else if (link instanceof Pid) {
      linkTo = this.liveProc(link);
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
    if (linkTo !== null) this.addLink(proc, linkTo);
    if (typeof behavior.init === 'function') {
      proc.status = STARTING;
      proc.initPending = true;
      this.scheduler.enqueue(proc);
    }
    if (linkDead !== null) this.deliverExit(linkDead, null, proc, Exit.noproc, false);
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
    if (typeof dest === 'string') return this.registry.get(dest)?.pid;
    return dest;
  }

  // ---------------------------------------------------------------------------------------
  // Sending

  /**
   * Sends a message. Returns true once it is enqueued; false, never throwing, if the
   * destination is dead, unknown, or its mailbox refused it.
   */
  send<M>(dest: Destination<M>, message: M): boolean {
    return this.sendFrom(null, dest, message);
  }

  /** @internal */
  // hot: every send
  sendFrom(sender: ActorProcess | null, dest: Destination<unknown>, message: unknown): boolean {
    const proc = this.resolve(dest);
    if (proc === null) {
      if (this.dist !== null && (dest instanceof RemotePid || isRemoteName(dest))) {
        return this.dist.send(sender === null ? null : sender.pid, dest, message);
      }
      if (this.ins !== null) this.ins.sendFailed('noproc', typeOfDest(dest), sender);
      return false;
    }
    const box: Mailbox = proc;
    if (box.len >= box.capacity) return this.overflow(proc, message, sender);
    const ins = this.ins;
    box.push(ins === null ? message : wrap(message, ins.messageSent(proc, sender)));
    proc.enqueued++;
    if ((proc.flags & (QUEUED | SUSPENDED)) === 0) this.scheduler.enqueue(proc);
    return true;
  }

  /**
   * Sends a message, waiting (up to `timeoutMs`, default 5000) for room when the destination's
   * mailbox is full and its policy is `backpressure`. Resolves true once enqueued, false otherwise.
   */
  sendAsync<M>(dest: Destination<M>, message: M, options: SendAsyncOptions = {}): Promise<boolean> {
    const timeoutMs = options.timeoutMs ?? 5000;
    if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) {
      throw new InvalidConfigError('timeoutMs', timeoutMs, 'a non-negative number of milliseconds');
    }
    const proc = this.resolve(dest);
    if (proc === null || proc.len < proc.capacity || proc.overflow !== 'backpressure') {
      return Promise.resolve(this.sendFrom(null, dest, message));
    }
    if (this.ins !== null) this.ins.mailboxFull(proc);
    return new Promise<boolean>((resolve) => {
      const waiter: SendWaiter = { message, sender: null, resolve, timer: undefined };
      waiter.timer = this.clock.setTimeout(
        (w: SendWaiter) => {
          const list = proc.waiters;
          const i = list === null ? -1 : list.indexOf(w);
          if (i < 0) return;
          (list as SendWaiter[]).splice(i, 1);
          if (this.ins !== null) this.ins.sendFailed('timeout', proc.actorType, null);
          w.resolve(false);
        },
        timeoutMs,
        waiter,
      );
      (proc.waiters ??= []).push(waiter);
    });
  }

  private overflow(proc: ActorProcess, message: unknown, sender: ActorProcess | null): boolean {
    const ins = this.ins;
    if (ins !== null) ins.mailboxFull(proc);
    const box: Mailbox = proc;
    if (box.overflow !== 'drop-oldest') {
      if (ins !== null) ins.sendFailed('mailbox_full', proc.actorType, sender);
      return false;
    }
    box.shift();
    proc.consumed++;
    proc.ext().dropped++;
    if (ins !== null) ins.sendFailed('dropped', proc.actorType, sender);
    box.push(ins === null ? message : wrap(message, ins.messageSent(proc, sender)));
    proc.enqueued++;
    if ((proc.flags & (QUEUED | SUSPENDED)) === 0) this.scheduler.enqueue(proc);
    return true;
  }

  private admitWaiter(proc: ActorProcess): void {
    const waiters = proc.waiters as SendWaiter[];
    if (waiters.length === 0 || proc.len >= proc.capacity) return;
    const w = waiters.shift() as SendWaiter;
    this.clock.clearTimeout(w.timer);
    const ins = this.ins;
    proc.push(ins === null ? w.message : wrap(w.message, ins.messageSent(proc, w.sender)));
    proc.enqueued++;
    w.resolve(true);
  }

  // hot: resolves every destination
  private resolve(dest: Destination<unknown>): ActorProcess | null {
    const proc = dest instanceof Pid ? dest.proc : typeof dest === 'string' ? this.registry.get(dest) : undefined;
    return proc !== null && proc !== undefined && proc.status <= ALIVE && proc.system === this ? proc : null;
  }

  private liveProc(pid: Pid): ActorProcess | null {
    const proc = pid.proc;
    return proc !== null && proc.status <= ALIVE && proc.system === this ? proc : null;
  }

  // ---------------------------------------------------------------------------------------
  // Exit signals, links and monitors

  /**
   * Sends an exit signal to `pid` from outside any actor (it comes from {@link ActorSystem.rootPid}).
   * `'kill'` cannot be trapped and ends the actor with `killed`; `normal` is ignored by actors
   * not trapping exits; any other reason ends them (or arrives as an `exit` signal if they trap exits).
   * Returns false if `pid` is dead.
   */
  exit(pid: Pid, reason: ExitSignalReason): boolean {
    return this.exitFrom(null, pid, reason);
  }

  /** @internal */
  exitFrom(sender: ActorProcess | null, pid: Pid, reason: ExitSignalReason): boolean {
    if (pid instanceof RemotePid) return this.dist !== null && this.dist.exit(sender === null ? this.rootPid : sender.pid, pid, reason);
    const target = pid.proc;
    if (target === null || target.status === DEAD) return false;
    const from = sender === null ? this.rootPid : sender.pid;
    if (reason === 'kill') {
      this.deliverExit(from, sender, target, Exit.killed, true);
    } else {
      const r = normalizeSignalReason(reason);
      if (target === sender && r.kind === 'normal' && !target.trapping) {
        // exit(self(), normal) ends the caller, as in Erlang.
        if (this.ins !== null) this.ins.signalReceived(target, 'exit', r, 'terminated');
        this.setPendingExit(target, r);
      } else {
        this.deliverExit(from, sender, target, r, false);
      }
    }
    return true;
  }

  /** Delivers an exit signal (from a link, `exit()`, or `kill`) to one receiver. */
  private deliverExit(from: Pid, fromProc: ActorProcess | null, to: ActorProcess, reason: ExitReason, kill: boolean): void {
    if (to.status === DEAD) return;
    const ins = this.ins;
    const kind: SignalKind = kill ? 'kill' : 'exit';
    if (ins !== null) ins.signalSent(fromProc, to, kind, reason);
    if (kill) {
      if (ins !== null) ins.signalReceived(to, kind, reason, 'terminated');
      this.setPendingExit(to, KILL);
    } else if (to.status === EXITING) {
      if (ins !== null) ins.signalReceived(to, kind, reason, 'ignored');
    } else if (to.trapping) {
      this.queueSignal(to, { kind: 'exit', from, reason });
    } else if (reason.kind === 'normal') {
      if (ins !== null) ins.signalReceived(to, kind, reason, 'ignored');
    } else {
      if (ins !== null) ins.signalReceived(to, kind, reason, 'terminated');
      this.setPendingExit(to, reason);
    }
  }

  private setPendingExit(proc: ActorProcess, reason: ExitReason): void {
    if (proc.pendingExit === null || reason === KILL) proc.pendingExit = reason;
    this.scheduler.enqueue(proc);
  }

  private queueSignal(proc: ActorProcess, signal: Signal): void {
    const entry: QueuedSignal = { signal, after: proc.enqueued };
    const list = proc.signals;
    if (list === null) proc.signals = [entry];
    else list.push(entry);
    if (!proc.queued && !proc.suspended && proc.status <= ALIVE) this.scheduler.enqueue(proc);
  }

  /** @internal */
  linkFrom(proc: ActorProcess, pid: Pid): boolean {
    if (pid instanceof RemotePid && this.dist !== null) {
      this.dist.link(proc.pid, pid);
      return true;
    }
    const target = pid.proc;
    if (target === null || target.status === DEAD || target.system !== this) {
      if (proc.trapping) this.queueSignal(proc, { kind: 'exit', from: pid, reason: Exit.noproc });
      return false;
    }
    if (target !== proc) this.addLink(proc, target);
    return true;
  }

  private addLink(a: ActorProcess, b: ActorProcess): void {
    const links = (a.ext().links ??= new Set());
    if (links.has(b)) return;
    links.add(b);
    (b.ext().links ??= new Set()).add(a);
    if (this.ins !== null) this.ins.linkCreated(a, b);
  }

  /** @internal */
  unlinkFrom(proc: ActorProcess, pid: Pid): void {
    if (pid instanceof RemotePid && this.dist !== null) this.dist.unlink(proc.pid, pid);
    const target = pid.proc;
    if (target !== null && proc.x?.links?.delete(target) === true) target.x?.links?.delete(proc);
    this.dropSignals(proc, (s) => s.kind === 'exit' && s.from === pid);
  }

  /**
   * Monitors `pid` from outside any actor: `onDown` is called once when it exits (on a
   * microtask, with reason `noproc`, if it is already dead). Returns a ref for {@link ActorSystem.demonitor}.
   */
  monitor(pid: Pid, onDown: (down: DownSignal) => void): MonitorRef {
    return this.monitorFrom(null, pid, onDown);
  }

  /** @internal */
  monitorFrom(watcher: ActorProcess | null, pid: Pid, listener: ((down: DownSignal) => void) | null): MonitorRef {
    const ref = new MonitorRef(this.nextMonitorId++, pid, watcher);
    if (pid instanceof RemotePid && this.dist !== null) {
      this.dist.monitor(ref, watcher === null ? null : watcher.pid, listener);
      return ref;
    }
    const target = pid.proc;
    if (target === null || target.status === DEAD || target.system !== this) {
      const down: DownSignal = { kind: 'down', ref, pid, reason: Exit.noproc };
      if (watcher !== null) this.queueSignal(watcher, down);
      else if (listener !== null) queueMicrotask(() => listener(down));
      return ref;
    }
    const m: Monitor = { ref, watcher, target, listener };
    (target.ext().monitoredBy ??= new Map()).set(ref.id, m);
    if (watcher !== null) (watcher.ext().monitors ??= new Map()).set(ref.id, m);
    if (this.ins !== null) this.ins.monitorCreated(watcher, target);
    return ref;
  }

  /** Removes a monitor (and its `down` signal, if queued and not yet handled). Returns true if it was active. */
  demonitor(ref: MonitorRef): boolean {
    if (ref.target instanceof RemotePid && this.dist !== null) {
      if (ref.watcher !== null) this.dropSignals(ref.watcher, (s) => s.kind === 'down' && s.ref === ref);
      return this.dist.demonitor(ref);
    }
    const target = ref.target.proc;
    const m = target?.x?.monitoredBy?.get(ref.id);
    if (m === undefined) {
      // It may have fired already: drop its down signal if not yet handled.
      if (ref.watcher !== null) this.dropSignals(ref.watcher, (s) => s.kind === 'down' && s.ref === ref);
      return false;
    }
    target?.x?.monitoredBy?.delete(ref.id);
    m.watcher?.x?.monitors?.delete(ref.id);
    return true;
  }

  private dropSignals(proc: ActorProcess, match: (s: Signal) => boolean): void {
    const list = proc.signals;
    if (list === null) return;
    const kept = list.filter((q) => !match(q.signal));
    proc.signals = kept.length === 0 ? null : kept;
  }

  // ---------------------------------------------------------------------------------------
  // The turn: what one actor does when the scheduler runs it

  /** @internal Runs one turn of `proc`; returns whether it still has work. */
  // hot: every scheduled actor
  runTurn(proc: ActorProcess, budget: number): boolean {
    // The common case — alive, nothing pending — skips every special case with one compare.
    if ((proc.flags & ~TRAPPING) !== ALIVE) {
      if (!this.prepareTurn(proc)) return this.wantsToRun(proc);
    }
    const sched = this.scheduler;
    sched.current = proc;
    const box: Mailbox = proc;
    const behavior = proc.behavior;
    const ins = this.ins;
    for (let n = 0; n < budget; n++) {
      const flags = proc.flags;
      if ((flags & (SUSPENDED | PENDING_EXIT)) !== 0) break;
      if ((flags & HAS_SIGNALS) !== 0 && ((proc.signals as QueuedSignal[])[0] as QueuedSignal).after <= proc.consumed) {
        this.runSignal(proc);
        continue;
      }
      if (box.len === 0) break;
      const item = box.shift();
      proc.consumed++;
      if ((flags & HAS_WAITERS) !== 0) this.admitWaiter(proc);
      // Without instrumentation, or for a message it does not want to see, the plain path.
      if (ins === null || (!ins.perMessage && !(item instanceof MetaEnvelope))) {
        let result: unknown;
        try {
          result = behavior.receive(item, proc);
        } catch (error) {
          this.crash(proc, error, 'receive');
          break;
        }
        if (result !== undefined && result !== null && typeof (result as PromiseLike<void>).then === 'function') {
          if (ins !== null) proc.ext().curSeen = false;
          this.suspend(proc, result as PromiseLike<void>, PHASE_MESSAGE);
          break;
        }
      } else if (
        item instanceof MetaEnvelope
          ? !this.runInstrumented(proc, behavior, item.message, item.meta, ins)
          : !this.runInstrumented(proc, behavior, item, undefined, ins)
      ) {
        break;
      }
    }
    sched.current = null;
    if ((proc.flags & PENDING_EXIT) !== 0) this.beginExit(proc, proc.pendingExit as ExitReason);
    return this.wantsToRun(proc);
  }

  /** The uncommon starts of a turn: a due exit, a suspended or dead actor, a pending init. Returns whether messages may run. */
  private prepareTurn(proc: ActorProcess): boolean {
    if (proc.pendingExit !== null) {
      this.beginExit(proc, proc.pendingExit);
      return false;
    }
    if (proc.suspended || proc.status > ALIVE) return false;
    if (proc.initPending) {
      proc.initPending = false;
      this.scheduler.current = proc;
      this.runInit(proc);
      this.scheduler.current = null;
      if (proc.pendingExit !== null) {
        this.beginExit(proc, proc.pendingExit);
        return false;
      }
      if (proc.suspended) return false;
    }
    return true;
  }

  /** Whether `proc` has work the scheduler should queue it for. */
  private wantsToRun(proc: ActorProcess): boolean {
    const flags = proc.flags;
    if ((flags & PENDING_EXIT) !== 0) return true;
    if ((flags & SUSPENDED) !== 0 || (flags & STATUS_BITS) > ALIVE) return false;
    return (
      (flags & INIT_PENDING) !== 0 ||
      proc.len > 0 ||
      ((flags & HAS_SIGNALS) !== 0 && ((proc.signals as QueuedSignal[])[0] as QueuedSignal).after <= proc.consumed)
    );
  }

  /** Handles one message with instrumentation; returns false if the turn must end. */
  private runInstrumented(
    proc: ActorProcess,
    behavior: Behavior<unknown>,
    message: unknown,
    meta: unknown,
    ins: Instrumentation,
  ): boolean {
    const token = ins.messageStart(proc, meta);
    let result: unknown;
    try {
      result =
        token === undefined
          ? behavior.receive(message, proc)
          : // eslint-disable-next-line @typescript-eslint/unbound-method -- invoke calls it with thisArg = behavior
            ins.invoke(token, behavior.receive, behavior, message, proc);
    } catch (error) {
      ins.messageEnd(proc, meta, token, true, error);
      this.crash(proc, error, 'receive');
      return false;
    }
    if (result !== undefined && result !== null && typeof (result as PromiseLike<void>).then === 'function') {
      const x = proc.ext();
      x.curMeta = meta;
      x.curToken = token;
      x.curSeen = true;
      this.suspend(proc, result as PromiseLike<void>, PHASE_MESSAGE);
      return false;
    }
    ins.messageEnd(proc, meta, token, false, undefined);
    return true;
  }

  private runInit(proc: ActorProcess): void {
    let result: unknown;
    try {
      result = (proc.behavior as Required<Behavior<unknown>>).init(proc);
    } catch (error) {
      this.crash(proc, error, 'init');
      return;
    }
    if (result !== undefined && result !== null && typeof (result as PromiseLike<void>).then === 'function') {
      this.suspend(proc, result as PromiseLike<void>, PHASE_INIT);
      return;
    }
    if (proc.status === STARTING) proc.status = ALIVE;
  }

  private runSignal(proc: ActorProcess): void {
    const signals = proc.signals as QueuedSignal[];
    const { signal } = signals.shift() as QueuedSignal;
    if (signals.length === 0) proc.signals = null;
    const behavior = proc.behavior;
    const ins = this.ins;
    if (typeof behavior.handleSignal !== 'function') {
      if (ins !== null) ins.signalReceived(proc, signal.kind, signal.reason, 'ignored');
      return;
    }
    if (ins !== null) ins.signalReceived(proc, signal.kind, signal.reason, 'delivered');
    let result: unknown;
    try {
      result = behavior.handleSignal(signal, proc);
    } catch (error) {
      this.crash(proc, error, 'signal');
      return;
    }
    if (result !== undefined && result !== null && typeof (result as PromiseLike<void>).then === 'function') {
      this.suspend(proc, result as PromiseLike<void>, PHASE_SIGNAL);
    }
  }

  private suspend(proc: ActorProcess, promise: PromiseLike<void>, phase: number): void {
    proc.suspended = true;
    proc.phase = phase;
    const x = proc.ext();
    if (x.onResolved === null) {
      x.onResolved = () => this.resumed(proc, undefined, true);
      x.onRejected = (error: unknown) => this.resumed(proc, error, false);
    }
    promise.then(x.onResolved, x.onRejected);
  }

  private resumed(proc: ActorProcess, error: unknown, ok: boolean): void {
    const phase = proc.phase;
    // A phase that is over (the actor was killed, or began exiting) settles into nothing.
    if (phase === PHASE_NONE || proc.status === DEAD || proc.status === EXITING) return;
    proc.phase = PHASE_NONE;
    proc.suspended = false;
    if (phase === PHASE_MESSAGE) {
      if (this.ins !== null && proc.ext().curSeen) {
        const x = proc.ext();
        this.ins.messageEnd(proc, x.curMeta, x.curToken, !ok, ok ? undefined : error);
        x.curMeta = undefined;
        x.curToken = undefined;
      }
    }
    if (!ok) {
      this.crash(proc, error, phase === PHASE_INIT ? 'init' : phase === PHASE_SIGNAL ? 'signal' : 'receive');
      this.scheduler.enqueue(proc);
      return;
    }
    if (phase === PHASE_INIT && proc.status === STARTING) proc.status = ALIVE;
    if (this.wantsToRun(proc)) this.scheduler.enqueue(proc);
  }

  private crash(proc: ActorProcess, error: unknown, phase: CrashPhase): void {
    if (this.ins !== null) this.ins.actorCrashed(proc, error, phase);
    if (this.logger !== null) {
      this.logger.error(`actor ${proc.pid} (type '${proc.actorType.name}') crashed in ${phase}: ${describeError(error)}`, {
        pid: proc.pid.toString(),
        type: proc.actorType.name,
        phase,
        error,
      });
    }
    if (proc.pendingExit === null) proc.pendingExit = Exit.error(error);
  }

  /** @internal */
  stopSelf(proc: ActorProcess, reason: ExitReason): void {
    if (proc.status > ALIVE) return;
    this.setPendingExit(proc, reason);
  }

  // ---------------------------------------------------------------------------------------
  // Exiting

  private beginExit(proc: ActorProcess, reason: ExitReason): void {
    proc.pendingExit = null;
    if (proc.status === DEAD) return;
    if (proc.status === EXITING) {
      // Only a kill interrupts a terminate in progress.
      if (reason === KILL) this.finalize(proc, KILL);
      return;
    }
    if (proc.phase === PHASE_MESSAGE && this.ins !== null && proc.ext().curSeen) {
      // The async handler it awaited is abandoned: close its measurement as failed.
      const x = proc.ext();
      this.ins.messageEnd(proc, x.curMeta, x.curToken, true, undefined);
      x.curMeta = undefined;
      x.curToken = undefined;
    }
    proc.status = EXITING;
    proc.phase = PHASE_NONE;
    proc.suspended = false;
    this.cancelTimersOf(proc);
    const behavior = proc.behavior;
    if (reason !== KILL && typeof behavior.terminate === 'function') {
      let result: unknown;
      try {
        result = behavior.terminate(reason, proc);
      } catch (error) {
        this.terminateFailed(proc, error);
      }
      if (result !== undefined && result !== null && typeof (result as PromiseLike<void>).then === 'function') {
        proc.suspended = true;
        (result as PromiseLike<void>).then(
          () => this.finalize(proc, reason),
          (error: unknown) => {
            if (proc.status !== EXITING) return;
            this.terminateFailed(proc, error);
            this.finalize(proc, reason);
          },
        );
        return;
      }
    }
    this.finalize(proc, reason);
  }

  private terminateFailed(proc: ActorProcess, error: unknown): void {
    if (this.ins !== null) this.ins.actorCrashed(proc, error, 'terminate');
    if (this.logger !== null) {
      this.logger.error(`actor ${proc.pid} (type '${proc.actorType.name}') crashed in terminate: ${describeError(error)}`, {
        pid: proc.pid.toString(),
        type: proc.actorType.name,
        phase: 'terminate',
        error,
      });
    }
  }

  private finalize(proc: ActorProcess, reason: ExitReason): void {
    if (proc.status === DEAD) return;
    proc.status = DEAD;
    proc.suspended = false;
    proc.pendingExit = null;
    this.removeLive(proc);
    this.processedCount += proc.processed;
    if (proc.name !== undefined) this.registry.remove(proc.name);
    proc.pid.proc = null;
    const ins = this.ins;
    if (ins !== null) ins.actorStopped(proc, reason, this.clock.now() - proc.spawnedAt);
    proc.clear();
    proc.signals = null;
    const x = proc.x;
    if (x === null) return; // no links, monitors, joiners or waiters: nobody to tell
    const waiters = proc.waiters;
    if (waiters !== null) {
      proc.waiters = null;
      for (const w of waiters) {
        this.clock.clearTimeout(w.timer);
        if (ins !== null) ins.sendFailed('noproc', proc.actorType, w.sender);
        w.resolve(false);
      }
    }
    // Monitors this actor held die with it.
    if (x.monitors !== null) {
      for (const m of x.monitors.values()) m.target.x?.monitoredBy?.delete(m.ref.id);
      x.monitors = null;
    }
    if (x.links !== null) {
      const links = x.links;
      x.links = null;
      // Linked actors see `killed`, but as an ordinary reason: if it ends them, their terminate runs.
      const propagated = reason === KILL ? Exit.killed : reason;
      for (const other of links) {
        other.x?.links?.delete(proc);
        this.deliverExit(proc.pid, proc, other, propagated, false);
      }
    }
    if (x.monitoredBy !== null) {
      const monitors = x.monitoredBy;
      x.monitoredBy = null;
      for (const m of monitors.values()) {
        const down: DownSignal = { kind: 'down', ref: m.ref, pid: proc.pid, reason };
        if (m.watcher !== null) {
          m.watcher.x?.monitors?.delete(m.ref.id);
          if (m.watcher.status <= ALIVE) {
            if (ins !== null) ins.signalSent(proc, m.watcher, 'down', reason);
            this.queueSignal(m.watcher, down);
          }
        } else if (m.listener !== null) {
          try {
            m.listener(down);
          } catch (error) {
            this.logger?.error(`a monitor listener of ${proc.pid} threw: ${describeError(error)}`, { error });
          }
        }
      }
    }
    if (x.joiners !== null) {
      const joiners = x.joiners;
      x.joiners = null;
      for (const j of joiners) j(reason);
    }
  }

  private addLive(proc: ActorProcess): void {
    proc.prevLive = this.liveTail;
    if (this.liveTail === null) this.liveHead = proc;
    else this.liveTail.nextLive = proc;
    this.liveTail = proc;
    this.liveCount++;
  }

  private removeLive(proc: ActorProcess): void {
    const { prevLive, nextLive } = proc;
    if (prevLive === null) this.liveHead = nextLive;
    else prevLive.nextLive = nextLive;
    if (nextLive === null) this.liveTail = prevLive;
    else nextLive.prevLive = prevLive;
    proc.prevLive = null;
    proc.nextLive = null;
    this.liveCount--;
  }

  private *liveActors(): IterableIterator<ActorProcess> {
    let p = this.liveHead;
    while (p !== null) {
      const next = p.nextLive;
      yield p;
      p = next;
    }
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
    const proc = this.liveProc(to);
    if (proc === null) return false;
    switch (signal.kind) {
      case 'exit':
        this.deliverExit(signal.from, null, proc, signal.reason, false);
        return true;
      case 'kill':
        this.deliverExit(signal.from, null, proc, Exit.killed, true);
        return true;
      case 'down':
        if (this.ins !== null) this.ins.signalSent(null, proc, 'down', signal.reason);
        this.queueSignal(proc, signal);
        return true;
      default:
        return assertNever(signal);
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
    const proc = this.liveProc(pid);
    if (proc === null) {
      if (typeof name !== 'string' || name.length === 0) throw new InvalidNameError(name, 'a name must be a non-empty string');
      return false;
    }
    this.registry.add(name, proc);
    return true;
  }

  /** Removes a registered name; returns false if nobody held it. */
  unregister(name: string): boolean {
    return this.registry.remove(name) !== undefined;
  }

  /** The pid registered under `name`, or undefined. */
  whereis(name: string): Pid | undefined {
    return this.registry.get(name)?.pid;
  }

  /** Every registered name. */
  registered(): string[] {
    return this.registry.keys();
  }

  // ---------------------------------------------------------------------------------------
  // Timers

  /**
   * Sends `message` to `dest` after `ms` milliseconds (by this system's clock). A timer aimed at
   * a pid is cancelled if that actor exits; one aimed at a name resolves the name when it fires.
   * @throws InvalidConfigError if `ms` is negative or not finite.
   */
  sendAfter<M>(dest: Destination<M>, message: M, ms: number): TimerRef {
    if (typeof ms !== 'number' || !(ms >= 0) || !Number.isFinite(ms)) {
      throw new InvalidConfigError('sendAfter ms', ms, 'a finite, non-negative number of milliseconds');
    }
    const owner = typeof dest === 'string' ? null : this.resolve(dest);
    const timer = new TimerRef(this.nextTimerId++, dest, message, this.clock.now() + ms, owner);
    if (owner === null && typeof dest !== 'string' && !(this.dist !== null && (dest instanceof RemotePid || isRemoteName(dest)))) {
      // A timer to a dead pid would never deliver: do not even set it.
      timer.active = false;
      if (this.ins !== null) this.ins.sendFailed('noproc', typeOfDest(dest), null);
      return timer;
    }
    timer.handle = this.clock.setTimeout(this.fireTimerBound, ms, timer);
    if (owner !== null) (owner.ext().timers ??= new Set()).add(timer);
    this.timersActive++;
    return timer;
  }

  /** Cancels a timer: returns the milliseconds it had left, or false if it already fired or was cancelled. */
  cancelTimer(timer: TimerRef): number | false {
    if (!timer.active) return false;
    timer.active = false;
    this.timersActive--;
    this.clock.clearTimeout(timer.handle);
    timer.owner?.x?.timers?.delete(timer);
    timer.owner = null;
    return Math.max(0, timer.fireAt - this.clock.now());
  }

  private fireTimer(timer: TimerRef): void {
    if (!timer.active) return;
    timer.active = false;
    this.timersActive--;
    timer.owner?.x?.timers?.delete(timer);
    timer.owner = null;
    this.sendFrom(null, timer.dest, timer.message);
  }

  private cancelTimersOf(proc: ActorProcess): void {
    const timers = proc.x?.timers;
    if (timers === undefined || timers === null) return;
    (proc.x as ActorExtras).timers = null;
    for (const t of timers) {
      t.owner = null;
      this.cancelTimer(t);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Introspection

  /** Whether `pid` names a live actor of this system (one that is exiting counts as not alive). */
  isAlive(pid: Pid): boolean {
    return this.liveProc(pid) !== null;
  }

  /**
   * Resolves with the exit reason once `pid` has exited (at once with `noproc` if it is not alive
   * here, and with its actual reason if it is exiting).
   */
  join(pid: Pid): Promise<ExitReason> {
    const proc = pid.proc;
    if (proc === null || proc.status === DEAD) return Promise.resolve(Exit.noproc);
    return new Promise((resolve) => {
      (proc.ext().joiners ??= []).push(resolve);
    });
  }

  /** The read-only handle of a live actor (what instrumentation hooks see), or undefined. */
  handle(pid: Pid): ActorHandle | undefined {
    const proc = pid.proc;
    return proc === null || proc.system !== this ? undefined : proc;
  }

  /** Every live actor's handle, in spawn order: for instrumentation that scans at collect time. */
  handles(): IterableIterator<ActorHandle> {
    return this.liveActors();
  }

  /** A snapshot of one actor, or undefined if it is not alive. */
  info(pid: Pid): ActorInfo | undefined {
    const proc = pid.proc;
    return proc === null || proc.system !== this ? undefined : this.snapshot(proc);
  }

  /** Snapshots of every live actor, in spawn order. */
  actors(): ActorInfo[] {
    const out: ActorInfo[] = [];
    for (let p = this.liveHead; p !== null; p = p.nextLive) out.push(this.snapshot(p));
    return out;
  }

  /** System-wide counters. */
  stats(): SystemStats {
    return {
      actors: this.liveCount,
      runQueueLength: this.scheduler.length,
      registered: this.registry.size,
      timers: this.timersActive,
      spawned: this.spawnedCount,
      processed: this.totalProcessed(),
      yields: this.scheduler.yields,
    };
  }

  private totalProcessed(): number {
    let n = this.processedCount;
    for (let p = this.liveHead; p !== null; p = p.nextLive) n += p.processed;
    return n;
  }

  private snapshot(proc: ActorProcess): ActorInfo {
    let status: ActorStatus;
    if (proc.status === EXITING) status = 'exiting';
    else if (proc.status === STARTING) status = 'starting';
    else if (this.scheduler.current === proc) status = 'running';
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
      links: [...(proc.x?.links ?? [])].map((p) => p.pid),
      monitors: [...(proc.x?.monitors?.values() ?? [])].map((m) => m.target.pid),
      monitoredBy: [...(proc.x?.monitoredBy?.values() ?? [])].map((m) => m.watcher?.pid ?? null),
      messages: { received: proc.enqueued, processed: proc.processed, dropped: proc.dropped },
      spawnedAt: proc.spawnedAt,
      uptimeMs: this.clock.now() - proc.spawnedAt,
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
   * Afterwards `spawn` throws and sends return false.
   */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 5000;
    if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) {
      throw new InvalidConfigError('shutdown timeoutMs', timeoutMs, 'a non-negative number of milliseconds');
    }
    if (this.shutdownPromise !== null) return this.shutdownPromise;
    this.state = 'stopping';
    this.shutdownPromise = this.runShutdown(timeoutMs).then(() => {
      this.state = 'stopped';
      if (this.ins !== null) this.ins.detached(this);
    });
    return this.shutdownPromise;
  }

  private async runShutdown(timeoutMs: number): Promise<void> {
    const shutdown = Exit.shutdown();
    let timedOut = false;
    let timer: unknown;
    const deadline = new Promise<void>((resolve) => {
      timer = this.clock.setTimeout(
        () => {
          timedOut = true;
          resolve();
        },
        timeoutMs,
        undefined,
      );
    });
    const phase = async (select: (p: ActorProcess) => boolean): Promise<void> => {
      const targets = [...this.liveActors()].filter(select).reverse();
      for (const p of targets) this.exitFrom(null, p.pid, shutdown);
      await Promise.race([Promise.all(targets.map((p) => this.join(p.pid))), deadline]);
    };
    await phase((p) => p.parent === null);
    if (!timedOut) await phase(() => true);
    this.clock.clearTimeout(timer);
    while (this.liveCount > 0) {
      const rest = [...this.liveActors()];
      if (this.logger !== null && rest.length > 0) {
        this.logger.warn(`shutdown: killing ${rest.length} actor(s) still alive after ${timeoutMs} ms`, {
          pids: rest.slice(0, 10).map((p) => p.pid.toString()),
        });
      }
      for (const p of rest) this.exitFrom(null, p.pid, 'kill');
      await Promise.all(rest.map((p) => this.join(p.pid)));
    }
    for (const name of this.registry.keys()) this.registry.remove(name);
  }
}

/** A message with meta travels in an envelope; one without meta travels bare. */
function wrap(message: unknown, meta: unknown): unknown {
  return meta === undefined ? message : new MetaEnvelope(message, meta);
}

function toBehavior<M>(b: Behavior<M> | ReceiveFunction<M>): Behavior<M> {
  if (typeof b === 'function') return { receive: b };
  if (typeof b !== 'object' || b === null || typeof (b as { receive?: unknown }).receive !== 'function') {
    throw new InvalidConfigError('behavior', b, 'an object with a receive(message, ctx) method, or a function');
  }
  return b;
}

function typeOfDest(dest: Destination<unknown>): ActorType | null {
  return dest instanceof Pid ? dest.actorType : null;
}

function describeError(error: unknown): string {
  return formatValue(error);
}

function checkMailboxOptions(
  options: MailboxOptions | undefined,
  path: string,
  defaultCapacity: number,
  defaultOverflow: OverflowPolicy,
): { capacity: number; overflow: OverflowPolicy } {
  if (options === undefined) return { capacity: defaultCapacity, overflow: defaultOverflow };
  if (typeof options !== 'object' || options === null) throw new InvalidConfigError(path, options, 'an object { capacity?, overflow? }');
  const capacity = options.capacity ?? defaultCapacity;
  if (capacity !== Number.POSITIVE_INFINITY && (!Number.isInteger(capacity) || capacity < 1)) {
    throw new InvalidConfigError(`${path}.capacity`, capacity, 'a positive integer, or Infinity for an unbounded mailbox');
  }
  const overflow = options.overflow ?? defaultOverflow;
  if (!OVERFLOW_POLICIES.includes(overflow)) {
    throw new InvalidConfigError(`${path}.overflow`, overflow, `one of ${OVERFLOW_POLICIES.map((p) => `'${p}'`).join(', ')}`);
  }
  return { capacity, overflow };
}
