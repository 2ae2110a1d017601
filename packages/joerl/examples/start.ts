import { start } from 'joerl';

// Backends come from configuration: JOERL_TELEMETRY=prometheus,otlp,statsd,datadog (comma-separated).
// Here the code picks Prometheus; every port is 0 so the example never collides with anything.
const app = await start({
  service: 'shop',
  telemetry: { backends: ['prometheus'], sampling: { timing: 0.01 } },
  prometheus: { port: 0 },
  health: { port: 0 },
});
console.log(`metrics at ${app.urls.metrics?.replace(/:\d+/, ':<port>')}`);

const greeter = app.system.spawn<string>((name) => console.log(`hello, ${name}`), { type: 'greeter' });
greeter.send('world');
await app.system.idle();

const scrape = await (await fetch(app.urls.metrics!)).text();
console.log(scrape.split('\n').find((l) => l.startsWith('joerl_messages_processed_total{type="greeter"}')));
console.log(`ready: ${(await fetch(app.urls.readyz!)).status}`);

await app.shutdown(); // readiness fails first, then the actors stop, then the endpoints close
