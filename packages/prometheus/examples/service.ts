import { ActorSystem } from '@joerl/core';
import { createTelemetry } from '@joerl/telemetry';
import { prometheus } from '@joerl/prometheus';

const telemetry = createTelemetry();
const system = new ActorSystem({ instrumentation: telemetry });
await prometheus({ telemetry }).listen(); // http://127.0.0.1:9464/metrics

const greeter = system.spawn<string>((name) => console.log(`hello, ${name}`), { type: 'greeter' });
greeter.send('world');
await system.idle();

// What Prometheus sees when it scrapes:
const text = await (await fetch('http://127.0.0.1:9464/metrics')).text();
console.log(text.split('\n').find((line) => line.startsWith('joerl_messages_processed_total{')));

await system.shutdown(); // stops the /metrics server too
