import { describe, expect, it } from 'vitest';
import { Sampler } from '../src/index.js';

function takes(rate: number, calls: number): number[] {
  const s = new Sampler(rate);
  const out: number[] = [];
  for (let i = 1; i <= calls; i++) if (s.take()) out.push(i);
  return out;
}

describe('Sampler', () => {
  it('takes exactly the rate, evenly spread', () => {
    expect(takes(0.01, 1000)).toEqual(Array.from({ length: 10 }, (_, i) => (i + 1) * 100));
    expect(takes(1, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(takes(0, 1000)).toEqual([]);
    expect(takes(0.5, 6)).toEqual([2, 4, 6]);
  });

  it('spreads fractional periods without drift', () => {
    for (const rate of [0.3, 0.07, 0.333, 0.9]) {
      const n = 10_000;
      const got = takes(rate, n).length;
      expect(Math.abs(got - n * rate)).toBeLessThanOrEqual(1);
    }
  });

  it('restarts its count when the rate changes', () => {
    const s = new Sampler(0.1);
    for (let i = 0; i < 5; i++) s.take();
    s.rate = 0.5;
    expect([s.take(), s.take(), s.take(), s.take()]).toEqual([false, true, false, true]);
  });
});
