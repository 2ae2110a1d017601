/** Heap bytes per idle actor: spawn many actors that wait, and divide the heap growth. */
import { type ActorRef, ActorSystem } from '@joerl/core';
import { gc } from './measure.js';

export async function bytesPerIdleActor(count: number): Promise<number> {
  const system = new ActorSystem({ logger: null });
  const behavior = { receive() {} };
  gc();
  const before = process.memoryUsage().heapUsed;
  const refs: ActorRef<unknown>[] = [];
  for (let i = 0; i < count; i++) refs.push(system.spawn(behavior, { type: 'idle' }));
  gc();
  const after = process.memoryUsage().heapUsed;
  const perActor = (after - before) / count;
  await system.shutdown();
  refs.length = 0;
  return perActor;
}
