import { ActorSystem } from '@joerl/core';
import { type Call, GenServer, type GenServerDefinition, Supervisor } from '@joerl/gen';

type CacheCall = Call<{ kind: 'get'; key: string }, string | undefined> | Call<{ kind: 'crash' }, never>;
type CacheCast = { kind: 'put'; key: string; value: string };

const cache: GenServerDefinition<Map<string, string>, null, CacheCall, CacheCast> = {
  type: 'cache',
  init: () => GenServer.ok(new Map()),
  handleCall(request, _from, map) {
    if (request.kind === 'crash') throw new Error('corrupted');
    return GenServer.reply(map.get(request.key), map);
  },
  handleCast: (request, map) => GenServer.noreply(new Map(map).set(request.key, request.value)),
  terminate: () => console.log('cache: terminating'),
};

const clock: GenServerDefinition<number, null, Call<{ kind: 'ticks' }, number>> = {
  type: 'clock',
  init: () => GenServer.ok(0),
  handleCall: (_request, _from, ticks) => GenServer.reply(ticks, ticks),
  terminate: () => console.log('clock: terminating'),
};

const system = new ActorSystem({ logger: null });
const sup = await Supervisor.start(system, {
  strategy: 'one_for_one',
  intensity: 3, // at most 3 restarts...
  periodMs: 5000, // ...in 5 s, or the supervisor gives up
  children: [GenServer.childSpec(cache, null, { name: 'cache' }), GenServer.childSpec(clock, null, { name: 'clock' })],
});

// Reach supervised servers by name: a restart gives a new pid, the same name.
const cacheRef = GenServer.named<CacheCall, CacheCast>(system, 'cache');
cacheRef.cast({ kind: 'put', key: 'a', value: '1' });
console.log(`a = ${await cacheRef.call({ kind: 'get', key: 'a' })}`);

const before = system.whereis('cache');
await cacheRef.call({ kind: 'crash' }).catch((error: Error) => console.log(`call failed: ${error.name}`));
const children = await Supervisor.whichChildren(sup); // answered after the restart
console.log(children.map((c) => `${c.id}:${c.actorType}`).join(', '));
console.log(`restarted with a new pid: ${system.whereis('cache') !== before}`);
console.log(`a after restart = ${await cacheRef.call({ kind: 'get', key: 'a' })}`);

await system.shutdown(); // children stop in reverse start order
