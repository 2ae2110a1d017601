import { ActorSystem } from '@joerl/core';
import { createTelemetry } from '@joerl/telemetry';
import { describe, expect, it } from 'vitest';
import { MAX_FLOW_EDGES, MessageFlow, OUTSIDE } from '../src/message-flow.js';
import { observer, type TreeNode } from '../src/index.js';

describe('the message flow', () => {
  it('counts at most MAX_FLOW_EDGES edges; messages on further edges only as overflow', () => {
    const flow = new MessageFlow('flow');
    const pid = {} as never;
    for (let i = 0; i < MAX_FLOW_EDGES + 50; i++) flow.onMessageSent({ type: `t${i}`, pid, senderType: 'src' });
    flow.onMessageSent({ type: 't0', pid, senderType: null });
    expect(flow.sample(1000)).toHaveLength(MAX_FLOW_EDGES);
    expect(flow.overflow).toBe(51);
  });

  it('streams sender type → receiver type edges while a page is open', async () => {
    const telemetry = createTelemetry();
    const system = new ActorSystem({ instrumentation: telemetry, logger: null });
    const sink = system.spawn<number>(() => {}, { type: 'sink' });
    const relay = system.spawn<number>((n, ctx) => void ctx.send(sink, n), { type: 'relay' });
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
      await system.idle();
      let update = await next();
      while (!update.flow.some((e) => e.to === 'sink')) update = await next();
      expect(update.flow).toContainEqual(expect.objectContaining({ from: OUTSIDE, to: 'relay', total: 5 }));
      expect(update.flow).toContainEqual(expect.objectContaining({ from: 'relay', to: 'sink', total: 5 }));
    } finally {
      controller.abort();
      await obs.close();
      await system.shutdown();
    }
  });
});
