/**
 * Signals: what an actor receives besides messages.
 *
 * @module
 */
import type { ExitReason } from './exit-reason.js';
import type { Pid } from './pid.js';
import type { ActorProcess } from './process.js';

/**
 * A reference to one monitor, returned by `monitor()`; pass it to `demonitor()`.
 * Matches the `ref` of the {@link DownSignal} the monitor delivers.
 * @since 0.1.0
 */
export class MonitorRef {
  /** Unique within its system. */
  readonly id: number;
  /** The monitored process. */
  readonly target: Pid;
  /** @internal the monitoring actor (null for `system.monitor`). */
  readonly watcher: ActorProcess | null;
  /** @internal */
  constructor(id: number, target: Pid, watcher: ActorProcess | null) {
    this.id = id;
    this.target = target;
    this.watcher = watcher;
  }
  /** `#Ref<node.id>` */
  toString(): string {
    return `#Ref<${this.target.node}.${this.id}>`;
  }
}

/**
 * A linked actor exited (or `exit(pid, reason)` was called on this actor) while this actor
 * traps exits. Without trapping, such a signal kills the receiver unless its reason is `normal`.
 * @since 0.1.0
 */
export interface ExitSignal {
  readonly kind: 'exit';
  /** Who sent it: the exiting linked actor, or the caller of `exit()`. */
  readonly from: Pid;
  readonly reason: ExitReason;
}

/**
 * A monitored actor exited (or did not exist: reason `noproc`). Delivered once per monitor.
 * @since 0.1.0
 */
export interface DownSignal {
  readonly kind: 'down';
  /** The monitor that fired. */
  readonly ref: MonitorRef;
  /** The actor that exited. */
  readonly pid: Pid;
  readonly reason: ExitReason;
}

/** Everything `handleSignal` can receive: a discriminated union on `kind`. */
export type Signal = ExitSignal | DownSignal;

/** The kinds of signal the instrumentation sees: `exit` and `down` as delivered, `kill` for the untrappable one. */
export type SignalKind = 'exit' | 'down' | 'kill';

/** What became of a signal at its receiver. */
export type SignalOutcome =
  /** delivered to `handleSignal` (an exit signal while trapping exits, or a down signal) */
  | 'delivered'
  /** it ended the receiver (an untrapped abnormal exit signal, or `kill`) */
  | 'terminated'
  /** it had no effect: a `normal` exit signal to an actor not trapping exits, or no `handleSignal` to take it */
  | 'ignored';
