/**
 * Effect 4 as a contender: one fiber per actor, draining the actor's unbounded `Queue` forever
 * (`Effect.forever(Queue.take(q).pipe(Effect.flatMap(handle)))`, started with `Effect.runFork`).
 * Actors send with `Queue.offer` inside their fiber; plain code sends with `Queue.offerUnsafe`,
 * and calls through `Effect.runPromise` with a `Deferred` for the reply.
 */
import { Deferred, Effect, Fiber, Queue } from 'effect';
import { FAN_IN_BATCH, requestReplyTrips, work } from '../scenarios.js';
import { callInSequence, checkReply, type Run } from '../scenario.js';
import { byScenario, type Peer } from './peer.js';

interface Actor<M> {
  readonly queue: Queue.Queue<M>;
  readonly fiber: Fiber.Fiber<unknown>;
}

/** Spawns an actor: a queue and the fiber that drains it (forever, or for one message). */
function spawn<M>(handle: (message: M, self: Queue.Queue<M>) => Effect.Effect<unknown>, once = false): Actor<M> {
  const queue = Effect.runSync(Queue.unbounded<M>());
  const turn = Queue.take(queue).pipe(Effect.flatMap((m) => handle(m, queue)));
  const fiber = Effect.runFork(once ? turn : Effect.forever(turn));
  return { queue, fiber };
}

const stopAll = (actors: readonly { readonly fiber: Fiber.Fiber<unknown> }[]) => () => Effect.runPromise(Fiber.interruptAll(actors.map((a) => a.fiber)));

interface AddRequest {
  readonly n: number;
  readonly reply: Deferred.Deferred<number>;
}

const adder = () => spawn((req: AddRequest) => Deferred.succeed(req.reply, req.n + 1));

/** A call: a Deferred for the reply, the request offered to the server, the reply awaited. */
const call = (server: Queue.Queue<AddRequest>, n: number) =>
  Effect.gen(function* () {
    const reply = yield* Deferred.make<number>();
    yield* Queue.offer(server, { n, reply });
    return yield* Deferred.await(reply);
  });

const runs = {
  oneActor: (async ({ messages }, tally) => {
    tally.expect(messages);
    const a = spawn((_: number) => Effect.sync(() => tally.hit()));
    for (let i = 0; i < messages; i++) Queue.offerUnsafe(a.queue, i);
    await tally.done;
    return { cleanup: stopAll([a]) };
  }) satisfies Run,

  pingPong: (async ({ roundTrips }, tally) => {
    tally.expect(roundTrips);
    const pong = spawn((from: Queue.Queue<string>) => Queue.offer(from, 'pong'));
    const ping = spawn((_: string, self) => Effect.suspend(() => (tally.hit() ? Effect.void : Queue.offer(pong.queue, self))));
    Queue.offerUnsafe(pong.queue, ping.queue);
    await tally.done;
    return { cleanup: stopAll([ping, pong]) };
  }) satisfies Run,

  spawn: (keep: boolean): Run =>
    async ({ spawns }, tally) => {
      tally.expect(spawns);
      const handle = (_: number) => Effect.sync(() => tally.hit());
      const live: Actor<number>[] = [];
      for (let i = 0; i < spawns; i++) {
        const a = spawn(handle, !keep); // discarded: the fiber ends after its one message
        Queue.offerUnsafe(a.queue, i);
        if (keep) live.push(a);
      }
      await tally.done;
      return { cleanup: stopAll(live) };
    },

  fanIn: (async ({ messages, senders }, tally) => {
    const perSender = Math.floor(messages / senders);
    tally.expect(perSender * senders);
    const sink = spawn((_: number) => Effect.sync(() => tally.hit()));
    const all: { readonly fiber: Fiber.Fiber<unknown> }[] = [sink];
    for (let s = 0; s < senders; s++) {
      let left = perSender;
      const sender = spawn((_: 'go', self) =>
        Effect.gen(function* () {
          const n = Math.min(FAN_IN_BATCH, left);
          for (let i = 0; i < n; i++) yield* Queue.offer(sink.queue, i);
          left -= n;
          if (left > 0) yield* Queue.offer(self, 'go');
        }),
      );
      all.push(sender);
      Queue.offerUnsafe(sender.queue, 'go');
    }
    await tally.done;
    return { cleanup: stopAll(all) };
  }) satisfies Run,

  requestReply: (async ({ roundTrips }, tally) => {
    tally.expect(requestReplyTrips(roundTrips));
    type Req = { from: Queue.Queue<string>; body: string };
    const server = spawn((req: Req) => Effect.suspend(() => Queue.offer(req.from, work(req.body.length))));
    const client = spawn((_: string, self) => Effect.suspend(() => (tally.hit() ? Effect.void : Queue.offer(server.queue, { from: self, body: work(tally.count) }))));
    Queue.offerUnsafe(server.queue, { from: client.queue, body: '' });
    await tally.done;
    return { cleanup: stopAll([server, client]) };
  }) satisfies Run,

  callBetweenActors: (async ({ calls }, tally) => {
    tally.expect(calls);
    const server = adder();
    const client = spawn((_: 'run') =>
      Effect.gen(function* () {
        for (let i = 0; i < calls; i++) {
          checkReply(yield* call(server.queue, i), i + 1);
          tally.hit();
        }
      }),
    );
    Queue.offerUnsafe(client.queue, 'run');
    await tally.done;
    return { cleanup: stopAll([server, client]) };
  }) satisfies Run,

  callFromOutside: (async ({ calls }, tally) => {
    tally.expect(calls);
    const server = adder();
    await callInSequence(calls, tally, (n) => Effect.runPromise(call(server.queue, n)));
    return { cleanup: stopAll([server]) };
  }) satisfies Run,
};

export const effect: Peer = {
  label: 'effect',
  describe: 'Effect 4, a fiber per actor on a Queue',
  library: 'effect',
  scale: 0.1,
  notApplicable: {
    restart: 'no supervisor: a failed fiber stays failed; Effect.retry re-runs an effect, with no links, intensity or restart of a child',
  },
  runs: byScenario(runs),
};
