/**
 * The audit log: an actor with a small drop-oldest mailbox that writes slowly. Under a flood it
 * sheds its oldest events rather than growing without bound, and says so in its metrics.
 */
import type { Behavior } from '@joerl/core';

export type AuditEvent = { kind: 'order'; id: string; state: string } | { kind: 'noise'; n: number };

export const AUDIT_MAILBOX = { capacity: 200, overflow: 'drop-oldest' } as const;

export function auditLog(): Behavior<AuditEvent> & { written: number } {
  return {
    written: 0,
    async receive() {
      // a write to slow storage
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.written++;
    },
  };
}
