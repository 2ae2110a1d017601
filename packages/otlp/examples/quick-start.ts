import { type ActorRef, ActorSystem } from '@joerl/core';
import { startOtlp } from '@joerl/otlp';
import { trace } from '@opentelemetry/api';

// Metrics and traces over OTLP/HTTP, to OTEL_EXPORTER_OTLP_ENDPOINT or http://127.0.0.1:4318.
const otlp = await startOtlp({ serviceName: 'shop' });
const system = new ActorSystem({ instrumentation: otlp.telemetry });
console.log(`metrics go to ${otlp.targets.metrics?.url}`);

// An order crosses three actors; each hop is handled in a child span of the previous one.
let router: ActorRef<string>;
let warehouse: ActorRef<string>;
const front = system.spawn<string>((order, ctx) => void ctx.send(router, order), { type: 'front' });
router = system.spawn<string>((order, ctx) => void ctx.send(warehouse, order), { type: 'router' });
warehouse = system.spawn<string>(() => {}, { type: 'warehouse' });

// joerl carries on the traces your code starts (an HTTP request's span, say).
trace.getTracer('shop').startActiveSpan('POST /orders', (span) => {
  front.send('order-1');
  span.end();
});
await system.idle();

// Metrics go out every 60 s (exportIntervalMs), spans in batches; forceFlush sends now.
console.log(`exported: ${await otlp.forceFlush()}`);
await system.shutdown();
await otlp.shutdown();
