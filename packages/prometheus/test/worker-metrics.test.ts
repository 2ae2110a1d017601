import { MessageChannel } from 'node:worker_threads';
import { InvalidConfigError } from '@joerl/core';
import { test } from '@fast-check/vitest';
import { hostileValue, namedNode } from '@joerl/test-utils';
import { describe, expect, it } from 'vitest';
import { gatherFromWorkers, prometheus, serveWorkerMetrics } from '../src/index.js';
import { instrumented, parseExposition, valueOf } from './helpers.js';

/** A worker node: its own system and telemetry, answering on one end of a real MessageChannel (structured clone and all). */
function workerNode(node: string, messages: number) {
  const { telemetry, system } = instrumented();
  system.setDistribution(namedNode(node));
  const ref = system.spawn<number>(() => {}, { type: 'job' });
  for (let i = 0; i < messages; i++) ref.send(i);
  const { port1, port2 } = new MessageChannel();
  const stop = serveWorkerMetrics(telemetry, port2);
  return {
    port: port1,
    system,
    async close() {
      stop();
      port1.close();
      system.setDistribution(null);
      await system.shutdown();
    },
  };
}

describe('one scrape for worker-thread nodes', () => {
  it("serves each worker node's samples next to the main thread's, labelled with its node, never summed", async () => {
    const { telemetry, system } = instrumented();
    system.setDistribution(namedNode('main'));
    const main = system.spawn<number>(() => {}, { type: 'job' });
    main.send(1);
    const workers = [workerNode('w1', 3), workerNode('w2', 5)];
    await Promise.all([system, ...workers.map((w) => w.system)].map((s) => s.idle()));
    const exporter = prometheus({ telemetry, workers: gatherFromWorkers(workers.map((w) => w.port)) });
    const parsed = parseExposition(await exporter.metrics());
    expect(valueOf(parsed, 'joerl_messages_sent_total', { type: 'job', node: 'main' })).toBe(1);
    expect(valueOf(parsed, 'joerl_messages_sent_total', { type: 'job', node: 'w1' })).toBe(3);
    expect(valueOf(parsed, 'joerl_messages_sent_total', { type: 'job', node: 'w2' })).toBe(5);
    // one family, one HELP and TYPE: the exposition stays valid
    expect(parsed.samples.filter((s) => s.name === 'joerl_messages_sent_total' && s.labels.type === 'job')).toHaveLength(3);
    await exporter.close();
    for (const w of workers) await w.close();
    system.setDistribution(null);
    await system.shutdown();
  });

  it('a worker that does not answer in time is left out of that scrape, and the scrape still answers', async () => {
    const { telemetry, system } = instrumented();
    system.setDistribution(namedNode('main'));
    const silent = new MessageChannel();
    const answering = workerNode('w1', 2);
    await answering.system.idle();
    const exporter = prometheus({ telemetry, workers: gatherFromWorkers([silent.port1, answering.port], { timeoutMs: 100 }) });
    const parsed = parseExposition(await exporter.metrics());
    expect(valueOf(parsed, 'joerl_messages_sent_total', { type: 'job', node: 'w1' })).toBe(2);
    expect(parsed.samples.every((s) => !s.name.startsWith('joerl_') || s.labels.node === 'main' || s.labels.node === 'w1')).toBe(true);
    await exporter.close();
    await answering.close();
    silent.port1.close();
    system.setDistribution(null);
    await system.shutdown();
  });

  it('refuses workers without a node label, and ports that are not ports', () => {
    const { telemetry } = instrumented();
    expect(() => prometheus({ telemetry, nodeLabel: false, workers: async () => [] })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => prometheus({ telemetry, workers: 'all' as never })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => gatherFromWorkers([{} as never])).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => gatherFromWorkers([], { timeoutMs: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => serveWorkerMetrics(telemetry, null as never)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});

describe('hostile options of the worker aggregation', () => {
  const { telemetry } = instrumented();
  const refusedOrAccepted = (fn: () => unknown): void => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidConfigError);
    }
  };

  test.prop([hostileValue, hostileValue])('ports, options, a port, nodeLabel and workers: accepted, or refused with InvalidConfigError, never another throw', (a, b) => {
    refusedOrAccepted(() => gatherFromWorkers(a.make() as never, b.make() as never));
    refusedOrAccepted(() => gatherFromWorkers([a.make()] as never));
    refusedOrAccepted(() => serveWorkerMetrics(telemetry, a.make() as never));
    const own = instrumented().telemetry; // a fresh one: an accepted exporter stays its provider
    refusedOrAccepted(() => prometheus({ telemetry: own, nodeLabel: a.make() as never, workers: b.make() as never }).close());
  });

  it('an answer that cannot be read leaves that worker out of the scrape', async () => {
    const hostile = {
      postMessage: () => undefined,
      on: (_: 'message', listener: (v: unknown) => void) => queueMicrotask(() => listener({ '@joerl/prometheus': 'families', get id(): number { throw new Error('hostile'); } })),
      off: () => undefined,
    };
    expect(await gatherFromWorkers([hostile], { timeoutMs: 1000 })()).toEqual([]);
  });
});
