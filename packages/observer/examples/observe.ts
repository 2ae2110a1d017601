import { ActorSystem } from '@joerl/core';
import { GenServer, Supervisor } from '@joerl/gen';
import { observer } from '@joerl/observer';
import { createTelemetry } from '@joerl/telemetry';

const telemetry = createTelemetry();
const system = new ActorSystem({ instrumentation: telemetry });
const counter = { type: 'counter', init: () => GenServer.ok(0), handleCast: (_: 'inc', n: number) => GenServer.noreply(n + 1) };
await Supervisor.start(system, { strategy: 'one_for_one', children: [GenServer.childSpec(counter, null, { id: 'counter' })] }, { name: 'app' });

const obs = observer({ system, telemetry }); // read-only; add `actions: true` to kill and restart from the page
const server = await obs.listen({ port: 0 }); // 127.0.0.1 unless told otherwise; pick a fixed port in a service
console.log(`observer ${server.url}`);

const [root] = (await (await fetch(new URL('/api/tree', server.url))).json()) as { id: string; children: { id: string }[] }[];
console.log(root?.id, root?.children.map((c) => c.id));

await obs.close();
await system.shutdown();
