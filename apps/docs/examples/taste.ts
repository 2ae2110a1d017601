import { ActorSystem } from '@joerl/core';
import { type Call, GenServer, type GenServerDefinition, Supervisor } from '@joerl/gen';

type CounterCall = Call<{ kind: 'get' }, number>;
type CounterCast = { kind: 'add'; n: number };

const counter: GenServerDefinition<number, number, CounterCall, CounterCast> = {
  type: 'counter',
  init: (start) => GenServer.ok(start),
  handleCall: (_req, _from, n) => GenServer.reply(n, n),
  handleCast: (req, n) => GenServer.noreply(n + req.n),
};

const system = new ActorSystem();
await Supervisor.start(system, { strategy: 'one_for_one', children: [GenServer.childSpec(counter, 0, { name: 'counter' })] });
const ref = GenServer.named<CounterCall, CounterCast>(system, 'counter');
ref.cast({ kind: 'add', n: 2 });
console.log(await ref.call({ kind: 'get' })); // 2 — typed: the reply of 'get' is a number
await system.shutdown();
