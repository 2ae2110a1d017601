/**
 * The actor handle instrumentation hooks take, from a handler's `ctx`.
 *
 * @module
 */
import type { ActorContext, ActorHandle } from '@joerl/core';

/** @internal core's ctx object is the actor's handle too: no lookup, no allocation. */
export function handleOf(ctx: ActorContext<never> | ActorContext<unknown>): ActorHandle {
  return ctx as unknown as ActorHandle;
}
