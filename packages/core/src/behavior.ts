/**
 * Behaviours and the context an actor's handlers receive.
 *
 * @module
 */
import type { ActorRef } from './actor-ref.js';
import type { ExitReason, ExitSignalReason } from './exit-reason.js';
import type { MailboxOptions } from './mailbox.js';
import type { RemoteName } from './distribution.js';
import type { Pid } from './pid.js';
import type { MonitorRef, Signal } from './signal.js';
import type { ActorSystem } from './system.js';
import type { TimerRef } from './timers.js';

/** A handler's result: nothing, or a promise (the actor handles nothing else until it settles). */
export type HandlerResult = void | PromiseLike<void>;

/**
 * What an actor does. A plain object or a class instance; every handler may be sync or async.
 * An async handler suspends only its own actor: the next message waits until it settles, so
 * per-actor message order is preserved. A handler that throws or rejects ends the actor with
 * `{ kind: 'error' }`.
 *
 * @typeParam M the messages this actor accepts.
 * @example
 * ```ts
 * class Counter implements Behavior<'inc' | 'print'> {
 *   n = 0;
 *   receive(msg: 'inc' | 'print') { if (msg === 'inc') this.n++; else console.log(this.n); }
 * }
 * const counter = system.spawn(new Counter(), { type: 'counter' });
 * ```
 * @since 0.1.0
 */
export interface Behavior<M = unknown> {
  /** Runs once before the first message; messages sent meanwhile wait in the mailbox. */
  init?(ctx: ActorContext<M>): HandlerResult;
  /** Handles one message. */
  receive(message: M, ctx: ActorContext<M>): HandlerResult;
  /**
   * Handles a signal: an `exit` from a linked actor while trapping exits, or a `down` from a
   * monitor. Without this handler, such signals are ignored (and counted as ignored).
   */
  handleSignal?(signal: Signal, ctx: ActorContext<M>): HandlerResult;
  /**
   * Runs once when the actor exits for any reason but `killed`; may be async. If it throws or
   * rejects, the actor exits with `{ kind: 'error' }` carrying that error instead (as OTP's
   * gen_server), so links and monitors see the failure.
   */
  terminate?(reason: ExitReason, ctx: ActorContext<M>): HandlerResult;
}

/** A behaviour given as just its `receive` function. */
export type ReceiveFunction<M = unknown> = (message: M, ctx: ActorContext<M>) => HandlerResult;

/**
 * Where a message can be sent: a pid (or typed ref, local or remote), a registered name, or a
 * name registered on another node (`{ name, node }`, which needs a distribution such as `@joerl/cluster`).
 */
export type Destination<M = unknown> = Pid<M> | string | RemoteName;

/**
 * Options of a spawn.
 * @since 0.1.0
 */
export interface SpawnOptions {
  /**
   * The actor's type: the label its metrics carry, so a bounded role name (`'order-worker'`),
   * never an id. Default: the behaviour's class name, or `'actor'`.
   */
  readonly type?: string;
  /** Register the actor under this name (freed when it exits). */
  readonly name?: string;
  /** Mailbox capacity and overflow policy. */
  readonly mailbox?: MailboxOptions;
  /**
   * Link the new actor: `true` links it to the spawning actor (only from an {@link ActorContext});
   * a {@link Pid} links it to that actor. The link exists before the new actor runs.
   */
  readonly link?: boolean | Pid;
  /** Start trapping exits (as if `trapExit(true)` ran first). */
  readonly trapExit?: boolean;
}

/**
 * What a handler can do, as `ctx`. Everything here acts on behalf of this actor.
 * @typeParam M the messages this actor accepts.
 * @since 0.1.0
 */
export interface ActorContext<M = unknown> {
  /** This actor's pid. */
  readonly self: Pid;
  /** A typed ref to this actor. */
  readonly ref: ActorRef<M>;
  /** The system this actor lives in. */
  readonly system: ActorSystem;
  /** This actor's type label. */
  readonly type: string;
  /** This actor's registered name, if any. */
  readonly name: string | undefined;
  /** The actor that spawned this one, or null for one spawned by the system. */
  readonly parent: Pid | null;
  /** Whether this actor traps exits. */
  readonly trapsExits: boolean;

  /** Spawns a child (not linked unless `options.link`). */
  spawn<N>(behavior: Behavior<N> | ReceiveFunction<N>, options?: SpawnOptions): ActorRef<N>;
  /** Spawns a child linked to this actor, atomically. */
  spawnLink<N>(behavior: Behavior<N> | ReceiveFunction<N>, options?: Omit<SpawnOptions, 'link'>): ActorRef<N>;
  /**
   * Links this actor to `pid` (bidirectional; a no-op if already linked) and returns true.
   * If `pid` is dead, as Erlang's `link/1`: an actor trapping exits still gets true, then an
   * `exit` signal with reason `noproc`; one not trapping exits gets `LinkNoProcError`.
   * @throws LinkNoProcError (code `NOPROC`) as above; InvalidArgumentError if `pid` is not a Pid.
   */
  link(pid: Pid): boolean;
  /** Removes the link, and any of its exit signals not yet handled. */
  unlink(pid: Pid): void;
  /** Monitors `pid`: one `down` signal arrives when it exits (at once, `noproc`, if it is dead). */
  monitor(pid: Pid): MonitorRef;
  /** Removes a monitor and its `down` signal if not yet handled. Returns true if it was active. */
  demonitor(ref: MonitorRef): boolean;
  /**
   * Sets whether exit signals arrive as `exit` signals instead of killing; returns the previous value.
   * @throws InvalidArgumentError if `flag` is not a boolean.
   */
  trapExit(flag: boolean): boolean;
  /** Sends an exit signal to `pid` (`'kill'` cannot be trapped). Returns false if it is dead. */
  exit(pid: Pid, reason: ExitSignalReason): boolean;
  /**
   * Stops this actor with `reason` (default normal) once the current handler returns.
   * @throws InvalidArgumentError if `reason` is not an {@link ExitReason}.
   */
  stop(reason?: ExitReason): void;
  /** Sends a message; false if the destination is dead, unknown, or its mailbox refused it. */
  send<N>(dest: Destination<N>, message: N): boolean;
  /** Sends `message` to `dest` after `ms` milliseconds; the timer is cancelled if the destination pid exits. */
  sendAfter<N>(dest: Destination<N>, message: N, ms: number): TimerRef;
  /** Cancels a timer; returns the milliseconds it had left, or false if it already fired or was cancelled. */
  cancelTimer(ref: TimerRef): number | false;
  /** Registers this actor under `name`. Throws NameTakenError if the name is in use. */
  register(name: string): void;
  /** Removes this actor's registered name; returns false if it had none. */
  unregister(): boolean;
}
