import { type DownSignal, ExitReason, type MonitorRef, type Pid, type RemotePid } from '@joerl/core';
import { CalleeExitedError, ServerRef } from '@joerl/gen';
import { describe, expect, it } from 'vitest';
import type { Cluster, NodeEvent } from '../src/index.js';
import { type AgentNode, clusterName, clusterSuite, pongOf, HEARTBEAT_MS, HEARTBEAT_TIMEOUT_MS, type NatsServer, spawnProbe, startAgents, within } from './helpers.js';

let nats: NatsServer;
let me: Cluster;
let agents: AgentNode[];
const cluster = clusterName();

clusterSuite(cluster, [], (suite) => ({ nats, me, agents } = suite));


describe('a node killed with kill -9', () => {
  it('fires every link and monitor to its actors with noconnection, within the heartbeat timeout', async () => {
    agents.push(...(await startAgents(me, nats.url, cluster, ['victim'])));
    const victim = agents[agents.length - 1]!;
    const remote = await pongOf(me, 'victim');
    const server = (await me.system.distribution!.call({ name: 'kv', node: 'victim' }, { kind: 'self' }, 5000, null)) as RemotePid;

    const linked = spawnProbe(me.system); // traps exits
    (me.system.handle(linked.ref) as unknown as { link(p: Pid): boolean }).link(remote);
    const watcher = spawnProbe(me.system);
    const ref = (me.system.handle(watcher.ref) as unknown as { monitor(p: Pid): MonitorRef }).monitor(remote);
    const listenerDown = new Promise<DownSignal>((resolve) => me.system.monitor(remote, resolve));
    const untrapped = me.system.spawn(() => undefined, { link: remote });
    const untrappedExit = me.system.join(untrapped);
    const events: NodeEvent[] = [];
    const nodeDown = new Promise<void>((resolve) =>
      me.monitorNode('victim', (e) => {
        events.push(e);
        if (e.kind === 'nodedown') resolve();
      }),
    );
    const pendingCall = ServerRef.of<{ kind: 'never' }>(me.system, server)
      .call({ kind: 'never' }, { timeoutMs: 60_000 })
      .catch((e: unknown) => e);
    // Let the link and monitor frames reach the victim before it dies: a round trip through it orders them.
    await pongOf(me, 'victim');

    const killedAt = Date.now();
    await victim.kill();
    const [exit] = await within(linked.waitForSignals(1), 5000, 'the link exit');
    const [down] = await within(watcher.waitForSignals(1), 5000, 'the monitor down');
    const elapsed = Date.now() - killedAt;
    expect(exit).toEqual({ kind: 'exit', from: remote, reason: ExitReason.noconnection });
    expect(down).toEqual({ kind: 'down', ref, pid: remote, reason: ExitReason.noconnection });
    expect((await listenerDown).reason).toEqual(ExitReason.noconnection);
    expect(await untrappedExit).toEqual(ExitReason.noconnection);
    const callError = await pendingCall;
    expect(callError).toBeInstanceOf(CalleeExitedError);
    expect((callError as CalleeExitedError).reason).toEqual(ExitReason.noconnection);
    await nodeDown;
    expect(events).toEqual([{ kind: 'nodedown', node: 'victim', reason: 'heartbeat_timeout' }]);
    // The timeout, plus one check interval, plus a margin for a shared machine.
    expect(elapsed).toBeLessThan(HEARTBEAT_TIMEOUT_MS + HEARTBEAT_MS + 1500);
    expect(me.nodes()).not.toContain('victim');
    // Sends to its pids now fail at once, counted as node_down.
    expect(me.system.send(remote, 'late')).toBe(false);
  });

  it('a restarted node is a new incarnation: old pids never reach it', async () => {
    agents.push(...(await startAgents(me, nats.url, cluster, ['phoenix'])));
    const first = agents[agents.length - 1]!;
    const old = await pongOf(me, 'phoenix');
    await first.kill();
    await within(
      new Promise<void>((resolve) => {
        const stop = me.monitorNode('phoenix', (e) => {
          if (e.kind === 'nodedown') {
            stop();
            resolve();
          }
        });
      }),
      5000,
      'phoenix down',
    );
    agents.push(...(await startAgents(me, nats.url, cluster, ['phoenix'])));
    const fresh = await pongOf(me, 'phoenix');
    expect(fresh.creation).not.toBe(old.creation);
    expect(fresh.equals(old)).toBe(false);
    expect(me.system.send(old, { ping: 1, from: me.system.rootPid })).toBe(false);
    expect(me.system.send(fresh, { ping: 1, from: me.system.rootPid })).toBe(true);
  });
});

describe('the NATS server stopped and restarted', () => {
  it('gives node-down, then reconnection and node-up', async () => {
    agents.push(...(await startAgents(me, nats.url, cluster, ['steady'])));
    const events: string[] = [];
    let onUp: () => void = () => undefined;
    let onDown: () => void = () => undefined;
    const down = new Promise<void>((r) => (onDown = r));
    const up = new Promise<void>((r) => (onUp = r));
    me.monitorNode('steady', (e) => {
      events.push(e.kind);
      if (e.kind === 'nodedown') onDown();
      else onUp();
    });
    await nats.stop();
    await within(down, 10_000, 'node-down after the server stopped');
    await nats.restart();
    await within(up, 20_000, 'node-up after the server came back');
    expect(events).toEqual(['nodedown', 'nodeup']);
    expect(me.nodes()).toContain('steady');
    // And messages flow again.
    await pongOf(me, 'steady');
  }, 40_000);
});
