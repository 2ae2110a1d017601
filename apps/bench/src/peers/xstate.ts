/**
 * XState 5 as two contenders: actors of `fromTransition` logic (a reducer per actor; sending to
 * another actor from the transition is impure but documented), and state machines
 * (`setup().createMachine()`, `sendTo` and `emit` actions). XState handles an event
 * synchronously inside `send` when the actor is idle, queueing events sent while it is busy.
 * Plain code gets a reply through an emitted event (`actor.on`), the documented way for the outside
 * to hear from an actor.
 */
import { type AnyActorLogic, type AnyActorRef, type ActorSystem, type ActorSystemInfo, createActor, emit, enqueueActions, fromTransition, type NonReducibleUnknown, sendTo, setup } from 'xstate';
import { FAN_IN_BATCH, requestReplyTrips, work } from '../scenarios.js';
import { after, callInSequence, type Run, type Tally } from '../scenario.js';
import { byScenario, type Peer } from './peer.js';

type Msg = { type: 'msg'; n: number };
type Reply = { type: 'reply'; n: number };

const notApplicable = {
  'call-between-actors': 'no call: an actor cannot wait for a reply; request/reply between actors is events both ways (the request/reply row)',
  restart: 'no supervision: an actor whose logic throws stays stopped in an error snapshot',
} as const;

/** Sends a call to `actor` and resolves with the reply it emits (one `on('reply')` listener per run). */
function caller(actor: { send(e: { type: 'call'; n: number }): void; on(type: 'reply', h: (e: Reply) => void): unknown }) {
  let pending: (n: number) => void = () => undefined;
  actor.on('reply', (e) => pending(e.n));
  return (n: number) =>
    new Promise<number>((resolve) => {
      pending = resolve;
      actor.send({ type: 'call', n });
    });
}


/**
 * Counts each `msg` on the tally. A transition function also sees XState's own events (stopping
 * an actor calls it with one), so like any reducer it switches on the event's type.
 */
const counter = (tally: Tally) => fromTransition((n: number, e: Msg) => (e.type === 'msg' && tally.hit(), n + 1), 0);

/** One actor of `sink`'s logic receives N `msg` events from plain code. */
function oneActor(sink: (tally: Tally) => AnyActorLogic): Run {
  return async ({ messages }, tally) => {
    tally.expect(messages);
    const actor = createActor(sink(tally)).start();
    for (let i = 0; i < messages; i++) {
      const msg: Msg = { type: 'msg', n: i };
      actor.send(msg);
    }
    await tally.done;
    return { cleanup: after(() => actor.stop()) };
  };
}

const t = {
  oneActor: oneActor(counter),

  pingPong: (async ({ roundTrips }, tally) => {
    tally.expect(roundTrips);
    const pong = createActor(
      fromTransition((s: null, e: { type: 'ping'; from: AnyActorRef }) => {
        if (e.type === 'ping') e.from.send({ type: 'pong' });
        return s;
      }, null),
    ).start();
    const ping = createActor(
      fromTransition((s: null, e: { type: 'pong' }, { self }) => {
        if (e.type === 'pong' && !tally.hit()) pong.send({ type: 'ping', from: self });
        return s;
      }, null),
    ).start();
    pong.send({ type: 'ping', from: ping });
    await tally.done;
    return {};
  }) satisfies Run,

  spawn: (keep: boolean): Run =>
    async ({ spawns }, tally) => {
      tally.expect(spawns);
      const logic = counter(tally);
      const live: AnyActorRef[] = [];
      for (let i = 0; i < spawns; i++) {
        const actor = createActor(logic).start();
        actor.send({ type: 'msg', n: i });
        if (keep) live.push(actor);
        else actor.stop();
      }
      await tally.done;
      return { cleanup: after(() => live.forEach((a) => a.stop())) };
    },

  fanIn: (async ({ messages, senders }, tally) => {
    const perSender = Math.floor(messages / senders);
    tally.expect(perSender * senders);
    const sink = createActor(counter(tally)).start();
    const logic = fromTransition((left: number, e: { type: 'go' }, { self }) => {
      if (e.type !== 'go') return left;
      const n = Math.min(FAN_IN_BATCH, left);
      for (let i = 0; i < n; i++) sink.send({ type: 'msg', n: i });
      if (left - n > 0) self.send({ type: 'go' });
      return left - n;
    }, perSender);
    for (let s = 0; s < senders; s++) createActor(logic).start().send({ type: 'go' });
    await tally.done;
    return {};
  }) satisfies Run,

  requestReply: (async ({ roundTrips }, tally) => {
    tally.expect(requestReplyTrips(roundTrips));
    const server = createActor(
      fromTransition((s: null, e: { type: 'req'; from: AnyActorRef; body: string }) => {
        if (e.type === 'req') e.from.send({ type: 'reply', body: work(e.body.length) });
        return s;
      }, null),
    ).start();
    const client = createActor(
      fromTransition((s: null, e: { type: 'reply'; body: string }, { self }) => {
        if (e.type === 'reply' && !tally.hit()) server.send({ type: 'req', from: self, body: work(tally.count) });
        return s;
      }, null),
    ).start();
    server.send({ type: 'req', from: client, body: '' });
    await tally.done;
    return {};
  }) satisfies Run,

  callFromOutside: (async ({ calls }, tally) => {
    const server = createActor(
      fromTransition<null, { type: 'call'; n: number }, ActorSystem<ActorSystemInfo>, NonReducibleUnknown, Reply>(
        (s, e, { emit: send }) => {
          if (e.type === 'call') send({ type: 'reply', n: e.n + 1 });
          return s;
        },
        null,
      ),
    ).start();
    await callInSequence(tally.expect(calls), tally, caller(server));
    return {};
  }) satisfies Run,
};

