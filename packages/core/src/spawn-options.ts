/**
 * Checks of what `spawn` is given: the behaviour, the options' shape, and mailbox options.
 *
 * @module
 */
import { checkBoolean } from './arguments.js';
import type { Behavior, ReceiveFunction, SpawnOptions } from './behavior.js';
import { InvalidArgumentError, InvalidConfigError } from './errors.js';
import type { MailboxOptions, OverflowPolicy } from './mailbox.js';

const OVERFLOW_POLICIES: readonly OverflowPolicy[] = ['reject', 'drop-oldest', 'backpressure'];

/** @internal A behaviour object, or a receive function made into one. */
export function toBehavior<M>(b: Behavior<M> | ReceiveFunction<M>): Behavior<M> {
  if (typeof b === 'function') return { receive: b };
  let ok: boolean;
  try {
    // read every handler once here, so a behaviour that throws on access is refused at spawn
    const h = b as unknown as Record<string, unknown> | null;
    ok = typeof h === 'object' && h !== null && typeof h.receive === 'function';
    if (ok && h !== null) {
      // separate reads: an array literal here would be one more allocation per spawn
      void h.init;
      void h.handleSignal;
      void h.terminate;
      void h.constructor;
    }
  } catch {
    ok = false;
  }
  if (!ok) throw new InvalidConfigError('behavior', b, 'an object with a receive(message, ctx) method, or a function');
  return b;
}

/**
 * The shape of spawn options; their values are checked where they are used (type name, name,
 * mailbox, link). Reading them is guarded: a revoked Proxy or a throwing getter is a bad argument.
 * @internal
 */
export function checkSpawnOptions(options: unknown): asserts options is SpawnOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('spawn', 'options', options, 'an object { type?, name?, mailbox?, link?, trapExit? }');
  }
  let type: unknown, name: unknown, trapExit: unknown;
  try {
    ({ type, name, trapExit } = options as Record<string, unknown>);
    void (options as Record<string, unknown>).mailbox;
    void (options as Record<string, unknown>).link;
  } catch {
    throw new InvalidArgumentError('spawn', 'options', options, 'an object whose fields can be read');
  }
  if (type !== undefined && typeof type !== 'string') throw new InvalidArgumentError('spawn', 'options.type', type, 'a string');
  if (name !== undefined && typeof name !== 'string') throw new InvalidArgumentError('spawn', 'options.name', name, 'a string');
  if (trapExit !== undefined) checkBoolean('spawn', 'options.trapExit', trapExit);
}

/** @internal */
export function checkMailboxOptions(
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
