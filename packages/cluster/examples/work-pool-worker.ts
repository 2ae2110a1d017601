// One worker node of work-pool.ts: squares numbers for whoever asks.
import { ActorSystem, type Pid } from '@joerl/core';
import { joinCluster, workerNode } from '@joerl/cluster';

const { index, data } = workerNode()!;
const { servers } = data as { servers: string };
const node = await joinCluster(new ActorSystem(), { servers, node: `worker-${index}`, cluster: 'example' });
node.system.spawn<{ n: number; from: Pid }>(
  (job, ctx) => {
    ctx.send(job.from, { n: job.n, square: job.n * job.n, node: node.node() });
  },
  { type: 'squarer', name: 'squarer' },
);
