import { namedNode } from '@joerl/test-utils';
import { describe, expect, it } from 'vitest';
import { prometheus } from '../src/index.js';
import { instrumented, parseExposition } from './helpers.js';

async function joerlSamples(options: Parameters<typeof prometheus>[0]) {
  const exporter = prometheus(options);
  const parsed = parseExposition(await exporter.metrics());
  await exporter.close();
  return parsed.samples.filter((s) => s.name.startsWith('joerl_'));
}

describe('the node label', () => {
  it('labels every joerl sample with the node name once the system is a node of a cluster', async () => {
    const { telemetry, system } = instrumented();
    system.spawn(() => {}, { type: 'worker' });
    expect((await joerlSamples({ telemetry })).some((s) => 'node' in s.labels)).toBe(false); // a single node: none
    system.setDistribution(namedNode('orders-1'));
    const samples = await joerlSamples({ telemetry });
    expect(samples.length).toBeGreaterThan(40);
    expect(samples.filter((s) => s.labels.node !== 'orders-1')).toEqual([]);
    system.setDistribution(null);
    await system.shutdown();
  });

  it('takes another name, or none, for relabeling that already tells nodes apart', async () => {
    const { telemetry, system } = instrumented();
    system.setDistribution(namedNode('orders-1'));
    expect((await joerlSamples({ telemetry, nodeLabel: 'joerl_node' })).every((s) => s.labels.joerl_node === 'orders-1' && !('node' in s.labels))).toBe(true);
    expect((await joerlSamples({ telemetry, nodeLabel: false })).some((s) => 'node' in s.labels || 'joerl_node' in s.labels)).toBe(false);
    system.setDistribution(null);
    await system.shutdown();
  });

  it('refuses a label name that is not one, is reserved, or is a joerl label already', () => {
    const { telemetry } = instrumented();
    for (const bad of ['', '1node', '__node', 'le', 'type', 'peer', true, 3]) {
      expect(() => prometheus({ telemetry, nodeLabel: bad as string })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    }
    expect(() => prometheus({ telemetry, system: 'orders', nodeLabel: 'system' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});
