import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { ActorSystem } from '@joerl/core';
import { createTelemetry } from '@joerl/telemetry';
import { statsd } from '@joerl/statsd';

// A stand-in for your StatsD server, Datadog agent or Telegraf: it keeps every line it receives.
const server = createSocket('udp4').bind(0, '127.0.0.1');
await once(server, 'listening');
const lines: string[] = [];
const arrived = new Promise<void>((resolve) => {
  server.on('message', (datagram) => {
    lines.push(...datagram.toString().split('\n'));
    // Gauges follow counters in a flush: once this one is in, the flush is.
    if (lines.some((line) => line.startsWith('myapp.joerl.actors.active:'))) resolve();
  });
});

const telemetry = createTelemetry();
const system = new ActorSystem({ instrumentation: telemetry });
const exporter = statsd({
  telemetry,
  host: '127.0.0.1',
  port: server.address().port,
  prefix: 'myapp', // myapp.joerl.actors.spawned
  tags: 'dogstatsd', // or 'telegraf', or 'names' for plain StatsD
  intervalMs: 10_000, // the default: one flush every 10 s
});

const greeter = system.spawn<string>((name) => console.log(`hello, ${name}`), { type: 'greeter' });
greeter.send('Joe');
greeter.send('Robert');
await system.idle();

await exporter.close(); // one last flush; then it closes the client it created
await arrived;
const shown = ['actors.spawned', 'messages.sent', 'messages.processed', 'actors.active'];
for (const line of lines) if (shown.some((name) => line.startsWith(`myapp.joerl.${name}:`))) console.log(line);

await system.shutdown();
server.close();
