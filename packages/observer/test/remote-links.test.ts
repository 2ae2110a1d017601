/**
 * An actor of a cluster node linked to, or monitoring, actors on other nodes: the detail lists
 * them, without an id that would open the local actor that happens to have the same number.
 */
import { ActorSystem, type Distribution, makeRemotePid, type Pid, RemoteNode, type RemotePid } from '@joerl/core';
import { createTelemetry } from '@joerl/telemetry';
import { describe, expect, it } from 'vitest';
import { observer } from '../src/index.js';
import { namedNode, request } from './helpers.js';

/** A distribution that reports one remote link and one remote monitor for `holder`, and carries nothing. */
function reporting(holder: () => Pid | undefined, remote: () => RemotePid): Distribution {
  const mine = (pid: Pid): readonly RemotePid[] => (pid === holder() ? [remote()] : []);
  return { ...namedNode('a'), remoteLinks: mine, remoteMonitors: mine };
}

describe('an actor with links and monitors on other nodes', () => {
  it('lists them with their node and no local id', async () => {
    const telemetry = createTelemetry();
    const system = new ActorSystem({ instrumentation: telemetry, logger: null });
    let holder: Pid | undefined;
    let remote: RemotePid | undefined;
    system.setDistribution(reporting(() => holder, () => remote!));
    const local = system.spawn(() => undefined, { type: 'local' });
    holder = system.spawn(() => undefined, { type: 'holder', link: local });
    remote = makeRemotePid(system, local.id, new RemoteNode('b', 7, 1)); // the same id as a local actor
    const obs = observer({ system, telemetry });
    const server = await obs.listen({ port: 0 });
    try {
      const detail = (await request(new URL(`/api/actors/${holder.id}`, server.url).toString())).json() as { links: unknown[]; monitors: unknown[] };
      expect(detail.links).toEqual([
        { pid: String(local), pidId: local.id },
        { pid: String(remote), pidId: null, node: 'b' },
      ]);
      expect(detail.monitors).toEqual([{ pid: String(remote), pidId: null, node: 'b' }]);
    } finally {
      await obs.close();
      await system.shutdown();
    }
  });
});
