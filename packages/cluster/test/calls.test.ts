import { ExitReason, type MonitorRef, type Pid, type RemotePid } from '@joerl/core';
import { CallTimeoutError, NoProcError, ServerRef } from '@joerl/gen';
import { describe, expect, it } from 'vitest';
import { type Cluster, NodeDownError, UnknownBehaviourError } from '../src/index.js';
import { clusterName, clusterSuite, spawnProbe, within } from './helpers.js';

let me: Cluster;
const cluster = clusterName();

clusterSuite(cluster, ['a'], (suite) => ({ me } = suite));

/** The pong actor's pid on node a, learnt from a pong. */
async function pongPid(): Promise<RemotePid> {
  const probe = spawnProbe<{ pong: unknown; self: Pid }>(me.system);
  me.system.send({ name: 'pong', node: 'a' }, { ping: 0, from: probe.ref });
  const [reply] = await within(probe.waitForMessages(1), 10_000, 'a pong');
  return reply!.self as RemotePid;
}

describe('GenServer calls across nodes', () => {
  it('a call to a remote server resolves with its reply, typed values intact', async () => {
    const pong = await pongPid();
    const kv = await me.system.distribution!.call({ name: 'kv', node: 'a' }, { kind: 'get' }, 5000, null);
    expect(kv).toBe(42);
    const value = { at: new Date(5), tags: new Set(['x']), big: 2n ** 70n, pid: pong, bytes: new Uint8Array([1, 2, 3]), nested: new Map([[1, [null, undefined]]]) };
    const echoed = await me.system.distribution!.call({ name: 'kv', node: 'a' }, { kind: 'echo', v: value }, 5000, null);
    expect(echoed).toEqual(value);
    expect((echoed as { pid: Pid }).pid).toBe(pong);
  });

  it('ServerRef.call on a remote pid uses the same API and errors', async () => {
    const server = await kvPid();
    const ref = ServerRef.of<{ kind: 'get' } | { kind: 'never' }>(me.system, server);
    await expect(ref.call({ kind: 'get' })).resolves.toBe(42);
    const timedOut = await ref.call({ kind: 'never' }, { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(CallTimeoutError);
    expect((timedOut as CallTimeoutError).server).toBe(server);
  });

  it('a reply that arrives after the timeout is discarded and counted', async () => {
    const ref = ServerRef.of<{ kind: 'slow'; ms: number } | { kind: 'get' }>(me.system, await kvPid());
    const before = me.stats().lateReplies;
    await expect(ref.call({ kind: 'slow', ms: 300 }, { timeoutMs: 50 })).rejects.toBeInstanceOf(CallTimeoutError);
    // The server answers this call after the slow one, and replies travel in order: the late one is in.
    await expect(ref.call({ kind: 'get' })).resolves.toBe(42);
    expect(me.stats().lateReplies).toBe(before + 1);
  });

  it('a call to a remote pid that is dead rejects with NoProcError', async () => {
    const dead = await me.spawnOn('a', 'quitter');
    const down = spawnProbe(me.system);
    // Wait for it to be gone: a monitor of it delivers its exit (or noproc if already gone).
    (me.system.handle(down.ref) as unknown as { monitor(p: Pid): MonitorRef }).monitor(dead);
    await within(down.waitForSignals(1), 10_000, 'the quitter to exit');
    const error = await ServerRef.of(me.system, dead).call({ kind: 'get' }, { timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoProcError);
  });

  it('a cast to a remote server is handed to the transport', async () => {
    const server = await kvPid();
    expect(ServerRef.of<never, { kind: 'set' }>(me.system, server).cast({ kind: 'set' })).toBe(true);
  });
});

describe('remote spawn', () => {
  it('spawnOn starts a registered behaviour with its arguments on the other node', async () => {
    const pid = await me.spawnOn('a', 'echo', ['>> ']);
    expect([pid.isRemote, pid.nodeName]).toEqual([true, 'a']);
    const probe = spawnProbe<string>(me.system);
    pid.send({ text: 'hi', from: probe.ref });
    expect(await within(probe.waitForMessages(1), 10_000, 'the echo')).toEqual(['>> hi']);
  });

  it('spawnOn of a behaviour the node did not register rejects with UnknownBehaviourError', async () => {
    const error = await me.spawnOn('a', 'nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownBehaviourError);
    expect((error as UnknownBehaviourError).code).toBe('UNKNOWN_BEHAVIOUR');
  });

  it('spawnOn to a node that is not connected rejects with NodeDownError', async () => {
    await expect(me.spawnOn('nowhere', 'echo')).rejects.toBeInstanceOf(NodeDownError);
  });

  it('spawnLinkOn links the new actor: killing it sends the exit to the local actor', async () => {
    const probe = spawnProbe(me.system);
    const pid = await me.spawnLinkOn(probe.ref, 'a', 'echo', ['']);
    me.system.exit(pid, 'kill');
    const [signal] = await within(probe.waitForSignals(1), 10_000, 'the exit of the linked remote actor');
    expect(signal).toEqual({ kind: 'exit', from: pid, reason: ExitReason.killed });
  });

  it('a link from a local actor to a remote one carries the exit reason both ways', async () => {
    const remote = await me.spawnOn('a', 'echo', ['']);
    const probe = spawnProbe(me.system);
    const ctx = me.system.handle(probe.ref) as unknown as { link(pid: Pid): boolean };
    expect(ctx.link(remote)).toBe(true);
    me.system.exit(remote, ExitReason.custom('bye'));
    const [signal] = await within(probe.waitForSignals(1), 10_000, 'the exit through the link');
    expect(signal).toEqual({ kind: 'exit', from: remote, reason: { kind: 'custom', reason: 'bye' } });
  });

  it('after unlink and demonitor across nodes, the remote exit reaches neither', async () => {
    const remote = await me.spawnOn('a', 'echo', ['']);
    const unlinked = spawnProbe(me.system);
    const ctx = me.system.handle(unlinked.ref) as unknown as { link(pid: Pid): boolean; unlink(pid: Pid): void; monitor(pid: Pid): unknown; demonitor(ref: unknown): boolean };
    ctx.link(remote);
    const ref = ctx.monitor(remote);
    ctx.unlink(remote);
    expect(ctx.demonitor(ref)).toBe(true);
    const witness = spawnProbe(me.system);
    (me.system.handle(witness.ref) as unknown as { monitor(p: Pid): MonitorRef }).monitor(remote);
    me.system.exit(remote, 'kill');
    // The witness's down travels after any signal for the unlinked probe: once it is here, none is coming.
    const [down] = await within(witness.waitForSignals(1), 10_000, "the witness's down");
    expect((down as { reason: unknown }).reason).toEqual(ExitReason.killed);
    await me.system.idle();
    expect(unlinked.signals).toEqual([]);
  });

  it('a monitor of a remote pid that no longer exists delivers noproc', async () => {
    const remote = await me.spawnOn('a', 'quitter');
    const first = spawnProbe(me.system);
    (me.system.handle(first.ref) as unknown as { monitor(p: Pid): MonitorRef }).monitor(remote);
    await within(first.waitForSignals(1), 10_000, 'the quitter to exit');
    const downs: unknown[] = [];
    await within(
      new Promise<void>((resolve) => {
        me.system.monitor(remote, (down) => {
          downs.push(down.reason);
          resolve();
        });
      }),
      10_000,
      'the noproc down',
    );
    expect(downs).toEqual([ExitReason.noproc]);
  });
});

/** The kv server's pid on node a: it answers `self` with it. */
async function kvPid(): Promise<RemotePid> {
  return (await me.system.distribution!.call({ name: 'kv', node: 'a' }, { kind: 'self' }, 5000, null)) as RemotePid;
}
