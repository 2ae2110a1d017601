/**
 * Issue 13's gaps: servers addressed as `{ name, node }`, `stop()` of a server on another node
 * (as OTP's gen_server:stop/3, checked against Erlang/OTP 25 with two nodes), and remote links
 * and monitors listed by `system.info`. Nodes in separate processes, on a real nats-server.
 */
import { ExitReason, type MonitorRef, type Pid, type RemotePid } from '@joerl/core';
import { CalleeExitedError, CallTimeoutError, GenServer, NoProcError, ServerRef } from '@joerl/gen';
import { describe, expect, it } from 'vitest';
import type { Cluster } from '../src/index.js';
import { type AgentNode, clusterName, clusterSuite, pongOf, type NatsServer, spawnProbe, startAgents, within } from './helpers.js';

let nats: NatsServer;
let me: Cluster;
let agents: AgentNode[];
const cluster = clusterName();

clusterSuite(cluster, ['a'], (suite) => ({ nats, me, agents } = suite));

type KvCall = { kind: 'get' } | { kind: 'never' } | { kind: 'self' } | { kind: 'startStoppable'; name: string; witness: Pid; terminateMs: number };
type KvCast = { kind: 'notify'; to: Pid };

let stoppables = 0;
/** Starts a 'stoppable' server on `node` (its terminate tells the returned probe), by a call to that node's kv. */
async function startStoppable(node: string, terminateMs: number): Promise<{ pid: RemotePid; name: string; witness: ReturnType<typeof spawnProbe<{ terminated: ExitReason }>> }> {
  const witness = spawnProbe<{ terminated: ExitReason }>(me.system);
  const name = `stoppable-${++stoppables}`;
  const pid = (await GenServer.named<KvCall>(me.system, { name: 'kv', node }).call({ kind: 'startStoppable', name, witness: witness.ref, terminateMs })) as RemotePid;
  return { pid, name, witness };
}