export const xstateTransition: Peer = {
  label: 'xstate',
  describe: 'XState 5, fromTransition actors',
  library: 'xstate',
  // The closest peer runs joerl's sizes, but for spawning: 100,000 kept-alive XState actors took ~40 s a run.
  scale: 1,
  scaleFor: { 'spawn-kept': 0.1, 'spawn-discarded': 0.1 },
  notApplicable,
  runs: byScenario(t),
};

/** A machine that counts each `msg` event on the tally (an action, as the docs put side effects). */
function sinkMachine(tally: Tally) {
  return setup({
    types: { events: {} as Msg },
    actions: { count: () => void tally.hit() },
  }).createMachine({ on: { msg: { actions: 'count' } } });
}

const m = {
  oneActor: oneActor(sinkMachine),

  pingPong: (async ({ roundTrips }, tally) => {
    tally.expect(roundTrips);
    const pongMachine = setup({ types: { events: {} as { type: 'ping'; from: AnyActorRef } } }).createMachine({
      on: { ping: { actions: sendTo(({ event }) => event.from, { type: 'pong' }) } },
    });
    const pingMachine = setup({ types: { context: {} as { pong: AnyActorRef }, input: {} as AnyActorRef, events: {} as { type: 'pong' } } }).createMachine({
      context: ({ input }) => ({ pong: input }),
      on: {
        pong: {
          actions: enqueueActions(({ context, self, enqueue }) => {
            if (!tally.hit()) enqueue.sendTo(context.pong, { type: 'ping', from: self });
          }),
        },
      },
    });
    const pong = createActor(pongMachine).start();
    const ping = createActor(pingMachine, { input: pong }).start();
    pong.send({ type: 'ping', from: ping });
    await tally.done;
    return {};
  }) satisfies Run,

  spawn: (keep: boolean): Run =>
    async ({ spawns }, tally) => {
      tally.expect(spawns);
      // Discarded: the machine reaches a final state after its message, which stops the actor.
      const machine = keep
        ? sinkMachine(tally)
        : setup({ types: { events: {} as Msg }, actions: { count: () => void tally.hit() } }).createMachine({
            initial: 'waiting',
            states: { waiting: { on: { msg: { target: 'done', actions: 'count' } } }, done: { type: 'final' } },
          });
      const live: AnyActorRef[] = [];
      for (let i = 0; i < spawns; i++) {
        const actor = createActor(machine).start();
        actor.send({ type: 'msg', n: i });
        if (keep) live.push(actor);
      }
      await tally.done;
      return { cleanup: after(() => live.forEach((a) => a.stop())) };
    },

  fanIn: (async ({ messages, senders }, tally) => {
    const perSender = Math.floor(messages / senders);
    tally.expect(perSender * senders);
    const sink = createActor(sinkMachine(tally)).start();
    const sender = setup({ types: { context: {} as { left: number }, events: {} as { type: 'go' } } }).createMachine({
      context: { left: perSender },
      on: {
        go: {
          actions: enqueueActions(({ context, self, enqueue }) => {
            const n = Math.min(FAN_IN_BATCH, context.left);
            for (let i = 0; i < n; i++) enqueue.sendTo(sink, { type: 'msg', n: i });
            enqueue.assign({ left: context.left - n });
            if (context.left - n > 0) enqueue.sendTo(self, { type: 'go' });
          }),
        },
      },
    });
    for (let s = 0; s < senders; s++) createActor(sender).start().send({ type: 'go' });
    await tally.done;
    return {};
  }) satisfies Run,

  requestReply: (async ({ roundTrips }, tally) => {
    tally.expect(requestReplyTrips(roundTrips));
    const serverMachine = setup({ types: { events: {} as { type: 'req'; from: AnyActorRef; body: string } } }).createMachine({
      on: { req: { actions: sendTo(({ event }) => event.from, ({ event }) => ({ type: 'reply', body: work(event.body.length) })) } },
    });
    const server = createActor(serverMachine).start();
    const clientMachine = setup({ types: { events: {} as { type: 'reply'; body: string } } }).createMachine({
      on: {
        reply: {
          actions: enqueueActions(({ self, enqueue }) => {
            if (!tally.hit()) enqueue.sendTo(server, { type: 'req', from: self, body: work(tally.count) });
          }),
        },
      },
    });
    const client = createActor(clientMachine).start();
    server.send({ type: 'req', from: client, body: '' });
    await tally.done;
    return {};
  }) satisfies Run,

  callFromOutside: (async ({ calls }, tally) => {
    const machine = setup({ types: { events: {} as { type: 'call'; n: number }, emitted: {} as Reply } }).createMachine({
      on: { call: { actions: emit(({ event }) => ({ type: 'reply' as const, n: event.n + 1 })) } },
    });
    const server = createActor(machine).start();
    await callInSequence(tally.expect(calls), tally, caller(server));
    return {};
  }) satisfies Run,
};

export const xstateMachine: Peer = {
  label: 'xstate-machine',
  describe: 'XState 5, state machines',
  library: 'xstate',
  scale: 0.1,
  notApplicable,
  runs: byScenario(m),
};
