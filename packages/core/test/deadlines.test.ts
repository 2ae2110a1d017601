import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { Deadline, DeadlineQueue, TestClock } from '../src/index.js';

class Item extends Deadline {
  expiredAt: number | null = null;
  constructor(
    readonly id: number,
    readonly due: number,
  ) {
    super();
  }
}

/** Waits for the macrotask boundary at which an emptied bucket is disarmed. */
const macrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

type Op = { kind: 'add'; ms: number } | { kind: 'cancel'; pick: number } | { kind: 'advance'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), ms: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.double({ min: 0, max: 50, noNaN: true })) }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 20 }) }),
);

describe('DeadlineQueue', () => {
  test.prop([fc.array(op, { maxLength: 200 })])(
    'every armed item expires once, never early and at most 1 ms late; a cancelled one never; no timer outlives the items',
    async (ops) => {
      const clock = new TestClock();
      const items: Item[] = [];
      const queue = new DeadlineQueue<Item>(clock, (item) => {
        expect(item.expiredAt).toBeNull();
        expect(item.armed).toBe(false);
        item.expiredAt = clock.now();
      });
      const cancelled = new Set<Item>();
      for (const o of ops) {
        if (o.kind === 'add') {
          const item = new Item(items.length, clock.now() + o.ms);
          items.push(item);
          queue.add(item, o.ms);
          expect(item.armed).toBe(true);
        } else if (o.kind === 'cancel' && items.length > 0) {
          const item = items[o.pick % items.length] as Item;
          const wasArmed = item.armed;
          expect(queue.cancel(item)).toBe(wasArmed);
          if (wasArmed) cancelled.add(item);
        } else if (o.kind === 'advance') {
          clock.advance(o.ms);
        }
      }
      clock.advance(100);
      for (const item of items) {
        if (cancelled.has(item)) {
          expect(item.expiredAt).toBeNull();
        } else {
          expect(item.expiredAt).not.toBeNull();
          expect(item.expiredAt as number).toBeGreaterThanOrEqual(item.due);
          expect(item.expiredAt as number).toBeLessThanOrEqual(item.due + 1);
        }
      }
      await macrotask();
      expect(clock.pending).toBe(0);
    },
  );

  it('arms one timer per millisecond however many deadlines fall in it', () => {
    const clock = new TestClock();
    let expired = 0;
    const queue = new DeadlineQueue<Item>(clock, () => expired++);
    for (let i = 0; i < 10_000; i++) queue.add(new Item(i, 0), 5000);
    expect(clock.pending).toBe(1);
    clock.advance(5000);
    expect(expired).toBe(10_000);
    expect(clock.pending).toBe(0);
  });

  it('arming and cancelling one item at a time reuses the timer until the macrotask ends', async () => {
    const clock = new TestClock();
    const queue = new DeadlineQueue<Item>(clock, () => expect.fail('nothing expires'));
    for (let i = 0; i < 1000; i++) {
      const item = new Item(i, 0);
      queue.add(item, 5000);
      expect(queue.cancel(item)).toBe(true);
      expect(queue.cancel(item)).toBe(false);
    }
    expect(clock.pending).toBe(1);
    await macrotask();
    expect(clock.pending).toBe(0);
  });

  it('an expiry that cancels a later item of the same millisecond keeps it from expiring', () => {
    const clock = new TestClock();
    const order: number[] = [];
    const items = [new Item(0, 10), new Item(1, 10), new Item(2, 10)];
    const queue = new DeadlineQueue<Item>(clock, (item) => {
      order.push(item.id);
      if (item.id === 0) queue.cancel(items[2] as Item);
    });
    for (const item of items) queue.add(item, 10);
    clock.advance(10);
    expect(order).toEqual([0, 1]);
  });
});
