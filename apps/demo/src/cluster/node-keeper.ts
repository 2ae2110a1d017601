/**
 * A node keeper: the GenServer on the front end that keeps one service node running, as a
 * supervisor child. Its init starts the node process and links (across nodes) to a `sentinel`
 * actor there. When that node dies, the link breaks with `noconnection`: the keeper stops with
 * that reason, and its supervisor (`nodes_sup`) restarts it, which starts a new incarnation of
 * the node. That restart is the supervisors' reaction the demo's summary shows.
 */
import type { RemotePid } from '@joerl/core';
import type { Cluster } from '@joerl/cluster';
import { type Call, type ChildSpec, GenServer, type GenServerDefinition } from '@joerl/gen';
import type { LaunchedNode, NodeLauncher } from './node-launcher.js';
import { stopProcess } from './node-launcher.js';
import type { ServiceNode } from './settings.js';

export type KeeperCall = Call<{ kind: 'kill' }, boolean> | Call<{ kind: 'info' }, { node: ServiceNode; metrics: string; creation: number }>;

interface KeeperState {
  readonly launched: LaunchedNode;
  readonly sentinel: RemotePid;
}

/** How long a keeper waits for its node to stop in order when the front end shuts down. */
const STOP_GRACE_MS = 3000;

/** The keeper of `node`, as a child of nodes_sup (registered as `keeper_<node>`). */
export function keeperChild(node: ServiceNode, cluster: Cluster, launcher: NodeLauncher, launched: (l: LaunchedNode) => void): ChildSpec {
  const definition: GenServerDefinition<KeeperState, ServiceNode, KeeperCall, never, never> = {
    type: 'node_keeper',
    async init(name, ctx) {
      const started = await launcher.launch(name);
      try {
        await cluster.waitForNode(name, 30_000);
        const sentinel = await cluster.spawnLinkOn(ctx.self, name, 'sentinel');
        launched(started);
        return GenServer.ok({ launched: started, sentinel });
      } catch (error) {
        started.process.kill('SIGKILL');
        throw error;
      }
    },
    handleCall(request, _from, state) {
      switch (request.kind) {
        case 'kill':
          // The fault switch: kill -9, as a crashed machine would. Nothing here notices at once;
          // the heartbeats do, then the link to the sentinel breaks with noconnection.
          return GenServer.reply(state.launched.process.kill('SIGKILL'), state);
        case 'info':
          return GenServer.reply({ node: state.launched.node, metrics: state.launched.metrics, creation: state.launched.creation }, state);
      }
    },
    handleInfo(message, state) {
      // Trapping exits: the link to the node's sentinel broke (noconnection when the node died).
      if (message.kind === 'exit' && message.from === state.sentinel) return GenServer.stop(message.reason, state);
      return GenServer.noreply(state);
    },
    async terminate(_reason, state) {
      await stopProcess(state.launched.process, STOP_GRACE_MS);
    },
  };
  return {
    id: `keeper_${node}`,
    // trapExit: the broken link arrives in handleInfo, so terminate runs and the process is reaped.
    start: (sup) => GenServer.start(sup, definition, node, { link: true, name: `keeper_${node}`, trapExit: true }),
    shutdown: STOP_GRACE_MS + 1000,
  };
}
