/**
 * nact 7 as a contender: `spawnStateless` / `spawn` actors under `start()`'s system, `dispatch`
 * to send, `query` for a call (a temporary reference the reply is dispatched to, with a timeout),
 * `stop` to end an actor, and `onCrash: ctx => ctx.reset` as the supervision policy that restarts
 * a crashed actor with its initial state. nact handles each message in its own `setImmediate`.
 */
import { type Ref, dispatch, query, spawn, spawnStateless, start, stop } from 'nact';
import { FAN_IN_BATCH, requestReplyTrips, work } from '../scenarios.js';
import { CRASH, after, callInSequence, type Run } from '../scenario.js';
import { byScenario, type Peer } from './peer.js';

const QUERY_TIMEOUT_MS = 5000; // joerl's default call timeout

interface AddRequest {
  readonly n: number;
  readonly sender: Ref<number>;
}

const adder = (system: Ref<never>) => spawnStateless(system, (req: AddRequest) => dispatch(req.sender, req.n + 1), 'adder');
const call = (server: Ref<AddRequest>, n: number): Promise<number> => query(server, (sender: Ref<number>) => ({ n, sender }), QUERY_TIMEOUT_MS);

const runs = {
  oneActor: (async ({ messages }, tally) => {
    const system = start();
    tally.expect(messages);
    const a = spawnStateless(system, (_: number) => void tally.hit(), 'sink');
    for (let i = 0; i < messages; i++) dispatch(a, i);
    await tally.done;
    return { cleanup: after(() => stop(system)) };
  }) satisfies Run,

  pingPong: (async ({ roundTrips }, tally) => {
    const system = start();
    tally.expect(roundTrips);
    const pong = spawnStateless(system, (from: Ref<string>) => dispatch(from, 'pong'), 'pong');
    const ping = spawnStateless(
      system,
      (_: string, ctx) => {
        if (!tally.hit()) dispatch(pong, ctx.self);
      },
      'ping',
    );
    dispatch(pong, ping);
    await tally.done;
    return { cleanup: after(() => stop(system)) };
  }) satisfies Run,

  spawn: (keep: boolean): Run =>
    async ({ spawns }, tally) => {
      const system = start();
      tally.expect(spawns);
      const handle = (_: number, ctx: { self: Ref<number> }) => {
        tally.hit();
        if (!keep) stop(ctx.self);
      };
      // Named: nact's generated names are 32-bit random numbers, which collide among 100k actors.
      for (let i = 0; i < spawns; i++) dispatch(spawnStateless(system, handle, `cell-${i}`), i);
      await tally.done;
      return { cleanup: after(() => stop(system)) };
    },

  fanIn: (async ({ messages, senders }, tally) => {
    const system = start();
    const perSender = Math.floor(messages / senders);
    tally.expect(perSender * senders);
    const sink = spawnStateless(system, (_: number) => void tally.hit(), 'sink');
    for (let s = 0; s < senders; s++) {
      const sender = spawn(
        system,
        (left: number, _: 'go', ctx) => {
          const n = Math.min(FAN_IN_BATCH, left);
          for (let i = 0; i < n; i++) dispatch(sink, i);
          if (left - n > 0) dispatch(ctx.self, 'go');
          return left - n;
        },
        `sender-${s}`,
        { initialState: perSender },
      );
      dispatch(sender, 'go');
    }
    await tally.done;
    return { cleanup: after(() => stop(system)) };
  }) satisfies Run,

  requestReply: (async ({ roundTrips }, tally) => {
    const system = start();
    tally.expect(requestReplyTrips(roundTrips));
    type Req = { from: Ref<string>; body: string };
    const server = spawnStateless(system, (req: Req) => dispatch(req.from, work(req.body.length)), 'server');
    const client = spawnStateless(
      system,
      (_: string, ctx) => {
        if (!tally.hit()) dispatch(server, { from: ctx.self, body: work(tally.count) });
      },
      'client',
    );
    dispatch(server, { from: client, body: '' });
    await tally.done;
    return { cleanup: after(() => stop(system)) };
  }) satisfies Run,

  callBetweenActors: (async ({ calls }, tally) => {
    const system = start();
    tally.expect(calls);
    const server = adder(system);
    const client = spawnStateless(
      system,
      (_: 'run') => callInSequence(calls, tally, (n) => call(server, n)),
      'client',
    );
    dispatch(client, 'run');
    await tally.done;
    return { cleanup: after(() => stop(system)) };
  }) satisfies Run,

  callFromOutside: (async ({ calls }, tally) => {
    const system = start();
    tally.expect(calls);
    const server = adder(system);
    await callInSequence(calls, tally, (n) => call(server, n));
    return { cleanup: after(() => stop(system)) };
  }) satisfies Run,

  restart: (async ({ restarts }, tally) => {
    const system = start();
    tally.expect(restarts);
    let started = 0;
    spawn(
      system,
      (_state: null, _msg: 'crash'): null => {
        throw CRASH;
      },
      'crasher',
      {
        // Runs at spawn and at each reset: the first start is not a restart.
        initialStateFunc: (ctx) => {
          if (started++ === 0 || !tally.hit()) dispatch(ctx.self, 'crash');
          return null;
        },
        onCrash: (_msg, _error, ctx) => ctx.reset,
      },
    );
    await tally.done;
    return { cleanup: after(() => stop(system)) };
  }) satisfies Run,
};

export const nact: Peer = {
  label: 'nact',
  describe: 'nact 7, spawnStateless / query',
  library: 'nact',
  scale: 0.1,
  notApplicable: {},
  runs: byScenario(runs),
};
