import { ActorSystem } from '@joerl/core';
import { describe, expect, it } from 'vitest';
import { OFFSET_SAMPLES, Peer } from '../src/peer.js';

const peer = () => new Peer('b', 1, 1, 'joerl.t.n.b', new ActorSystem({ logger: null }));

describe("the estimate of a peer's clock offset (from heartbeat round trips)", () => {
  it('is unknown (NaN) until a round trip, then that of the shortest round trip among the last few', () => {
    const p = peer();
    expect(p.offsetMs).toBeNaN();
    p.roundTrip(4, 10);
    expect(p.offsetMs).toBe(10);
    p.roundTrip(1, 12); // shorter: less room for asymmetry, so it wins
    p.roundTrip(9, 50);
    expect(p.offsetMs).toBe(12);
  });

  it('forgets round trips older than the last few, so a changed offset is followed', () => {
    const p = peer();
    p.roundTrip(0.5, 100);
    for (let i = 0; i < OFFSET_SAMPLES - 1; i++) p.roundTrip(2, 7);
    expect(p.offsetMs).toBe(100);
    p.roundTrip(2, 7); // the 0.5 ms trip is now the ninth most recent
    expect(p.offsetMs).toBe(7);
  });
});
