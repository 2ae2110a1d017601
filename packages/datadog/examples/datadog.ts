import tracer from 'dd-trace';
import { ActorSystem } from '@joerl/core';
import { createTelemetry } from '@joerl/telemetry';
import { datadog, datadogTracing } from '@joerl/datadog';

// dd-trace stays yours: init it first, as usual (DD_SERVICE, DD_ENV, DD_AGENT_HOST... apply).
tracer.init();

// Spans: joerl's become Datadog spans through dd-trace. Metrics: to DogStatsD every 10 s.
const telemetry = createTelemetry({ tracing: datadogTracing(tracer) });
const system = new ActorSystem({ instrumentation: telemetry });
const exporter = datadog({ telemetry, tracer });

const worker = system.spawn<string>((order) => console.log(`handled ${order}`), { type: 'worker' });
// Inside a dd-trace span (your HTTP request, say), the trace follows the message.
tracer.trace('web.request', () => worker.send('order-1'));
await system.idle();

// Metrics also go every interval and at shutdown; flush() sends now.
const result = await exporter.flush();
console.log(`metrics: ${result.kind}`);
await system.shutdown();
