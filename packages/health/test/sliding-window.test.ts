import { describe, expect, it } from 'vitest';
import { perMinute, SlidingWindow } from '../src/sliding-window.js';

describe('SlidingWindow', () => {
  it('counts the growth since the start while the window is not yet full, averaged over the whole window', () => {
    const w = new SlidingWindow(60_000, 0, 5);
    expect(w.observe(10_000, 17)).toEqual({ increase: 12, spanMs: 60_000 });
    expect(perMinute(w.observe(10_000, 17))).toBe(12);
  });

  it('forgets growth older than the window', () => {
    const w = new SlidingWindow(60_000, 0, 0);
    w.observe(1000, 30);
    expect(w.observe(61_000, 30).increase).toBe(0);
    expect(w.observe(62_000, 31).increase).toBe(1);
  });

  it('averages over the longer span when samples are sparse, never overstating the rate', () => {
    const w = new SlidingWindow(60_000, 0, 0);
    const seen = w.observe(120_000, 20);
    expect(seen).toEqual({ increase: 20, spanMs: 120_000 });
    expect(perMinute(seen)).toBe(10);
  });

  it('starts over when the counter goes back', () => {
    const w = new SlidingWindow(60_000, 0, 100);
    expect(w.observe(1000, 3).increase).toBe(0);
    expect(w.observe(2000, 5).increase).toBe(2);
  });

  it('keeps a bounded number of samples however often it is observed', () => {
    const w = new SlidingWindow(60_000, 0, 0);
    for (let t = 1; t <= 600_000; t += 10) w.observe(t, t);
    expect((w as unknown as { times: number[] }).times.length).toBeLessThanOrEqual(64); // about one per 1/60 of the window
  });
});
