/**
 * Framework envelopes: the messages the behaviours send each other, under the reserved
 * `'@joerl'` key so they never collide with user messages (everything else is an info message).
 *
 * @module
 */
import type { ExitReason } from '@joerl/core';
import type { From } from './call-table.js';

/** @internal the reserved key. */
export const TAG = '@joerl';

/** @internal a call request; its reply resolves the caller's promise directly. */
export class CallEnvelope {
  readonly '@joerl' = 'call' as const;
  readonly request: unknown;
  readonly from: From<unknown>;
  constructor(request: unknown, from: From<unknown>) {
    this.request = request;
    this.from = from;
  }
}

/** @internal a cast request. */
export class CastEnvelope {
  readonly '@joerl' = 'cast' as const;
  readonly request: unknown;
  constructor(request: unknown) {
    this.request = request;
  }
}

/** @internal asks a server to stop in order, running its terminate. */
export class StopEnvelope {
  readonly '@joerl' = 'stop' as const;
  readonly reason: ExitReason;
  constructor(reason: ExitReason) {
    this.reason = reason;
  }
}

/** Which GenStatem timeout an envelope belongs to. */
export type TimeoutSlot = 'state_timeout' | 'event_timeout' | 'timeout';

/** @internal a GenStatem timeout that fired; stale if its slot holds another envelope by now. */
export class TimeoutEnvelope {
  readonly '@joerl' = 'timeout' as const;
  readonly slot: TimeoutSlot;
  readonly name: string;
  readonly event: unknown;
  constructor(slot: TimeoutSlot, name: string, event: unknown) {
    this.slot = slot;
    this.name = name;
    this.event = event;
  }
}

/** @internal every envelope, discriminated on the reserved key. */
export type Envelope = CallEnvelope | CastEnvelope | StopEnvelope | TimeoutEnvelope;

/** @internal the envelope `message` is, or undefined for a user (info) message. */
// hot: every message a behaviour receives
export function envelopeOf(message: unknown): Envelope | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  let tag: unknown;
  try {
    tag = (message as { '@joerl'?: unknown })[TAG];
  } catch {
    return undefined; // a revoked Proxy or a throwing getter: a user message, for handleInfo
  }
  return typeof tag === 'string' ? (message as Envelope) : undefined;
}
