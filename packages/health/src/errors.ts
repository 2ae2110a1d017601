/**
 * Errors `@joerl/health` throws, each with a stable `code`. Bad options throw core's
 * `InvalidConfigError` (code `INVALID_CONFIG`), naming the setting.
 *
 * @module
 */
import { JoerlError } from '@joerl/core';

/**
 * Thrown when a check is added under a name already taken (by a built-in check or an earlier
 * `addCheck`). Code `DUPLICATE_CHECK`.
 *
 * @example
 * ```ts
 * try { health.addCheck('heap', fn); }
 * catch (e) { if (e instanceof DuplicateCheckError) console.log(e.checkName); } // 'heap'
 * ```
 * @since 0.1.0
 */
export class DuplicateCheckError extends JoerlError {
  declare readonly code: 'DUPLICATE_CHECK';
  /** The contested name. */
  readonly checkName: string;
  constructor(checkName: string) {
    super(
      'DUPLICATE_CHECK',
      `a health check named '${checkName}' already exists; pick another name, or removeCheck('${checkName}') first (built-in checks cannot be replaced: turn them off in thresholds)`,
    );
    this.checkName = checkName;
  }
}

/**
 * Thrown when a probe is asked for one check it does not have. Code `UNKNOWN_CHECK`.
 *
 * @example
 * ```ts
 * try { await health.probe('readiness', { check: 'nope' }); }
 * catch (e) { if (e instanceof UnknownCheckError) console.log(e.known); }
 * ```
 * @since 0.1.0
 */
export class UnknownCheckError extends JoerlError {
  declare readonly code: 'UNKNOWN_CHECK';
  /** The name asked for. */
  readonly checkName: string;
  /** The probe asked. */
  readonly probe: string;
  /** The checks that probe has. */
  readonly known: readonly string[];
  constructor(checkName: string, probe: string, known: readonly string[]) {
    super('UNKNOWN_CHECK', `the ${probe} probe has no check named '${checkName}'; ask for one of: ${known.join(', ')}`);
    this.checkName = checkName;
    this.probe = probe;
    this.known = known;
  }
}
