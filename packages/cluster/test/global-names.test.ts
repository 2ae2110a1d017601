import { Kvm } from '@nats-io/kv';
import { describe, expect, it } from 'vitest';
import type { Cluster } from '../src/index.js';
import { type AgentNode, clusterName, clusterSuite, within } from './helpers.js';

let me: Cluster;
let agents: AgentNode[];
const cluster = clusterName();

clusterSuite(cluster, ['n1', 'n2', 'n3'], (suite) => ({ me, agents } = suite));

/** Resolves when `name`'s KV entry is deleted (watching the bucket, not polling). */
async function deleted(name: string): Promise<void> {
  const kv = await new Kvm(me.connection).open(`joerl_${cluster}_names`);
  const watch = await kv.watch({ key: name });
  for await (const entry of watch) {
    if (entry.operation !== 'PUT') {
      watch.stop();
      return;
    }
  }
}

describe('global names on NATS KV', () => {
  it('of three nodes racing for a name exactly one wins, and every node sees the winner', async () => {
    const results = await Promise.all(agents.map((a) => a.command<boolean>('race', { name: 'leader' })));
    expect(results.filter((r) => r === true)).toHaveLength(1);
    const winner = agents[results.indexOf(true)]!;
    const holder = await me.whereisGlobal('leader');
    expect(holder?.nodeName).toBe(winner.name);
    expect(await me.registeredGlobal()).toContain('leader');
  });

  it('a second claim of a held name fails', async () => {
    const pid = me.system.spawn(() => undefined);
    expect(await me.registerGlobal('taken', pid)).toBe(true);
    expect(await me.registerGlobal('taken', me.system.spawn(() => undefined))).toBe(false);
    expect(await me.whereisGlobal('taken')).toBe(pid);
  });

  it('is released when its owner exits', async () => {
    const pid = me.system.spawn(() => undefined);
    expect(await me.registerGlobal('short-lived', pid)).toBe(true);
    const gone = deleted('short-lived');
    me.system.exit(pid, 'kill');
    await within(gone, 10_000, 'the name to be released');
    expect(await me.whereisGlobal('short-lived')).toBeUndefined();
  });

  it("is released when its owner's node goes down", async () => {
    const holder = await me.whereisGlobal('leader');
    const owner = agents.find((a) => a.name === holder?.nodeName)!;
    const gone = deleted('leader');
    await owner.kill();
    await within(gone, 10_000, "the dead node's name to be released");
    expect(await me.whereisGlobal('leader')).toBeUndefined();
    // And it can be claimed again.
    expect(await me.registerGlobal('leader', me.system.spawn(() => undefined))).toBe(true);
  });

  it('refuses a name that is not a KV key', async () => {
    const pid = me.system.spawn(() => undefined);
    expect(() => me.registerGlobal('has space', pid)).toThrow(/global name/);
    expect(() => me.whereisGlobal('*')).toThrow(/global name/);
  });
});
