import { ActorSystem } from '@joerl/core';
import { createTelemetry } from '@joerl/telemetry';
import { statsd, statsdErrorHandler } from '@joerl/statsd';
import { StatsD } from 'hot-shots';

const telemetry = createTelemetry();
const system = new ActorSystem({ instrumentation: telemetry });

// Your own client, e.g. Telegraf over TCP. Here nothing listens on the port: the collector is down.
const client = new StatsD({
  protocol: 'tcp',
  host: '127.0.0.1',
  port: 1,
  telegraf: true, // with tags: 'telegraf' below
  errorHandler: statsdErrorHandler(telemetry), // count failures instead of logging them
});
const exporter = statsd({ telemetry, client, tags: 'telegraf' });

const worker = system.spawn<number>(() => {}, { type: 'worker' });
for (let i = 0; i < 100; i++) worker.send(i);
await system.idle();
await exporter.flush(); // never rejects, never throws

console.log(`handled: ${telemetry.value('joerl_messages_processed_total', { type: 'worker' })}`);
console.log(`failed exports counted: ${telemetry.value('joerl_telemetry_export_errors_total', { backend: 'statsd' }) > 0}`);

await exporter.close(); // your client stays open: closing it is yours
client.close();
await system.shutdown();
