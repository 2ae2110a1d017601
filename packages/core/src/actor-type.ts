/**
 * Actor types: the bounded label every actor carries.
 *
 * @module
 */
import { InvalidConfigError } from './errors.js';
import type { ActorSystem } from './system.js';

/**
 * One record per distinct actor `type` in a system, shared by all its actors.
 *
 * The `type` is the label metrics use, so it must be a bounded set (a role such as
 * `'http-session'`, never an id). Instrumentation may keep per-type aggregates in
 * {@link ActorType.slot}, which core never reads.
 * @since 0.1.0
 */
export class ActorType {
  /** The type name, as given at spawn. */
  readonly name: string;
  /** Owned by the system's instrumentation (e.g. per-type counters); `undefined` until it sets one. */
  slot: unknown = undefined;
  /** @internal the system the type belongs to (pids reach their system through it). */
  readonly system: ActorSystem;
  /** @internal */
  constructor(name: string, system: ActorSystem) {
    this.name = name;
    this.system = system;
  }
}

const TYPE_PATTERN = /^[A-Za-z_][A-Za-z0-9_.:/-]*$/;

/** @internal Validates an actor type name, throwing an error that says how to fix it. */
export function checkTypeName(type: unknown): string {
  if (typeof type !== 'string' || type.length === 0 || type.length > 120 || !TYPE_PATTERN.test(type)) {
    throw new InvalidConfigError(
      'type',
      type,
      "an actor type is a short label (letters, digits, '_', '.', ':', '/', '-'; starting with a letter or '_'; at most 120 characters) naming a role, such as 'order-worker', never an id",
    );
  }
  return type;
}
