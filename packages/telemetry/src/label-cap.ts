/**
 * Bounded cardinality: each labelled dimension accepts a capped number of distinct values and
 * folds the rest into `(other)` ({@link OTHER}), counting every fold.
 *
 * @module
 */

import { OTHER } from './reserved-labels.js';

/**
 * Maps label values to slots, up to `cap` distinct values; past it, every new value
 * maps to the `other` slot and `overflow` counts it.
 */
export class LabelCap<S> {
  private readonly slots = new Map<string, S>();
  private other: S | undefined;
  overflow = 0;

  constructor(
    /** The label this cap bounds (`type`, `state`, ...). */
    readonly label: string,
    readonly cap: number,
    private readonly make: (label: string) => S,
  ) {}

  /** The slot for `value` (not hot: callers cache it, e.g. per actor type). */
  get(value: string): S {
    const hit = this.slots.get(value);
    if (hit !== undefined) return hit;
    // A value spelled like the fold (only a state machine's event can be) joins it rather than duplicating it.
    if (this.slots.size < this.cap && value !== OTHER) {
      const s = this.make(value);
      this.slots.set(value, s);
      return s;
    }
    this.overflow++;
    return (this.other ??= this.make(OTHER));
  }

  /** Whether `value` has a slot of its own (or, for `other`, whether anything folded). */
  has(value: string): boolean {
    return this.slots.has(value) || (value === OTHER && this.other !== undefined);
  }

  /** The slot of `value` if it exists, without creating one. */
  peek(value: string): S | undefined {
    return this.slots.get(value) ?? (value === OTHER ? this.other : undefined);
  }

  /** Every value and its slot, `other` last. */
  entries(): [string, S][] {
    const out = [...this.slots.entries()];
    if (this.other !== undefined) out.push([OTHER, this.other]);
    return out;
  }

  /** Every slot, `other` last. */
  values(): S[] {
    const out = [...this.slots.values()];
    if (this.other !== undefined) out.push(this.other);
    return out;
  }
}
