import { ActorSystem } from '@joerl/core';
import { GenServer } from '@joerl/gen';
import { createTelemetry } from '@joerl/telemetry';
import { describe, expect, it } from 'vitest';
import { FlowRates, OUTSIDE } from '../src/message-flow.js';
import { observer, type TreeNode } from '../src/index.js';

describe('the message flow', () => {
  it('turns counts into rates per second between two updates, busiest first', () => {
    const rates = new FlowRates();
    expect(rates.sample({ edges: [{ from: 'a', to: 'b', count: 10 }], folded: 0 }, 1000).edges).toEqual([{ from: 'a', to: 'b', perSecond: 0, total: 10 }]);
    const next = rates.sample(
      {
        edges: [
          { from: 'a', to: 'b', count: 30 },
          { from: 'b', to: 'c', count: 100 },
        ],
        folded: 0,
      },
      3000,
    );
    expect(next.edges).toEqual([
      { from: 'b', to: 'c', perSecond: 50, total: 100 },
      { from: 'a', to: 'b', perSecond: 10, total: 30 },
    ]);
  });

  it('streams sender type → receiver type edges while a page is open', async () => {
    const telemetry = createTelemetry();
    const system = new ActorSystem({ instrumentation: telemetry, logger: null });
    const sink = system.spawn<number>(() => {}, { type: 'sink' });
    const relay = system.spawn<number>((n, ctx) => void ctx.send(sink, n), { type: 'relay' });
    await GenServer.start(system, { type: 'store', init: () => GenServer.ok(0), handleCast: (_: 'put', n: number) => GenServer.noreply(n + 1) }, null, { name: 'store' });
    const store = GenServer.named<never, 'put'>(system, 'store');
    const clerk = system.spawn<number>(() => void store.cast('put'), { type: 'clerk' });
    const obs = observer({ system, telemetry });
    const server = await obs.listen({ port: 0 });
    const controller = new AbortController();
    try {
      const res = await fetch(new URL('/api/events', server.url), { signal: controller.signal });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      const next = async (): Promise<{ flow: { from: string; to: string; total: number }[]; tree: TreeNode[] }> => {
        for (;;) {
          const m = /data: (.*)\n\n/.exec(buffer);
          if (m !== null) {
            buffer = buffer.slice((m.index ?? 0) + m[0].length);
            return JSON.parse(m[1] as string) as never;
          }
          buffer += decoder.decode((await reader.read()).value);
        }
      };
      await next(); // the first update: the page is now open and the flow listening
      for (let i = 0; i < 5; i++) relay.send(i);
      for (let i = 0; i < 3; i++) clerk.send(i);
      await system.idle();
      let update = await next();
      while (!update.flow.some((e) => e.to === 'sink')) update = await next();
      expect(update.flow).toContainEqual(expect.objectContaining({ from: OUTSIDE, to: 'relay', total: 5 }));
      expect(update.flow).toContainEqual(expect.objectContaining({ from: 'relay', to: 'sink', total: 5 }));
      // a cast through a named ref, made in a handler, is the handler's actor's send
      expect(update.flow).toContainEqual(expect.objectContaining({ from: 'clerk', to: 'store', total: 3 }));
    } finally {
      controller.abort();
      await obs.close();
      await system.shutdown();
    }
  });
});
