/**
 * The label values telemetry itself emits in place of an actor type. Each is wrapped in
 * parentheses, which an actor type can never contain (core's `checkTypeName` allows only letters,
 * digits and `_ . : / -`), so a user type named `other`, `system` or `unknown` gets series of its
 * own and never merges with these.
 *
 * @module
 */

/**
 * The value that label values beyond a cap fold into (`type`, `child_type`, `supervisor_type`,
 * `event`).
 * @since 0.1.0
 */
export const OTHER = '(other)';

/**
 * The `type` of a send, call or cast addressed to a name nobody holds.
 * @since 0.1.0
 */
export const UNKNOWN_TYPE = '(unknown)';

/**
 * The `type` of signals sent from outside any actor (`system.exit(pid, reason)`).
 * @since 0.1.0
 */
export const SYSTEM_TYPE = '(system)';

/**
 * Every label value telemetry emits on its own account.
 *
 * @example
 * ```ts
 * import { RESERVED_LABEL_VALUES } from '@joerl/telemetry';
 * RESERVED_LABEL_VALUES.includes('(other)'); // true
 * ```
 * @since 0.1.0
 */
export const RESERVED_LABEL_VALUES: readonly string[] = Object.freeze([OTHER, UNKNOWN_TYPE, SYSTEM_TYPE]);
