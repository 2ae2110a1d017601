import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActorSystem } from '@joerl/core';
import { createTelemetry } from '@joerl/telemetry';
import { prometheus } from '@joerl/prometheus';
import { Counter, Registry } from 'prom-client';

// Your registry, with your metrics: joerl's join them, and it stays yours.
const registry = new Registry();
const orders = new Counter({ name: 'shop_orders_total', help: 'Orders taken.', registers: [registry] });

// Histogram buckets belong to telemetry: the catalog's, or yours for any histogram.
const telemetry = createTelemetry({
  sampling: { timing: 1 },
  buckets: { joerl_message_processing_duration_seconds: [0.001, 0.01, 0.1] },
});
const system = new ActorSystem({ instrumentation: telemetry });
const exporter = prometheus({ telemetry, registry, defaultMetrics: true });

// Serve /metrics from a server of yours (or let exporter.listen() start one).
const server = createServer(exporter.handler).listen(0, '127.0.0.1');
await once(server, 'listening');

const shop = system.spawn<string>(() => orders.inc(), { type: 'shop' });
shop.send('book');
shop.send('pen');
await system.idle();

const { port } = server.address() as AddressInfo;
const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
const lines = text.split('\n');
console.log(lines.find((line) => line.startsWith('shop_orders_total')));
const les = lines.filter((line) => line.startsWith('joerl_message_processing_duration_seconds_bucket{type="shop"')).map((line) => /le="([^"]+)"/.exec(line)?.[1]);
console.log(`buckets: ${les.join(', ')}`);
console.log(`default metrics: ${lines.some((line) => line.startsWith('process_cpu_user_seconds_total'))}`);

server.close();
await system.shutdown();
