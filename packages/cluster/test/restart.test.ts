/**
 * A node that restarts faster than the heartbeat timeout: the heartbeat of its new incarnation
 * (a new creation) is what tells the others that the old one is gone, not the timeout.
 */
import { ExitReason, type MonitorRef, type Pid } from '@joerl/core';
import { describe, expect, it } from 'vitest';
import { type Cluster, jsonCodec, type NodeEvent, type PidTranslator } from '../src/index.js';
import { AgentNode, clusterName, clusterSuite, pongOf, type NatsServer, spawnProbe, type Timing, within } from './helpers.js';

/** A timeout no test waits out: only a new incarnation can make the node go down here. */
const SLOW: Timing = { heartbeatMs: 100, heartbeatTimeoutMs: 120_000 };

let nats: NatsServer;
let me: Cluster;
let agents: AgentNode[];
const cluster = clusterName();

clusterSuite(cluster, ['lazarus'], (suite) => ({ nats, me, agents } = suite), { timing: SLOW });


describe('a node restarted faster than the heartbeat timeout', () => {
  it('is a new node: links and monitors to the old one fire noconnection, monitorNode sees down then up, old pids never reach it', async () => {
    const old = await pongOf(me, 'lazarus');
    const oldCreation = old.creation;
    const linked = spawnProbe(me.system); // traps exits
    (me.system.handle(linked.ref) as unknown as { link(p: Pid): boolean }).link(old);
    const watcher = spawnProbe(me.system);
    const ref = (me.system.handle(watcher.ref) as unknown as { monitor(p: Pid): MonitorRef }).monitor(old);
    const events: NodeEvent[] = [];
    const up = new Promise<void>((resolve) =>
      me.monitorNode('lazarus', (e) => {
        events.push(e);
        if (e.kind === 'nodeup') resolve();
      }),
    );
    await pongOf(me, 'lazarus'); // orders the link and monitor frames before the kill

    const startedAt = Date.now();
    await agents[0]!.kill();
    const reborn = new AgentNode(nats.url, cluster, 'lazarus', SLOW);
    agents.push(reborn);
    const { creation } = await reborn.ready;
    await within(up, 20_000, 'the new incarnation to come up');
    expect(Date.now() - startedAt).toBeLessThan(SLOW.heartbeatTimeoutMs);

    expect(creation).not.toBe(oldCreation);
    expect(events).toEqual([
      { kind: 'nodedown', node: 'lazarus', reason: 'restarted' },
      { kind: 'nodeup', node: 'lazarus' },
    ]);
    const [exit] = await within(linked.waitForSignals(1), 5000, 'the link exit');
    const [down] = await within(watcher.waitForSignals(1), 5000, 'the monitor down');
    expect(exit).toEqual({ kind: 'exit', from: old, reason: ExitReason.noconnection });
    expect(down).toEqual({ kind: 'down', ref, pid: old, reason: ExitReason.noconnection });
    expect(me.system.info(linked.ref)?.links).toEqual([]);

    // Old pids: refused here...
    expect(me.system.send(old, { ping: 1, from: linked.ref })).toBe(false);
    const fresh = await pongOf(me, 'lazarus');
    expect([fresh.creation, fresh.id === old.id, fresh.equals(old)]).toEqual([creation, true, false]);
    // ...and a frame for the old incarnation's pid published by hand is dropped there: the new
    // pong, with the same id, never answers it. The honest ping after it (same connection and
    // subject, so it arrives after) is answered: once its pong is in, the forged one was handled.
    const forged = spawnProbe<{ self: Pid }>(me.system);
    const translator = me.system.distribution as unknown as PidTranslator;
    const frame = { f: me.node(), c: me.creation, k: 'msg', to: old, m: { ping: 'forged', from: forged.ref } };
    me.connection.publish(`joerl.${cluster}.n.lazarus`, jsonCodec.encode(frame, translator));
    fresh.send({ ping: 'honest', from: forged.ref });
    const [answer] = await within(forged.waitForMessages(1), 10_000, 'the honest pong');
    expect((answer as unknown as { pong: unknown }).pong).toBe('honest');
    await pongOf(me, 'lazarus');
    await me.system.idle();
    expect(forged.messages).toHaveLength(1);
  });
});
