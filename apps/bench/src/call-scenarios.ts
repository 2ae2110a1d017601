/**
 * Calls: a request that waits for its reply, made N times in sequence, from inside an actor
 * (`GenServer.call` between two actors) and from plain code (an HTTP handler, a test). The
 * baseline is the least a promise-based call can do on the hand-written loop: one promise, one
 * request object carrying its resolver, one message; its server resolves the caller directly.
 */
import { ActorSystem } from '@joerl/core';
import { type Call, GenServer, type GenServerDefinition } from '@joerl/gen';
import { BaseLoop, type BaseActor } from './baseline.js';
import { type Scenario, callInSequence } from './scenario.js';

interface BaseRequest {
  readonly n: number;
  readonly resolve: (reply: number) => void;
}

/** The hand-written server: replies n + 1. */
function baseServer(loop: BaseLoop): BaseActor {
  return loop.spawn((msg) => {
    const req = msg as BaseRequest;
    req.resolve(req.n + 1);
  });
}

function baseCall(loop: BaseLoop, server: BaseActor, n: number): Promise<number> {
  return new Promise<number>((resolve) => loop.send(server, { n, resolve }));
}

type Add = Call<{ n: number }, number>;

/** The joerl server: replies n + 1. */
const adder: GenServerDefinition<null, null, Add> = {
  type: 'adder',
  init: () => GenServer.ok(null),
  handleCall: (request, _from, state) => GenServer.reply(request.n + 1, state),
};


export const callBetweenActors: Scenario = {
  id: 'call-between-actors',
  name: 'call between two actors (GenServer.call)',
  unit: 'calls/s',
  telemetry: false,
  async baseline({ calls }, tally) {
    const loop = new BaseLoop();
    tally.expect(calls);
    const server = baseServer(loop);
    // The client actor makes every call from its handler, as a gen_server calling another.
    const client = loop.spawn(() => void callInSequence(calls, tally, (n) => baseCall(loop, server, n)));
    loop.send(client, 'run');
    await tally.done;
    return {};
  },
  joerl: (options) => async ({ calls }, tally) => {
    const system = new ActorSystem(options);
    tally.expect(calls);
    const server = await GenServer.start(system, adder, null);
    // A client that makes every call from inside its own callback, as a gen_server calling another.
    const client = await GenServer.start(
      system,
      {
        type: 'caller',
        init: () => GenServer.ok(null),
        async handleCast(_run: 'run', state: null, ctx) {
          await callInSequence(calls, tally, (n) => server.call({ n }, { caller: ctx }));
          return GenServer.noreply(state);
        },
      } satisfies GenServerDefinition<null, null, never, 'run'>,
      null,
    );
    client.cast('run');
    await tally.done;
    return { cleanup: () => system.shutdown() };
  },
};

export const callFromOutside: Scenario = {
  id: 'call-from-outside',
  name: 'call from plain code (GenServer.call)',
  unit: 'calls/s',
  telemetry: false,
  async baseline({ calls }, tally) {
    const loop = new BaseLoop();
    tally.expect(calls);
    const server = baseServer(loop);
    await callInSequence(calls, tally, (n) => baseCall(loop, server, n));
    return {};
  },
  joerl: (options) => async ({ calls }, tally) => {
    const system = new ActorSystem(options);
    tally.expect(calls);
    const server = await GenServer.start(system, adder, null);
    await callInSequence(calls, tally, (n) => server.call({ n }));
    return { cleanup: () => system.shutdown() };
  },
};
