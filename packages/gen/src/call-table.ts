/**
 * Pending calls: the caller's side of a call, and the {@link From} a server replies through.
 *
 * A reply resolves the caller's promise directly (no reply message): the {@link From} a server
 * holds points at its pending call. A call that is answered, times out, or whose server exits
 * is closed, so a late reply finds it closed and is dropped without leaking; each system's
 * table only counts the calls still open.
 *
 * @module
 */
import type { ActorHandle, ActorSystem, CallOutcome, DownSignal, Instrumentation, MonitorRef, Pid } from '@joerl/core';
import { Deadline, DeadlineQueue, InvalidArgumentError } from '@joerl/core';
import { isInstance } from './arguments.js';
import { CalleeExitedError, CallTimeoutError, NoProcError } from './errors.js';

/**
 * Who is waiting for the reply of one call: what `handleCall` receives as `from`, to reply at
 * once (by returning a `reply` result) or later with {@link reply}.
 *
 * @typeParam R the reply type.
 * @example
 * ```ts
 * handleCall(req, from, state) {
 *   state.waiting.push(from);        // keep it...
 *   return GenServer.noreply(state);
 * }
 * // ...and later: reply(from, 'done');
 * ```
 * @since 0.1.0
 */
export class From<R = unknown> {
  /** The calling actor, or null when the call came from outside any actor. */
  readonly caller: Pid | null;
  /** @internal the pending call's id in its table. */
  readonly id: number;
  /** @internal */
  readonly table: CallTable;
  /** @internal the call it answers: a reply settles it directly, with no lookup. */
  readonly call: PendingCall;
  declare private readonly replyType?: (reply: R) => void;

  /** @internal froms are created by calls. */
  constructor(table: CallTable, call: PendingCall, caller: Pid | null) {
    this.table = table;
    this.call = call;
    this.id = call.id;
    this.caller = caller;
  }

  /** `#From<id>` */
  toString(): string {
    return `#From<${this.id}>`;
  }
}

/**
 * Replies to a call. Returns true if the caller was still waiting; false (and the value is
 * dropped) if the call already ended: it timed out, or it was answered before.
 *
 * @throws InvalidArgumentError if `from` is not a {@link From}.
 * @example
 * ```ts
 * reply(from, 42);
 * ```
 * @since 0.1.0
 */
export function reply<R>(from: From<R>, value: R): boolean {
  if (!isInstance(from, From)) throw new InvalidArgumentError('reply', 'from', from, "the `from` a handleCall received");
  return from.table.settle(from.call, value);
}

/** @internal one call waiting for its reply (its timeout armed in the table's deadlines). */
export class PendingCall extends Deadline {
  readonly id: number;
  /** The server as the caller addressed it (a pid or a name), for error messages. */
  readonly server: Pid | string;
  readonly handle: ActorHandle;
  readonly token: unknown;
  readonly timeoutMs: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  monitor: MonitorRef | null = null;
  /** Until it is answered, times out or fails: a late reply then finds it closed. */
  open = true;

  constructor(
    id: number,
    server: Pid | string,
    handle: ActorHandle,
    token: unknown,
    timeoutMs: number,
    resolve: (value: unknown) => void,
    reject: (error: unknown) => void,
  ) {
    super();
    this.id = id;
    this.server = server;
    this.handle = handle;
    this.token = token;
    this.timeoutMs = timeoutMs;
    this.resolve = resolve;
    this.reject = reject;
  }
}

/**
 * @internal the pending calls of one system. Timeouts share one clock timer per millisecond
 * (a call times out at most 1 ms late), so a call arms no timer of its own.
 */
export class CallTable {
  readonly system: ActorSystem;
  private readonly ins: Instrumentation | null;
  private pending = 0;
  private nextId = 1;
  private readonly deadlines: DeadlineQueue<PendingCall>;

  constructor(system: ActorSystem) {
    this.system = system;
    this.ins = system.instrumentation;
    this.deadlines = new DeadlineQueue<PendingCall>(system.clock, (call) => this.timeout(call));
  }

  /** Calls waiting for a reply now. */
  get size(): number {
    return this.pending;
  }

  /** Registers a call: monitors the server and arms the timeout. */
  open(
    server: Pid | string,
    pid: Pid,
    handle: ActorHandle,
    token: unknown,
    timeoutMs: number,
    resolve: (value: unknown) => void,
    reject: (error: unknown) => void,
  ): PendingCall {
    const call = new PendingCall(this.nextId++, server, handle, token, timeoutMs, resolve, reject);
    this.pending++;
    call.monitor = this.system.monitor(pid, (down) => this.down(call, down));
    this.deadlines.add(call, timeoutMs);
    return call;
  }

  /** Resolves a call; false if it is no longer pending. */
  settle(call: PendingCall, value: unknown): boolean {
    if (!call.open) return false;
    this.close(call);
    if (this.ins !== null) this.ins.callEnded(call.handle, call.token, 'ok');
    call.resolve(value);
    return true;
  }

  /** Rejects a call with `error`; false if it is no longer pending. */
  fail(call: PendingCall, error: unknown, outcome: CallOutcome): boolean {
    if (!call.open) return false;
    this.close(call);
    if (this.ins !== null) this.ins.callEnded(call.handle, call.token, outcome);
    call.reject(error);
    return true;
  }

  private timeout(call: PendingCall): void {
    this.fail(call, new CallTimeoutError(call.server, call.timeoutMs), 'timeout');
  }

  private down(call: PendingCall, down: DownSignal): void {
    call.monitor = null;
    if (down.reason.kind === 'noproc') this.fail(call, new NoProcError(call.server), 'noproc');
    else this.fail(call, new CalleeExitedError(call.server, down.reason), 'exit');
  }

  private close(call: PendingCall): void {
    call.open = false;
    this.pending--;
    this.deadlines.cancel(call);
    if (call.monitor !== null) {
      this.system.demonitor(call.monitor);
      call.monitor = null;
    }
  }
}

const tables = new WeakMap<ActorSystem, CallTable>();

/** @internal the call table of `system`. */
export function callTableOf(system: ActorSystem): CallTable {
  let table = tables.get(system);
  if (table === undefined) {
    table = new CallTable(system);
    tables.set(system, table);
  }
  return table;
}

/**
 * How many calls in `system` are waiting for a reply: 0 once every call has been answered,
 * timed out, or failed (a diagnostic, and how tests prove late replies do not leak).
 *
 * @example
 * ```ts
 * pendingCalls(system); // 0
 * ```
 * @since 0.1.0
 */
export function pendingCalls(system: ActorSystem): number {
  return tables.get(system)?.size ?? 0;
}

/** @internal Fails a call with `error` (outcome `error`); false if it already ended. */
export function replyError(from: From<unknown>, error: unknown): boolean {
  return from.table.fail(from.call, error, 'error');
}
