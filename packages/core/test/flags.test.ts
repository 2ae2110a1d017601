import { describe, expect, it } from 'vitest';
import { DELIVERY_FLAGS } from '../src/delivery.js';
import { NO_STAMP } from '../src/mailbox.js';
import * as process from '../src/process.js';
import { SCHEDULER_FLAGS } from '../src/scheduler.js';
import { TURN_FLAGS } from '../src/turn.js';

// Hot paths test the actor flags as literals (a const enum per module); each mirror must agree
// with process.ts, where the flags are defined.
describe('flag mirrors', () => {
  it.each([
    ['turn', TURN_FLAGS],
    ['scheduler', SCHEDULER_FLAGS],
    ['delivery', DELIVERY_FLAGS],
  ])('%s tests the same bits as process.ts', (_, mirror) => {
    expect(Object.keys(mirror).length).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(mirror)) {
      const defined = name === 'NO_STAMP' ? NO_STAMP : (process as unknown as Record<string, number>)[name];
      expect(defined, name).toBe(value);
    }
  });
});