describe('GenServer refs by { name, node }', () => {
  it('a call by { name, node } reaches the name registered on that node', async () => {
    const kv = GenServer.named<KvCall, KvCast>(me.system, { name: 'kv', node: 'a' });
    await expect(kv.call({ kind: 'get' })).resolves.toBe(42);
    const pid = (await kv.call({ kind: 'self' })) as RemotePid;
    expect([pid.isRemote, pid.nodeName]).toEqual([true, 'a']);
  });

  it('a cast by { name, node } is handled there', async () => {
    const probe = spawnProbe<string>(me.system);
    expect(GenServer.named<KvCall, KvCast>(me.system, { name: 'kv', node: 'a' }).cast({ kind: 'notify', to: probe.ref })).toBe(true);
    expect(await within(probe.waitForMessages(1), 10_000, 'the cast to be handled')).toEqual(['notified']);
  });

  it('a call to a name nobody holds on that node rejects with NoProcError', async () => {
    const error = await GenServer.named(me.system, { name: 'nobody', node: 'a' })
      .call({ kind: 'get' }, { timeoutMs: 60_000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoProcError);
    expect((error as NoProcError).server).toBe('nobody@a');
  });

  it('a call that gets no reply in time rejects with CallTimeoutError', async () => {
    const error = await GenServer.named<KvCall>(me.system, { name: 'kv', node: 'a' })
      .call({ kind: 'never' }, { timeoutMs: 100 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(error).toMatchObject({ server: 'kv@a', timeoutMs: 100 });
  });

  it('to a node that is not connected: call rejects with noconnection at once, cast is false', async () => {
    const ref = GenServer.named<KvCall, KvCast>(me.system, { name: 'kv', node: 'nowhere' });
    const error = await ref.call({ kind: 'get' }, { timeoutMs: 60_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CalleeExitedError);
    expect((error as CalleeExitedError).reason).toEqual(ExitReason.noconnection);
    expect(ref.cast({ kind: 'notify', to: me.system.rootPid })).toBe(false);
  });
});

describe('stop() of a server on another node (gen_server:stop/3)', () => {
  it('stops it with the reason, and resolves after its terminate ran', async () => {
    const { pid, witness } = await startStoppable('a', 0);
    await ServerRef.of(me.system, pid).stop(ExitReason.custom('enough'));
    // terminate's message left that node before the stop's answer, on the same ordered subject.
    expect(witness.messages).toEqual([{ terminated: ExitReason.custom('enough') }]);
  });

  it('stops by { name, node }', async () => {
    const { name, witness } = await startStoppable('a', 0);
    await GenServer.named(me.system, { name, node: 'a' }).stop(ExitReason.shutdown());
    expect(witness.messages).toEqual([{ terminated: ExitReason.shutdown() }]);
    await expect(GenServer.named(me.system, { name, node: 'a' }).call({ kind: 'get' })).rejects.toBeInstanceOf(NoProcError);
  });

  it('rejects with NoProcError for a server that is not alive there, or a name nobody holds', async () => {
    const { pid } = await startStoppable('a', 0);
    const ref = ServerRef.of(me.system, pid);
    await ref.stop();
    await expect(ref.stop()).rejects.toBeInstanceOf(NoProcError);
    await expect(GenServer.named(me.system, { name: 'nobody', node: 'a' }).stop()).rejects.toBeInstanceOf(NoProcError);
  });

  it('rejects with CallTimeoutError past its timeout, while the server goes on stopping', async () => {
    const { pid, witness } = await startStoppable('a', 1000);
    const error = await ServerRef.of(me.system, pid)
      .stop(ExitReason.normal, { timeoutMs: 50 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(error).toMatchObject({ server: pid, timeoutMs: 50 });
    expect(await within(witness.waitForMessages(1), 10_000, 'the terminate to finish')).toEqual([{ terminated: ExitReason.normal }]);
  });

  it('rejects with noconnection at once when the node goes down during the stop, and for a node not connected', async () => {
    agents.push(...(await startAgents(me, nats.url, cluster, ['doomed'])));
    const doomed = agents[agents.length - 1]!;
    const { pid } = await startStoppable('doomed', -1); // its terminate never returns
    const stop = ServerRef.of(me.system, pid)
      .stop(ExitReason.normal, { timeoutMs: 60_000 })
      .catch((e: unknown) => e);
    await doomed.kill();
    const error = await within(stop, 10_000, 'the stop to reject');
    expect(error).toBeInstanceOf(CalleeExitedError);
    expect((error as CalleeExitedError).reason).toEqual(ExitReason.noconnection);
    const later = await ServerRef.of(me.system, pid)
      .stop()
      .catch((e: unknown) => e);
    expect((later as CalleeExitedError).reason).toEqual(ExitReason.noconnection);
  });
});

describe('remote links and monitors in system.info', () => {
  it('a link to a remote pid is listed as that RemotePid until unlinked', async () => {
    const remote = await me.spawnOn('a', 'echo', ['']);
    const probe = spawnProbe(me.system);
    const ctx = me.system.handle(probe.ref) as unknown as { link(p: Pid): boolean; unlink(p: Pid): void };
    ctx.link(remote);
    expect(me.system.info(probe.ref)?.links).toEqual([remote]);
    expect(me.system.info(probe.ref)?.links[0]).toBe(remote);
    ctx.unlink(remote);
    expect(me.system.info(probe.ref)?.links).toEqual([]);
  });

  it("the other node lists the link too, and drops it when the link's local end exits", async () => {
    const pong = await pongOf(me, 'a');
    // Exits normally when told: a normal exit does not take the remote pong down with it.
    const local = me.system.spawn((_m: 'stop', ctx) => ctx.stop(), { type: 'linked', link: pong });
    await pongOf(me, 'a'); // a round trip orders the link frame before the question
    expect(await agents[0]!.command('links', { name: 'pong' })).toEqual({ links: [['test', local.id]], monitors: [] });
    local.send('stop');
    await me.system.join(local);
    await pongOf(me, 'a');
    expect(await agents[0]!.command('links', { name: 'pong' })).toEqual({ links: [], monitors: [] });
  });

  it('a link made by spawnLinkOn is listed, and removed when the remote actor exits', async () => {
    const probe = spawnProbe(me.system); // traps exits: it outlives the remote actor
    const remote = await me.spawnLinkOn(probe.ref, 'a', 'echo', ['']);
    expect(me.system.info(probe.ref)?.links).toEqual([remote]);
    me.system.exit(remote, ExitReason.custom('bye'));
    await within(probe.waitForSignals(1), 10_000, 'the exit through the link');
    expect(me.system.info(probe.ref)?.links).toEqual([]);
  });

  it('a monitor of a remote pid is listed until its down arrives, or until demonitored', async () => {
    const remote = await me.spawnOn('a', 'echo', ['']);
    const watcher = spawnProbe(me.system);
    const ctx = me.system.handle(watcher.ref) as unknown as { monitor(p: Pid): MonitorRef; demonitor(r: MonitorRef): boolean };
    const first = ctx.monitor(remote);
    ctx.monitor(remote);
    expect(me.system.info(watcher.ref)?.monitors).toEqual([remote, remote]);
    ctx.demonitor(first);
    expect(me.system.info(watcher.ref)?.monitors).toEqual([remote]);
    me.system.exit(remote, 'kill');
    await within(watcher.waitForSignals(1), 10_000, 'the down');
    expect(me.system.info(watcher.ref)?.monitors).toEqual([]);
  });

  it('links and monitors to a node that goes down are removed when they fire with noconnection', async () => {
    agents.push(...(await startAgents(me, nats.url, cluster, ['fleeting'])));
    const fleeting = agents[agents.length - 1]!;
    const remote = await pongOf(me, 'fleeting');
    const probe = spawnProbe(me.system);
    const ctx = me.system.handle(probe.ref) as unknown as { link(p: Pid): boolean; monitor(p: Pid): MonitorRef };
    ctx.link(remote);
    ctx.monitor(remote);
    expect([me.system.info(probe.ref)?.links, me.system.info(probe.ref)?.monitors]).toEqual([[remote], [remote]]);
    await fleeting.kill();
    await within(probe.waitForSignals(2), 10_000, 'the exit and the down');
    expect([me.system.info(probe.ref)?.links, me.system.info(probe.ref)?.monitors]).toEqual([[], []]);
  });
});

