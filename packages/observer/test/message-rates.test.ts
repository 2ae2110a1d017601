import { ActorSystem, TestClock } from '@joerl/core';
import { createTelemetry } from '@joerl/telemetry';
import { describe, expect, it } from 'vitest';
import { type ActorsPage, observer } from '../src/index.js';
import { request } from './helpers.js';

describe('per-actor message rates', () => {
  it('the actors table shows messages handled per second between two passes, and sorts and pages by it on the server', async () => {
    const clock = new TestClock(1000);
    const telemetry = createTelemetry({ eventLoop: false, logger: null });
    const system = new ActorSystem({ instrumentation: telemetry, clock, logger: null });
    const busy = system.spawn<number>(() => {}, { type: 'busy' });
    const calm = system.spawn<number>(() => {}, { type: 'calm' });
    const idle = system.spawn<number>(() => {}, { type: 'idle' });
    const obs = observer({ system, telemetry });
    const server = await obs.listen({ port: 0 });
    const page = async (q: string) => (await request(new URL(`/api/actors?${q}`, server.url).toString())).json() as ActorsPage;
    try {
      expect((await page('sort=rate&order=desc')).rows.every((r) => r.rate === 0)).toBe(true); // the first pass: no rate yet
      for (let i = 0; i < 60; i++) busy.send(i);
      for (let i = 0; i < 20; i++) calm.send(i);
      await system.idle();
      clock.advance(2000);
      const byRate = await page('sort=rate&order=desc');
      expect(byRate.rows.map((r) => [r.type, r.rate])).toEqual([
        ['busy', 30],
        ['calm', 10],
        ['idle', 0],
      ]);
      expect((await page('sort=rate&order=desc&offset=1&limit=1')).rows.map((r) => r.pidId)).toEqual([calm.id]);
      expect((await page('sort=rate&order=asc&limit=1')).rows.map((r) => r.pidId)).toEqual([idle.id]);
    } finally {
      await obs.close();
      await system.shutdown();
    }
  });
});
