import type { Pid } from '@joerl/core';
import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Cluster } from '../src/index.js';
import { type AgentNode, clusterName, clusterSuite, hostileValue, spawnProbe, within } from './helpers.js';

let me: Cluster;
let agents: AgentNode[];
const cluster = clusterName();

clusterSuite(cluster, ['a'], (suite) => ({ me, agents } = suite));

describe('messages between nodes in separate processes', () => {
  it('a ping to a name on another node comes back as a pong from a remote pid', async () => {
    const probe = spawnProbe<{ pong: number; self: Pid; node: string }>(me.system);
    expect(me.system.send({ name: 'pong', node: 'a' }, { ping: 1, from: probe.ref })).toBe(true);
    const [reply] = await within(probe.waitForMessages(1), 10_000, 'the pong');
    expect(reply?.pong).toBe(1);
    expect(reply?.node).toBe('a');
    const remote = reply!.self;
    expect([remote.isRemote, remote.nodeName, remote.creation]).toEqual([true, 'a', (await agents[0]!.ready).creation]);
    expect(String(remote)).toMatch(/^<[1-9]\d*\.\d+\.0>$/);
    // The pid came back through a message and works as a destination.
    expect(me.system.send(remote, { ping: 2, from: probe.ref })).toBe(true);
    const [, second] = await within(probe.waitForMessages(2), 10_000, 'the second pong');
    expect(second?.pong).toBe(2);
    expect(second?.self).toBe(remote); // one object per remote actor on this node
  });

  it('each node lists the other', () => {
    expect(me.nodes()).toEqual(['a']);
    expect(me.node()).toBe('test');
  });

  it('keeps the order of 100k messages from one sender to one receiver', async () => {
    const probe = spawnProbe<{ pong: number; self: Pid }>(me.system);
    me.system.send({ name: 'pong', node: 'a' }, { ping: 0, from: probe.ref });
    await within(probe.waitForMessages(1), 10_000, 'the pong');
    const sink = { name: 'sink', node: 'a' };
    const total = 100_000;
    for (let i = 0; i < total; i++) {
      if (!me.system.send(sink, { seq: i })) throw new Error(`send ${i} refused`);
      if (i % 10_000 === 9_999) await me.connection.flush(); // let the socket drain between batches
    }
    const report = spawnProbe<{ count: number; violations: number }>(me.system);
    me.system.send(sink, { report: true, from: report.ref });
    const [result] = await within(report.waitForMessages(1), 60_000, 'the sink report');
    expect(result).toEqual({ count: total, violations: 0 });
  }, 90_000);

  it('a send to a name on a node never seen returns false and is counted as no_route', () => {
    const before = me.stats().sendFailures;
    expect(me.system.send({ name: 'pong', node: 'nowhere' }, 1)).toBe(false);
    expect(me.stats().sendFailures).toEqual({ ...before, no_route: before.no_route + 1 });
  });

  it('a message that cannot be encoded makes send return false, counted as encode', async () => {
    const probe = spawnProbe<{ pong: number; self: Pid }>(me.system);
    me.system.send({ name: 'pong', node: 'a' }, { ping: 0, from: probe.ref });
    const [reply] = await within(probe.waitForMessages(1), 10_000, 'the pong');
    const before = me.stats().sendFailures.encode;
    expect(me.system.send(reply!.self, { fn: () => 1 })).toBe(false);
    expect(me.system.send(reply!.self, Symbol('s'))).toBe(false);
    expect(me.stats().sendFailures.encode).toBe(before + 2);
  });
});

describe('hostile messages to another node', () => {
  test.prop([hostileValue], { numRuns: 100 })('send never throws: it hands the message over or returns false and counts it', (box) => {
    const before = me.stats();
    const sent = me.system.send({ name: 'sink-none', node: 'a' }, box.make());
    const after = me.stats();
    if (sent) expect(after.messagesSent).toBe(before.messagesSent + 1);
    else expect(after.sendFailures.encode).toBe(before.sendFailures.encode + 1);
  });

  it('node a still answers', async () => {
    const probe = spawnProbe<{ pong: number }>(me.system);
    me.system.send({ name: 'pong', node: 'a' }, { ping: 7, from: probe.ref });
    const [reply] = await within(probe.waitForMessages(1), 10_000, 'the pong');
    expect(reply?.pong).toBe(7);
  });
});
