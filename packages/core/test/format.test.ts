import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { formatValue } from '../src/index.js';
import { hostileValue } from './helpers.js';

describe('formatValue', () => {
  test.prop([hostileValue, fc.integer({ min: 1, max: 2000 })])('never throws and bounds its output', (hostile, max) => {
    const text = formatValue(hostile.make(), max);
    expect(typeof text).toBe('string');
    expect(text.length).toBeLessThanOrEqual(max);
  });

  it('renders errors as name and message', () => {
    expect(formatValue(new TypeError('bad'))).toBe('TypeError: bad');
  });

  it('marks a throwing getter instead of throwing', () => {
    const o = Object.defineProperty({}, 'message', { enumerable: true, get: () => { throw new Error('no'); } });
    expect(formatValue(o)).toBe('{message: [getter threw]}');
  });

  it('renders a revoked proxy as unprintable', () => {
    const r = Proxy.revocable({}, {});
    r.revoke();
    expect(formatValue(r.proxy)).toBe('[unprintable object]');
  });

  it('renders cycles, bigints and null-prototype objects', () => {
    const o: Record<string, unknown> = { n: 1n };
    o.self = o;
    expect(formatValue(o)).toBe('{n: 1n, self: [Circular]}');
    expect(formatValue(Object.create(null))).toBe('{}');
  });

  it('cuts long output with an ellipsis', () => {
    expect(formatValue('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
