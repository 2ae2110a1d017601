import type { Pid } from '@joerl/core';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Cluster, ClusterStats } from '../src/index.js';
import { type AgentNode, clusterName, clusterSuite, spawnProbe, within } from './helpers.js';

let me: Cluster;
let agents: AgentNode[];
const cluster = clusterName();

clusterSuite(cluster, ['a'], (suite) => ({ me, agents } = suite));

async function ping(): Promise<void> {
  const probe = spawnProbe<{ self: Pid }>(me.system);
  me.system.send({ name: 'pong', node: 'a' }, { ping: 0, from: probe.ref });
  await within(probe.waitForMessages(1), 10_000, 'a pong');
}

describe('malformed frames on the wire', () => {
  it('a frame published by hand to another process is counted, and that node keeps running', async () => {
    const subject = `joerl.${cluster}.n.a`;
    me.connection.publish(subject, new TextEncoder().encode('{"not": "a frame"'));
    me.connection.publish(subject, new TextEncoder().encode('{"f":"x","c":1,"k":"msg","to":{"$":"pid","n":"a","c":"no","i":1}}'));
    me.connection.publish(subject, new Uint8Array([0xff, 0x00, 0x13]));
    await me.connection.flush();
    await ping(); // ordered after the garbage on the same connection and subject
    const stats = await agents[0]!.command<ClusterStats>('stats');
    expect(stats.malformedFrames).toBe(3);
  });

  test.prop([fc.uint8Array({ maxLength: 200 })], { numRuns: 200 })('any bytes sent to this node are handled without a throw', async (bytes) => {
    const before = me.stats().malformedFrames;
    const impl = (me as unknown as { impl: { receive(b: Uint8Array): void } }).impl;
    expect(() => impl.receive(bytes)).not.toThrow();
    expect(me.stats().malformedFrames - before).toBeLessThanOrEqual(1);
  });

  test.prop([fc.json()], { numRuns: 200 })('any JSON sent to this node is handled without a throw', (json) => {
    const impl = (me as unknown as { impl: { receive(b: Uint8Array): void } }).impl;
    expect(() => impl.receive(new TextEncoder().encode(json))).not.toThrow();
  });

  it('still answers after all that', async () => {
    await ping();
  });
});
