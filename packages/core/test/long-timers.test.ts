import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_DELAY_MS, systemClock, TestClock } from '../src/index.js';

describe('systemClock with delays Node cannot hold', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires a 2^31 ms timer after 2^31 ms, not at once', () => {
    const fired = vi.fn();
    systemClock.setTimeout(fired, 2 ** 31, 'x');
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledWith('x');
  });

  it('fires a delay of several chunks exactly once, on time', () => {
    const fired = vi.fn();
    const ms = MAX_TIMER_DELAY_MS * 3 + 5;
    systemClock.setTimeout(fired, ms, 1);
    vi.advanceTimersByTime(ms - 1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('cancels a long timer between chunks', () => {
    const fired = vi.fn();
    const h = systemClock.setTimeout(fired, MAX_TIMER_DELAY_MS * 2, 1);
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS + 10);
    systemClock.clearTimeout(h);
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS * 2);
    expect(fired).not.toHaveBeenCalled();
  });

  it('never fires Infinity', () => {
    const fired = vi.fn();
    systemClock.setTimeout(fired, Number.POSITIVE_INFINITY, 1);
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS * 4);
    expect(fired).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('TestClock', () => {
  it('never fires an Infinity timer, even on runNext', () => {
    const clock = new TestClock();
    const fired = vi.fn();
    clock.setTimeout(fired, Number.POSITIVE_INFINITY, 1);
    expect(clock.runNext()).toBe(false);
    clock.advance(1e15);
    expect(fired).not.toHaveBeenCalled();
  });
});
