import { ActorSystem } from '@joerl/core';
import { createTelemetry, InMemoryProvider } from '@joerl/telemetry';

// One telemetry per system. Counters are exact; 1% of messages are timed (the default).
const memory = new InMemoryProvider(); // a provider that records hook events: handy in tests
const telemetry = createTelemetry({ sampling: { timing: 0.01 }, providers: [memory] });
const system = new ActorSystem({ instrumentation: telemetry });

const worker = system.spawn<number>((n) => {
  if (n === 13) throw new Error('unlucky');
}, { type: 'worker' });
for (let n = 0; n < 10; n++) worker.send(n);
await system.idle();

console.log(`sent: ${telemetry.value('joerl_messages_sent_total', { type: 'worker' })}`);
console.log(`processed: ${telemetry.value('joerl_messages_processed_total', { type: 'worker' })}`);
console.log(`active: ${telemetry.value('joerl_actors_active', { type: 'worker' })}`);

// Backends read everything through collect(): one family per catalog metric.
const families = telemetry.collect();
console.log(`${families.length} metric families, e.g. ${families[0]?.def.name}`);

// Sampling can change while running.
telemetry.setSampling({ timing: 1 });
worker.send(13);
await system.join(worker);
console.log(`panics seen by the provider: ${memory.of('onActorPanicked').length}`);

await system.shutdown();
