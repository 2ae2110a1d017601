/** The soak's verdict: a heap is flat unless its post-warm-up samples trend upward beyond the limit. */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { type HeapSample, heapTrend } from '../src/heap-trend.js';

const MiB = 1024 * 1024;
const series = (n: number, bytes: (i: number) => number): HeapSample[] => Array.from({ length: n }, (_, i) => ({ seconds: i * 5, bytes: bytes(i) }));

describe('heapTrend', () => {
  it('calls a constant heap flat', () => {
    const t = heapTrend(series(20, () => 20 * MiB));
    expect(t.flat).toBe(true);
    expect(t.growthBytes).toBe(0);
  });

  it('calls a heap growing 100 KiB a sample (a leak) not flat', () => {
    const t = heapTrend(series(40, (i) => 20 * MiB + i * 100 * 1024));
    expect(t.flat).toBe(false);
    expect(t.bytesPerMinute).toBeCloseTo(1_228_800, 0); // 100 KiB per 5 s
  });

  it('allows 5% of the median heap when that is more than 1 MiB', () => {
    // 100 MiB heap, +3 MiB over the window: within 5 MiB.
    expect(heapTrend(series(31, (i) => 100 * MiB + i * 0.1 * MiB)).flat).toBe(true);
    expect(heapTrend(series(31, (i) => 100 * MiB + i * 0.2 * MiB)).flat).toBe(false);
  });

  it('refuses to judge fewer than 3 samples', () => {
    expect(() => heapTrend(series(2, () => MiB))).toThrow(/at least 3 samples/);
  });

  test.prop([fc.array(fc.integer({ min: -256 * 1024, max: 256 * 1024 }), { minLength: 10, maxLength: 60 })])(
    'GC noise of ±256 KiB around a level heap is flat',
    (noise) => {
      expect(heapTrend(series(noise.length, (i) => 30 * MiB + (noise[i] ?? 0))).flat).toBe(true);
    },
  );

  test.prop([fc.integer({ min: 10, max: 60 }), fc.integer({ min: 64 * 1024, max: 4 * MiB })])(
    'a steady climb of more than the limit over the window is not flat, whatever the sample count',
    (n, perSample) => {
      const t = heapTrend(series(n, (i) => 10 * MiB + i * perSample));
      expect(t.flat).toBe(perSample * (n - 1) <= t.limitBytes);
    },
  );
});
