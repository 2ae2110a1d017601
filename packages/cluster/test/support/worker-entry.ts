/** A worker node for the worker_threads test: squares numbers for whoever asks. */
import { ActorSystem, type Pid } from '@joerl/core';
import { joinCluster, workerNode } from '../../src/index.js';

const me = workerNode();
if (me === null) throw new Error('not started by startWorkerNodes');
const { servers, cluster } = me.data as { servers: string; cluster: string };
const system = new ActorSystem({ logger: null });
const node = await joinCluster(system, { servers, cluster, node: `worker-${me.index}`, heartbeatMs: 100, heartbeatTimeoutMs: 600, logger: null });
system.spawn<{ n: number; from: Pid }>(
  (m, ctx) => {
    ctx.send(m.from, { n: m.n, square: m.n * m.n, node: node.node() });
  },
  { type: 'squarer', name: 'squarer' },
);
