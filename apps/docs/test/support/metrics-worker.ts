/** A worker-thread node for the one-scrape test: instrumented, answering the main thread's metric gathers on its parentPort. */
import { parentPort } from 'node:worker_threads';
import { ActorSystem } from '@joerl/core';
import { joinCluster, workerNode } from '@joerl/cluster';
import { serveWorkerMetrics } from '@joerl/prometheus';
import { createTelemetry } from '@joerl/telemetry';

const me = workerNode();
if (me === null || parentPort === null) throw new Error('not started by startWorkerNodes');
const { servers, cluster } = me.data as { servers: string; cluster: string };
const telemetry = createTelemetry({ eventLoop: false, logger: null });
const system = new ActorSystem({ logger: null, instrumentation: telemetry });
serveWorkerMetrics(telemetry, parentPort);
await joinCluster(system, { servers, cluster, node: `worker-${me.index}`, heartbeatMs: 250, heartbeatTimeoutMs: 1000, logger: null, globalNames: false });
system.spawn<number>(() => undefined, { type: `job_of_worker_${me.index}`, name: 'job' }).send(me.index);
