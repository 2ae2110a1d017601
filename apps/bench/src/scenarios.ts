/**
 * The message scenarios, each written against the hand-written baseline and against joerl (the
 * peers' versions are in peers/), and the list of every scenario in the order they are reported.
 */
import { type ActorRef, ActorSystem } from '@joerl/core';
import { type BaseActor, BaseLoop } from './baseline.js';
import { callBetweenActors, callFromOutside } from './call-scenarios.js';
import { restart } from './restart-scenario.js';
import { after, type Scenario } from './scenario.js';

const unbounded = { capacity: Number.POSITIVE_INFINITY } as const;

export const oneActor: Scenario = {
  id: 'one-actor',
  name: 'one actor receives N messages',
  unit: 'msg/s',
  telemetry: true,
  async baseline({ messages }, tally) {
    const loop = new BaseLoop();
    tally.expect(messages);
    const a = loop.spawn(() => void tally.hit());
    for (let i = 0; i < messages; i++) loop.send(a, i);
    await tally.done;
    return {};
  },
  joerl: (options) => async ({ messages }, tally) => {
    const system = new ActorSystem(options);
    tally.expect(messages);
    const a = system.spawn<number>(() => void tally.hit(), { type: 'sink', mailbox: unbounded });
    for (let i = 0; i < messages; i++) a.send(i);
    await tally.done;
    return { cleanup: () => system.shutdown() };
  },
};

export const pingPong: Scenario = {
  id: 'ping-pong',
  name: 'ping-pong round trips',
  unit: 'round trips/s',
  telemetry: true,
  async baseline({ roundTrips }, tally) {
    const loop = new BaseLoop();
    tally.expect(roundTrips);
    let pong: BaseActor;
    const ping = loop.spawn((_, self) => {
      if (!tally.hit()) loop.send(pong, self);
    });
    pong = loop.spawn((from) => loop.send(from as BaseActor, 'pong'));
    loop.send(pong, ping);
    await tally.done;
    return {};
  },
  joerl: (options) => async ({ roundTrips }, tally) => {
    const system = new ActorSystem(options);
    tally.expect(roundTrips);
    let pong: ActorRef<ActorRef<string>>;
    const ping = system.spawn<string>((_, ctx) => {
      if (!tally.hit()) ctx.send(pong, ctx.ref);
    }, { type: 'ping' });
    pong = system.spawn<ActorRef<string>>((from, ctx) => void ctx.send(from, 'pong'), { type: 'pong' });
    pong.send(ping);
    await tally.done;
    return { cleanup: () => system.shutdown() };
  },
};

/**
 * Spawning with every actor kept alive after its message (a process table that grows: the
 * baseline keeps its actors in an array, as joerl's registry of live actors does).
 */
export const spawnKept: Scenario = {
  id: 'spawn-kept',
  name: 'spawn N actors, one message each, kept alive',
  unit: 'actors/s',
  telemetry: true,
  async baseline({ spawns }, tally) {
    const loop = new BaseLoop();
    tally.expect(spawns);
    const live: BaseActor[] = [];
    const handler = () => void tally.hit();
    for (let i = 0; i < spawns; i++) {
      const a = loop.spawn(handler);
      live.push(a);
      loop.send(a, i);
    }
    await tally.done;
    return { cleanup: after(() => (live.length = 0)) };
  },
  joerl: (options) => async ({ spawns }, tally) => {
    const system = new ActorSystem(options);
    tally.expect(spawns);
    const behavior = { receive: () => void tally.hit() };
    for (let i = 0; i < spawns; i++) system.spawn(behavior, { type: 'cell' }).send(i);
    await tally.done;
    return { cleanup: () => system.shutdown() };
  },
};

/** Spawning with every actor done after its message: it exits (joerl) or is dropped (the baseline). */
export const spawnDiscarded: Scenario = {
  id: 'spawn-discarded',
  name: 'spawn N actors, one message each, discarded',
  unit: 'actors/s',
  telemetry: true,
  async baseline({ spawns }, tally) {
    const loop = new BaseLoop();
    tally.expect(spawns);
    const handler = () => void tally.hit();
    for (let i = 0; i < spawns; i++) loop.send(loop.spawn(handler), i);
    await tally.done;
    return {};
  },
  joerl: (options) => async ({ spawns }, tally) => {
    const system = new ActorSystem(options);
    tally.expect(spawns);
    const behavior = {
      receive(_: number, ctx: { stop(): void }) {
        tally.hit();
        ctx.stop();
      },
    };
    for (let i = 0; i < spawns; i++) system.spawn(behavior, { type: 'cell' }).send(i);
    await tally.done;
    return { cleanup: () => system.shutdown() };
  },
};

