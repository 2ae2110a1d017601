import { ActorSystem } from '@joerl/core';
import { GenServer } from '@joerl/gen';
import { describe, expect, it } from 'vitest';
import { createTelemetry, MAX_FLOW_EDGES, OTHER, OUTSIDE } from '../src/index.js';
import { spawnProbe } from './helpers.js';

const quiet = () => {
  const telemetry = createTelemetry({ eventLoop: false, logger: null });
  const system = new ActorSystem({ instrumentation: telemetry, logger: null });
  return { telemetry, system };
};

describe('the message flow', () => {
  it('counts sender type → receiver type only while watched, and keeps the counts between watches', async () => {
    const { telemetry, system } = quiet();
    const sink = spawnProbe<number>(system, { type: 'sink', trapExit: false });
    const relay = system.spawn<number>((n, ctx) => void ctx.send(sink.ref, n), { type: 'relay' });
    relay.send(0); // unwatched: not counted
    await sink.waitForMessages(1);
    const unwatch = telemetry.watchMessageFlow();
    for (let i = 1; i <= 3; i++) relay.send(i);
    await sink.waitForMessages(4);
    unwatch();
    unwatch(); // idempotent: does not stop another watcher
    relay.send(9); // unwatched again
    await sink.waitForMessages(5);
    expect(telemetry.messageFlow()).toEqual({
      edges: [
        { from: OUTSIDE, to: 'relay', count: 3 },
        { from: 'relay', to: 'sink', count: 3 },
      ],
      folded: 0,
    });
    await system.shutdown();
  });

  it("counts a cast through a named ref under the casting actor's type, not as from outside", async () => {
    const { telemetry, system } = quiet();
    const counter = { type: 'counter', init: () => GenServer.ok(0), handleCast: (_: 'inc', n: number) => GenServer.noreply(n + 1) };
    await GenServer.start(system, counter, null, { name: 'counter' });
    const named = GenServer.named<never, 'inc'>(system, 'counter');
    const caster = system.spawn<'go'>(() => void named.cast('inc'), { type: 'caster' });
    const unwatch = telemetry.watchMessageFlow();
    caster.send('go');
    await system.idle();
    unwatch();
    expect(telemetry.messageFlow().edges).toContainEqual({ from: 'caster', to: 'counter', count: 1 });
    expect(telemetry.messageFlow().edges.filter((e) => e.to === 'counter')).toHaveLength(1);
    await system.shutdown();
  });

  it(`counts at most ${MAX_FLOW_EDGES} edges apart and folds the rest into one (other) edge`, async () => {
    const { telemetry, system } = quiet();
    const targets = Array.from({ length: MAX_FLOW_EDGES + 20 }, (_, i) => system.spawn<number>(() => {}, { type: `t${i}` }));
    const unwatch = telemetry.watchMessageFlow();
    for (const t of targets) t.send(1);
    (targets[0] as (typeof targets)[number]).send(2); // an edge already counted stays counted apart
    await system.idle();
    unwatch();
    const flow = telemetry.messageFlow();
    expect(flow.folded).toBe(20);
    expect(flow.edges).toHaveLength(MAX_FLOW_EDGES + 1);
    expect(flow.edges).toContainEqual({ from: OTHER, to: OTHER, count: 20 });
    expect(flow.edges).toContainEqual({ from: OUTSIDE, to: 't0', count: 2 });
    await system.shutdown();
  });
});
