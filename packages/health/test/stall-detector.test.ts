import { afterEach, describe, expect, it } from 'vitest';
import { StallDetector } from '../src/stall-detector.js';
import { FakeLoop } from './helpers.js';

const detectors: StallDetector[] = [];
afterEach(() => {
  for (const d of detectors.splice(0)) d.stop();
});

function detector(loop: FakeLoop, stallMs = 1000, windowMs = 10_000): StallDetector {
  const d = new StallDetector({ stallMs, windowMs, intervalMs: 100, clock: loop });
  d.start();
  detectors.push(d);
  return d;
}

describe('the event-loop heartbeat', () => {
  it('sees no stall while the loop runs freely', () => {
    const loop = new FakeLoop();
    const d = detector(loop);
    loop.run(60_000);
    expect(d.read().worstMs).toBe(0);
  });

  it('records a heartbeat that fired stallMs or more late as a stall, with how long the loop was blocked', () => {
    const loop = new FakeLoop();
    const d = detector(loop);
    loop.run(50);
    loop.stall(2500); // the beat due at 100 fires at 2550
    loop.run(500);
    expect(d.read()).toEqual({ worstMs: 2450, agoMs: 500 });
  });

  it('does not call a delay shorter than stallMs a stall', () => {
    const loop = new FakeLoop();
    const d = detector(loop);
    loop.run(50);
    loop.stall(900);
    loop.run(100);
    expect(d.read().worstMs).toBe(0);
  });

  it('reports a heartbeat overdue right now, before it had the chance to fire', () => {
    const loop = new FakeLoop();
    const d = detector(loop);
    loop.blockOnly(3000);
    expect(d.read()).toEqual({ worstMs: 2900, agoMs: 0 });
  });

  it('forgets a stall once the window has passed since it ended', () => {
    const loop = new FakeLoop();
    const d = detector(loop, 1000, 10_000);
    loop.stall(2000);
    loop.run(10_000);
    expect(d.read().worstMs).toBe(1900);
    loop.run(1);
    expect(d.read().worstMs).toBe(0);
  });

  it('sets no timer once stopped', () => {
    const loop = new FakeLoop();
    const d = detector(loop);
    expect(loop.pending).toBe(1);
    d.stop();
    expect(loop.pending).toBe(0);
  });
});
