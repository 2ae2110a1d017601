import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { Mailbox, MailboxConfig, MetaEnvelope, NO_STAMP } from '../src/mailbox.js';

type Op = { kind: 'push'; stamp: number | null } | { kind: 'shift' } | { kind: 'clear' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('push' as const), stamp: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('shift' as const) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
);

// Timed messages keep their stamps beside them in the mailbox once it has a ring (no envelope
// per message): each message must come out with exactly its own stamp, in order, across growth,
// wrap-around, shrinking and clear.
describe('the mailbox stamp ring', () => {
  test.prop([fc.array(op, { maxLength: 3000 })])('every message comes out in order with its own stamp, or none', (ops) => {
    const box = new Mailbox(new MailboxConfig(Number.POSITIVE_INFINITY, 'reject'));
    const model: { id: number; stamp: number | null }[] = [];
    let next = 0;
    for (const o of ops) {
      if (o.kind === 'push') {
        const id = next++;
        if (o.stamp === null) box.push(id);
        else box.pushStamped(id, o.stamp);
        model.push({ id, stamp: o.stamp });
      } else if (o.kind === 'shift' && model.length > 0) {
        const ringStamp = box.stamps === null ? NO_STAMP : box.peekStamp();
        const want = model.shift() as { id: number; stamp: number | null };
        const item = box.shift();
        // before the mailbox has a ring, a timed message travels in an envelope with its stamp
        const [id, stamp] = item instanceof MetaEnvelope ? [item.message, item.meta as number] : [item, ringStamp];
        if (item instanceof MetaEnvelope) expect(ringStamp).toBe(NO_STAMP);
        expect(id).toBe(want.id);
        // the one value the ring cannot hold is stored one higher
        const expected = want.stamp === null ? NO_STAMP : want.stamp === NO_STAMP && !(item instanceof MetaEnvelope) ? NO_STAMP + 1 : want.stamp;
        expect(stamp).toBe(expected);
      } else if (o.kind === 'clear') {
        expect(box.clear()).toBe(model.length);
        model.length = 0;
      }
      expect(box.len).toBe(model.length);
    }
  });
});
