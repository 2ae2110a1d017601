/**
 * Timer references returned by `sendAfter`.
 *
 * @module
 */
import type { Destination } from './behavior.js';
import type { TimerHandle } from './clock.js';
import type { ActorProcess } from './process.js';

/**
 * A pending `sendAfter`. Pass it to `cancelTimer`.
 * @since 0.1.0
 */
export class TimerRef {
  /** Unique within its system. */
  readonly id: number;
  /** @internal */
  readonly dest: Destination<unknown>;
  /** @internal */
  readonly message: unknown;
  /** `clock.now()` when it fires. */
  readonly fireAt: number;
  /** @internal */
  handle: TimerHandle = undefined;
  /** @internal the destination process, when `dest` named a pid: the timer dies with it. */
  owner: ActorProcess | null;
  /** @internal */
  active = true;

  /** @internal */
  constructor(id: number, dest: Destination<unknown>, message: unknown, fireAt: number, owner: ActorProcess | null) {
    this.id = id;
    this.dest = dest;
    this.message = message;
    this.fireAt = fireAt;
    this.owner = owner;
  }

  /** Whether it has neither fired nor been cancelled. */
  get pending(): boolean {
    return this.active;
  }
}
