/**
 * Telling a callback's promise from its plain result.
 *
 * @module
 */

/** @internal true for a promise (any thenable): the result of an async callback. */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