/** Messages a fan-in sender sends per turn before it sends itself 'go' again. */
export const FAN_IN_BATCH = 100;

export const fanIn: Scenario = {
  id: 'fan-in',
  name: 'fan-in: 100 senders to one actor',
  unit: 'msg/s',
  telemetry: true,
  async baseline({ messages, senders }, tally) {
    const loop = new BaseLoop();
    const perSender = Math.floor(messages / senders);
    tally.expect(perSender * senders);
    const sink = loop.spawn(() => void tally.hit());
    for (let s = 0; s < senders; s++) {
      let left = perSender;
      const sender = loop.spawn((_, self) => {
        const n = Math.min(FAN_IN_BATCH, left);
        for (let i = 0; i < n; i++) loop.send(sink, i);
        left -= n;
        if (left > 0) loop.send(self, 'go');
      });
      loop.send(sender, 'go');
    }
    await tally.done;
    return {};
  },
  joerl: (options) => async ({ messages, senders }, tally) => {
    const system = new ActorSystem(options);
    const perSender = Math.floor(messages / senders);
    tally.expect(perSender * senders);
    const sink = system.spawn<number>(() => void tally.hit(), { type: 'sink', mailbox: unbounded });
    for (let s = 0; s < senders; s++) {
      let left = perSender;
      const sender = system.spawn<string>((_, ctx) => {
        const n = Math.min(FAN_IN_BATCH, left);
        for (let i = 0; i < n; i++) ctx.send(sink, i);
        left -= n;
        if (left > 0) ctx.send(ctx.self, 'go');
      }, { type: 'sender' });
      sender.send('go');
    }
    await tally.done;
    return { cleanup: () => system.shutdown() };
  },
};

/** ~1 µs of typical actor work: decode a small order, validate it, encode a reply. */
const ORDER = JSON.stringify({ id: 'o-1042', customer: 'c-77', items: [{ sku: 'A-1', qty: 2, price: 9.5 }, { sku: 'B-7', qty: 1, price: 24 }], currency: 'EUR' });
export function work(seq: number): string {
  const order = JSON.parse(ORDER) as { items: { qty: number; price: number }[] };
  let total = 0;
  for (const item of order.items) total += item.qty * item.price;
  return JSON.stringify({ seq, ok: total > 0, total });
}

/** Round trips in the request/reply scenario: it does ~20× the work of a ping-pong round trip. */
export const requestReplyTrips = (roundTrips: number): number => Math.floor(roundTrips / 20);

export const requestReply: Scenario = {
  id: 'request-reply',
  name: 'request/reply with ~1 µs of work',
  unit: 'round trips/s',
  telemetry: true,
  async baseline({ roundTrips }, tally) {
    const loop = new BaseLoop();
    tally.expect(requestReplyTrips(roundTrips));
    let server: BaseActor;
    const client = loop.spawn((_, self) => {
      if (!tally.hit()) loop.send(server, { from: self, body: work(tally.count) });
    });
    server = loop.spawn((req) => {
      const r = req as { from: BaseActor; body: string };
      loop.send(r.from, work(r.body.length));
    });
    loop.send(server, { from: client, body: '' });
    await tally.done;
    return {};
  },
  joerl: (options) => async ({ roundTrips }, tally) => {
    const system = new ActorSystem(options);
    tally.expect(requestReplyTrips(roundTrips));
    let server: ActorRef<{ from: ActorRef<string>; body: string }>;
    const client = system.spawn<string>((_, ctx) => {
      if (!tally.hit()) ctx.send(server, { from: ctx.ref, body: work(tally.count) });
    }, { type: 'client' });
    server = system.spawn<{ from: ActorRef<string>; body: string }>((req, ctx) => void ctx.send(req.from, work(req.body.length)), { type: 'server' });
    server.send({ from: client, body: '' });
    await tally.done;
    return { cleanup: () => system.shutdown() };
  },
};

/** Every scenario, in report order. */
export const scenarios: readonly Scenario[] = [
  oneActor,
  pingPong,
  spawnKept,
  spawnDiscarded,
  fanIn,
  requestReply,
  callBetweenActors,
  callFromOutside,
  restart,
];

/** The scenario with this id. */
export function scenarioById(id: string): Scenario {
  const s = scenarios.find((x) => x.id === id);
  if (s === undefined) throw new Error(`unknown scenario '${id}' (known: ${scenarios.map((x) => x.id).join(', ')})`);
  return s;
}
