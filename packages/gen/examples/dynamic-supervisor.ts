import { ActorSystem } from '@joerl/core';
import { type Call, DynamicSupervisor, GenServer, type GenServerDefinition, MaxChildrenError, ServerRef } from '@joerl/gen';

type SessionCall = Call<{ kind: 'user' }, string>;
const session: GenServerDefinition<string, string, SessionCall> = {
  type: 'session',
  init: (user) => GenServer.ok(user),
  handleCall: (_request, _from, user) => GenServer.reply(user, user),
};

const system = new ActorSystem();
const sessions = await DynamicSupervisor.start(system, { maxChildren: 2 }, { name: 'sessions' });

for (const user of ['alice', 'bob', 'carol']) {
  try {
    const pid = await DynamicSupervisor.startChild(sessions, {
      start: (sup) => GenServer.start(sup, session, user, { link: true }),
      restart: 'transient', // restarted after a crash, not after a normal end
    });
    if (pid === null) continue; // its init returned ignore: nothing started
    console.log(`session of ${await ServerRef.of<SessionCall>(system, pid).call({ kind: 'user' })} started`);
  } catch (error) {
    if (error instanceof MaxChildrenError) console.log(`no room for ${user}: ${error.code}`);
  }
}

const [first] = await DynamicSupervisor.whichChildren(sessions);
if (first !== undefined) await DynamicSupervisor.terminateChild(sessions, first.pid);
console.log(`running: ${(await DynamicSupervisor.countChildren(sessions)).active}`);

await system.shutdown();
