/**
 * Why an actor exited: a closed union, as Erlang's exit reasons but typed.
 *
 * @module
 */
import { formatValue } from './format.js';

/**
 * Why an actor exited. A discriminated union on `kind`:
 *
 * - `normal`: it finished; linked actors are not affected.
 * - `shutdown`: it was asked to stop (by a supervisor, `shutdown()`, or itself); `detail` says more,
 *   e.g. `'reached_max_restart_intensity'`. Linked actors that do not trap exits die with it.
 * - `killed`: it received the untrappable `'kill'` exit signal; its `terminate` did not run.
 * - `noproc`: the actor did not exist (a join, link or monitor of a dead pid).
 * - `noconnection`: the actor is on another node and the connection to that node was lost
 *   (a link or monitor across nodes, when the node goes down; Erlang's `noconnection`).
 * - `error`: a handler threw or rejected; `error` is the thrown value.
 * - `custom`: an application reason; `reason` is a short label (kept bounded: it becomes a metric label's value only as `custom`).
 *
 * @example
 * ```ts
 * const reason = await system.join(pid);
 * switch (reason.kind) { case 'error': console.error(reason.error); break; default: break; }
 * ```
 * @since 0.1.0
 */
export type ExitReason =
  | { readonly kind: 'normal' }
  | { readonly kind: 'shutdown'; readonly detail?: unknown }
  | { readonly kind: 'killed' }
  | { readonly kind: 'noproc' }
  | { readonly kind: 'noconnection' }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'custom'; readonly reason: string; readonly detail?: unknown };

/** The `kind`s of {@link ExitReason}: a closed set, safe as a metric label. */
export type ExitReasonKind = ExitReason['kind'];

/** Every {@link ExitReasonKind}, in a stable order. */
export const EXIT_REASON_KINDS: readonly ExitReasonKind[] = Object.freeze([
  'normal',
  'shutdown',
  'killed',
  'noproc',
  'error',
  'custom',
  'noconnection',
]);

/**
 * What may be passed to `exit(pid, reason)`: any {@link ExitReason}, a shorthand, or `'kill'`
 * (the untrappable signal; the target exits with `killed`).
 */
export type ExitSignalReason = ExitReason | 'normal' | 'shutdown' | 'kill';

const NORMAL: ExitReason = Object.freeze({ kind: 'normal' });
const SHUTDOWN: ExitReason = Object.freeze({ kind: 'shutdown' });
const KILLED: ExitReason = Object.freeze({ kind: 'killed' });
const NOPROC: ExitReason = Object.freeze({ kind: 'noproc' });
const NOCONNECTION: ExitReason = Object.freeze({ kind: 'noconnection' });

/**
 * Constructors for {@link ExitReason} values.
 *
 * @example
 * ```ts
 * ctx.stop(ExitReason.shutdown('draining'));
 * system.exit(pid, ExitReason.custom('quota_exceeded'));
 * ```
 * @since 0.1.0
 */
export const ExitReason = Object.freeze({
  /** The actor finished normally. */
  normal: NORMAL,
  /** The actor was killed with the untrappable `'kill'` signal. */
  killed: KILLED,
  /** The actor did not exist. */
  noproc: NOPROC,
  /** The actor's node went down (or could not be reached): links and monitors across nodes fire with it. */
  noconnection: NOCONNECTION,
  /** An orderly stop; `detail` optionally says why. */
  shutdown(detail?: unknown): ExitReason {
    return detail === undefined ? SHUTDOWN : Object.freeze({ kind: 'shutdown', detail });
  },
  /** A crash carrying the thrown value. */
  error(error: unknown): ExitReason {
    return Object.freeze({ kind: 'error', error });
  },
  /** An application-defined reason (`reason` should be a short, bounded label). */
  custom(reason: string, detail?: unknown): ExitReason {
    return detail === undefined
      ? Object.freeze({ kind: 'custom', reason })
      : Object.freeze({ kind: 'custom', reason, detail });
  },
});

/** True for `normal`: the only reason that never kills a linked actor. */
export function isNormalExit(reason: ExitReason): boolean {
  return reason.kind === 'normal';
}

/**
 * True for `normal` and `shutdown` (with or without detail): the reasons a `transient`
 * child is not restarted for, and that are not logged as crashes.
 */
export function isOrderlyExit(reason: ExitReason): boolean {
  return reason.kind === 'normal' || reason.kind === 'shutdown';
}

/** Turns the `'normal'` / `'shutdown'` shorthands of `exit()` into ExitReasons (`'kill'` is not a reason: handle it first). */
export function normalizeSignalReason(reason: Exclude<ExitSignalReason, 'kill'>): ExitReason {
  if (reason === 'normal') return NORMAL;
  if (reason === 'shutdown') return SHUTDOWN;
  return reason;
}

/**
 * Normalises anything a handler may throw or reject with into an {@link ExitReason}:
 * an ExitReason passes through, anything else becomes `{ kind: 'error', error }`.
 */
export function toExitReason(value: unknown): ExitReason {
  if (isExitReason(value)) return value;
  return ExitReason.error(value);
}

/** True when `value` is shaped like an {@link ExitReason}. */
export function isExitReason(value: unknown): value is ExitReason {
  if (typeof value !== 'object' || value === null) return false;
  try {
    const kind = (value as { kind?: unknown }).kind;
    switch (kind) {
      case 'normal':
      case 'shutdown':
      case 'killed':
      case 'noproc':
      case 'noconnection':
        return true;
      case 'error':
        return 'error' in value;
      case 'custom':
        return typeof (value as { reason?: unknown }).reason === 'string';
      default:
        return false;
    }
  } catch {
    // a revoked Proxy, or a `kind` getter that throws: not an exit reason
    return false;
  }
}

/** A one-line rendering for logs: `normal`, `shutdown(draining)`, `error: Error: boom`, `custom(quota)`. */
export function formatExitReason(reason: ExitReason): string {
  switch (reason.kind) {
    case 'normal':
    case 'killed':
    case 'noproc':
    case 'noconnection':
      return reason.kind;
    case 'shutdown':
      return reason.detail === undefined ? 'shutdown' : `shutdown(${describeDetail(reason.detail)})`;
    case 'error':
      return `error: ${formatValue(reason.error)}`;
    case 'custom':
      return `custom(${reason.reason})`;
    default:
      return assertNever(reason);
  }
}

function describeDetail(detail: unknown): string {
  return formatValue(detail);
}

/**
 * The exhaustiveness check for a `switch` over a closed union: call it in `default`, and the
 * compiler rejects the switch until every case is handled. Throws if reached at run time
 * (a value from outside the type).
 * @since 0.1.0
 */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
