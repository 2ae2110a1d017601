import { ActorSystem } from '@joerl/core';
import { GenServer, type GenServerDefinition, Supervisor } from '@joerl/gen';
import { SystemHealth } from '@joerl/health';
import { createTelemetry } from '@joerl/telemetry';

const telemetry = createTelemetry();
const system = new ActorSystem({ instrumentation: telemetry });

// Not ready until the root supervisor 'app' has started; a custom check watches a dependency.
// probeCacheMs: 0 so that each probe below sees the change just made (by default the HTTP
// endpoints reuse a readiness report for up to 1 s, so that a burst of probes costs one evaluation).
const health = new SystemHealth({ system, telemetry, supervisors: ['app'], probeCacheMs: 0 });
let queueConnected = true;
health.addCheck('queue', () => queueConnected, { timeoutMs: 500 });
const server = await health.listen({ port: 0, host: '127.0.0.1' }); // any free port, for this demo

async function probe(path: string): Promise<void> {
  const res = await fetch(`${server.url}${path}`);
  const body = (await res.json()) as { status: string; issues: { check: string }[] };
  console.log(`${path} ${res.status} ${body.status}${body.issues.map((i) => ` [${i.check}]`).join('')}`);
}

await probe('/readyz'); // /readyz 503 unhealthy [supervisors]: 'app' has not started yet

const worker: GenServerDefinition<null, null> = { type: 'worker', init: () => GenServer.ok(null) };
await Supervisor.start(system, { strategy: 'one_for_one', children: [GenServer.childSpec(worker, null)] }, { name: 'app' });
await probe('/readyz'); // /readyz 200 healthy

queueConnected = false;
await probe('/readyz'); // /readyz 503 unhealthy [queue]: a critical dependency is down, take no traffic...
await probe('/livez'); // /livez 200 healthy: ...but do not restart the process for it

// What installShutdownHook() does on SIGTERM: readiness turns 503 at once, traffic drains, the system stops.
health.beginShutdown();
await probe('/readyz?exclude=queue'); // /readyz?exclude=queue 503 unhealthy [shutdown]
await health.drainAndShutdown({ drainMs: 0 }); // the hook waits drainMs (default 5000) first
await probe('/livez'); // /livez 503 unhealthy [system]
await health.close();
