/**
 * Errors of the OTP behaviours. Each has a stable `code` to branch on and carries the values
 * that explain it; its message says what to do.
 *
 * @module
 */
import { type ExitReason, formatExitReason, formatValue, JoerlError, type Pid } from '@joerl/core';

/**
 * A call got no reply within its `timeoutMs`. Code `CALL_TIMEOUT`. A reply that arrives later
 * is discarded.
 *
 * @example
 * ```ts
 * try { await ref.call({ kind: 'get' }, { timeoutMs: 100 }); }
 * catch (e) { if (e instanceof CallTimeoutError) console.log(`no answer from ${e.server}`); }
 * ```
 * @since 0.1.0
 */
export class CallTimeoutError extends JoerlError {
  declare readonly code: 'CALL_TIMEOUT';
  /** Whom the call went to: a pid or a registered name. */
  readonly server: Pid | string;
  /** The timeout that passed. */
  readonly timeoutMs: number;
  constructor(server: Pid | string, timeoutMs: number) {
    super(
      'CALL_TIMEOUT',
      `call to ${String(server)} got no reply within ${timeoutMs} ms; the server may be overloaded or never reply to this request: raise timeoutMs, or reply sooner (reply(from, value) for deferred replies)`,
    );
    this.server = server;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * A call went to a server that is not alive (a dead pid, or a name nobody holds). Code `NOPROC`.
 *
 * @example
 * ```ts
 * await GenServer.named(system, 'cache').call({ kind: 'get' }).catch((e) => e.code); // 'NOPROC'
 * ```
 * @since 0.1.0
 */
export class NoProcError extends JoerlError {
  declare readonly code: 'NOPROC';
  /** Whom the call went to: a pid or a registered name. */
  readonly server: Pid | string;
  constructor(server: Pid | string) {
    super(
      'NOPROC',
      `no live server at ${typeof server === 'string' ? `name '${server}'` : String(server)}; start it first (or wait for its supervisor to restart it) and call again`,
    );
    this.server = server;
  }
}

/**
 * The server exited while a call to it was pending. Code `CALLEE_EXITED`; `reason` is its
 * exit reason.
 *
 * @example
 * ```ts
 * ref.call({ kind: 'crash' }).catch((e) => { if (e instanceof CalleeExitedError) console.log(e.reason.kind); });
 * ```
 * @since 0.1.0
 */
export class CalleeExitedError extends JoerlError {
  declare readonly code: 'CALLEE_EXITED';
  /** The server that exited. */
  readonly server: Pid | string;
  /** Why it exited. */
  readonly reason: ExitReason;
  constructor(server: Pid | string, reason: ExitReason) {
    super(
      'CALLEE_EXITED',
      `${String(server)} exited (${formatExitReason(reason)}) before replying to the call; see its crash report, and retry once it is restarted`,
      reason.kind === 'error' ? { cause: reason.error } : undefined,
    );
    this.server = server;
    this.reason = reason;
  }
}

/**
 * A state machine received an event its transition table does not allow in the current state.
 * Code `INVALID_TRANSITION`. The state did not change.
 *
 * @example
 * ```ts
 * await door.call({ kind: 'open' }).catch((e) => e instanceof InvalidTransitionError && e.state); // 'locked'
 * ```
 * @since 0.1.0
 */
export class InvalidTransitionError extends JoerlError {
  declare readonly code: 'INVALID_TRANSITION';
  /** The state the machine was (and still is) in. */
  readonly state: string;
  /** The event's name (its `kind`). */
  readonly event: string;
  constructor(state: string, event: string) {
    super(
      'INVALID_TRANSITION',
      `event '${event}' is not allowed in state '${state}'; the state is unchanged. Send it from a state whose transitions list it, or add it to the transition table`,
    );
    this.state = state;
    this.event = event;
  }
}

/**
 * A server's `init` threw, rejected, asked to stop, or the server died before `init` finished.
 * Code `INIT_FAILED`; `reason` is the exit reason of the process.
 *
 * @example
 * ```ts
 * await GenServer.start(system, def, badArg).catch((e) => e instanceof InitFailedError && e.reason);
 * ```
 * @since 0.1.0
 */
export class InitFailedError extends JoerlError {
  declare readonly code: 'INIT_FAILED';
  /** The type label of the process that failed to start. */
  readonly actorType: string;
  /** How the process exited. */
  readonly reason: ExitReason;
  constructor(actorType: string, reason: ExitReason) {
    super(
      'INIT_FAILED',
      `'${actorType}' failed to start (${formatExitReason(reason)}); check the argument it was started with and its init`,
      reason.kind === 'error' ? { cause: reason.error } : undefined,
    );
    this.actorType = actorType;
    this.reason = reason;
  }
}

/**
 * A dynamic supervisor already runs `maxChildren` children. Code `MAX_CHILDREN`.
 *
 * @example
 * ```ts
 * await DynamicSupervisor.startChild(pool, spec).catch((e) => e instanceof MaxChildrenError);
 * ```
 * @since 0.1.0
 */
export class MaxChildrenError extends JoerlError {
  declare readonly code: 'MAX_CHILDREN';
  /** The limit. */
  readonly maxChildren: number;
  constructor(maxChildren: number) {
    super('MAX_CHILDREN', `the dynamic supervisor already runs its maximum of ${maxChildren} children; stop one first, or raise maxChildren`);
    this.maxChildren = maxChildren;
  }
}

/**
 * No child with that id (or pid) under this supervisor. Code `CHILD_NOT_FOUND`.
 *
 * @example
 * ```ts
 * await Supervisor.terminateChild(sup, 'nope').catch((e) => e.code); // 'CHILD_NOT_FOUND'
 * ```
 * @since 0.1.0
 */
export class ChildNotFoundError extends JoerlError {
  declare readonly code: 'CHILD_NOT_FOUND';
  /** The id or pid asked for. */
  readonly child: string | Pid;
  constructor(child: string | Pid) {
    super('CHILD_NOT_FOUND', `the supervisor has no child ${typeof child === 'string' ? `with id '${child}'` : String(child)}; list them with whichChildren`);
    this.child = child;
  }
}

/**
 * The operation needs a stopped child but it is running (`restartChild`, `deleteChild`).
 * Code `CHILD_RUNNING`.
 *
 * @example
 * ```ts
 * await Supervisor.deleteChild(sup, 'cache').catch((e) => e.code); // 'CHILD_RUNNING': terminateChild first
 * ```
 * @since 0.1.0
 */
export class ChildRunningError extends JoerlError {
  declare readonly code: 'CHILD_RUNNING';
  /** The child's id. */
  readonly childId: string;
  /** Its pid. */
  readonly pid: Pid;
  constructor(childId: string, pid: Pid) {
    super('CHILD_RUNNING', `child '${childId}' is running as ${pid}; terminateChild it first`);
    this.childId = childId;
    this.pid = pid;
  }
}

/**
 * `startChild` with an id the supervisor already has. Code `DUPLICATE_CHILD`; `pid` is the
 * running child's pid, or null if the spec is present but not running.
 *
 * @example
 * ```ts
 * await Supervisor.startChild(sup, { id: 'cache', start }).catch((e) => e.code); // 'DUPLICATE_CHILD'
 * ```
 * @since 0.1.0
 */
export class DuplicateChildError extends JoerlError {
  declare readonly code: 'DUPLICATE_CHILD';
  /** The child's id. */
  readonly childId: string;
  /** The running child, or null when only its spec is present. */
  readonly pid: Pid | null;
  constructor(childId: string, pid: Pid | null) {
    super(
      'DUPLICATE_CHILD',
      pid === null
        ? `a child spec with id '${childId}' is already present (not running); restartChild it, or deleteChild it first`
        : `a child with id '${childId}' is already running as ${pid}; pick another id`,
    );
    this.childId = childId;
    this.pid = pid;
  }
}

/**
 * A child spec's `start` threw, rejected, or returned something without a `pid`.
 * Code `CHILD_START_FAILED`; the original error is the `cause`.
 *
 * @example
 * ```ts
 * await Supervisor.startChild(sup, spec).catch((e) => e instanceof ChildStartError && e.childId);
 * ```
 * @since 0.1.0
 */
export class ChildStartError extends JoerlError {
  declare readonly code: 'CHILD_START_FAILED';
  /** The child's id (for dynamic children: `'dynamic'`). */
  readonly childId: string;
  constructor(childId: string, cause: unknown) {
    super(
      'CHILD_START_FAILED',
      `child '${childId}' failed to start: ${formatValue(cause)}; fix its start function or the arguments it starts with`,
      { cause },
    );
    this.childId = childId;
  }
}

/**
 * A callback returned a value that is not one of its documented results (or an action that is
 * not allowed where it was returned). The process crashes with it. Code `BAD_RETURN`.
 *
 * @example
 * ```ts
 * // handleCall returned undefined: the server exits with { kind: 'error', error: BadReturnError }
 * ```
 * @since 0.1.0
 */
export class BadReturnError extends JoerlError {
  declare readonly code: 'BAD_RETURN';
  /** Which callback returned it. */
  readonly callback: string;
  /** What it returned. */
  readonly value: unknown;
  constructor(callback: string, value: unknown, expected: string) {
    super('BAD_RETURN', `${callback} returned ${describeValue(value)}; expected ${expected}`);
    this.callback = callback;
    this.value = value;
  }
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') {
    let kind: unknown;
    try {
      kind = (value as { kind?: unknown }).kind;
    } catch {
      return formatValue(value);
    }
    return kind === undefined ? 'an object without a kind' : `{ kind: ${formatValue(kind)} }`;
  }
  return typeof value;
}

/**
 * A call could not be delivered: the server is alive but its mailbox refused the request
 * (full, with the `reject` policy). Code `MAILBOX_FULL`.
 *
 * @example
 * ```ts
 * await ref.call({ kind: 'get' }).catch((e) => e.code === 'MAILBOX_FULL' && backOff());
 * ```
 * @since 0.1.0
 */
export class ServerBusyError extends JoerlError {
  declare readonly code: 'MAILBOX_FULL';
  /** Whom the call went to. */
  readonly server: Pid | string;
  constructor(server: Pid | string) {
    super('MAILBOX_FULL', `the mailbox of ${String(server)} is full and refused the call; back off and retry, or give it a larger mailbox`);
    this.server = server;
  }
}

/**
 * A server called itself: it would wait for its own reply until the timeout, so the call fails
 * at once, as OTP's `calling_self`. Code `CALLING_SELF`. Detected when the call is made from the
 * server's own callback before its first `await`, or with `caller: ctx` at any time.
 *
 * @example
 * ```ts
 * handleCall: async (req, from, s, ctx) => {
 *   await GenServer.named(ctx.system, 'me').call(req); // rejects with CallingSelfError
 * },
 * ```
 * @since 0.1.1
 */
export class CallingSelfError extends JoerlError {
  declare readonly code: 'CALLING_SELF';
  /** Whom the call went to: the calling server itself, by pid or name. */
  readonly server: Pid | string;
  constructor(server: Pid | string) {
    super(
      'CALLING_SELF',
      `${typeof server === 'string' ? `'${server}'` : String(server)} called itself and would wait for its own reply; handle the request directly in the callback instead of calling`,
    );
    this.server = server;
  }
}
