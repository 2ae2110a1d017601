/**
 * The scenarios, each written twice: against the hand-written baseline and against joerl.
 * A scenario resolves with the number of messages it handled.
 */
import { type ActorRef, ActorSystem, type ActorSystemOptions } from '@joerl/core';
import { type BaseActor, BaseLoop } from './baseline.js';

export interface Sizes {
  readonly messages: number; // one-actor and fan-in totals
  readonly roundTrips: number;
  readonly spawns: number;
  readonly senders: number;
}

/** Runs a scenario; resolves with how many units it did and a cleanup that is not timed. */
export type Run = (sizes: Sizes) => Promise<Result>;

export interface Result {
  readonly count: number;
  readonly cleanup?: () => Promise<void>;
}

export interface Scenario {
  readonly name: string;
  readonly unit: string;
  readonly baseline: Run;
  readonly joerl: (options: ActorSystemOptions) => Run;
}

const unbounded = { capacity: Number.POSITIVE_INFINITY } as const;

function done(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export const oneActor: Scenario = {
  name: 'one actor receives N messages',
  unit: 'msg/s',
  async baseline({ messages }) {
    const loop = new BaseLoop();
    const d = done();
    let count = 0;
    const a = loop.spawn(() => {
      if (++count === messages) d.resolve();
    });
    for (let i = 0; i < messages; i++) loop.send(a, i);
    await d.promise;
    return { count: messages };
  },
  joerl: (options) => async ({ messages }) => {
    const system = new ActorSystem(options);
    const d = done();
    let count = 0;
    const a = system.spawn<number>(() => {
      if (++count === messages) d.resolve();
    }, { type: 'sink', mailbox: unbounded });
    for (let i = 0; i < messages; i++) a.send(i);
    await d.promise;
    return { count: messages, cleanup: () => system.shutdown() };
  },
};

export const pingPong: Scenario = {
  name: 'ping-pong round trips',
  unit: 'round trips/s',
  async baseline({ roundTrips }) {
    const loop = new BaseLoop();
    const d = done();
    let trips = 0;
     
    let pong: BaseActor;
    const ping = loop.spawn((_, self) => {
      if (++trips === roundTrips) d.resolve();
      else loop.send(pong, self);
    });
    pong = loop.spawn((from) => loop.send(from as BaseActor, 'pong'));
    loop.send(pong, ping);
    await d.promise;
    return { count: roundTrips };
  },
  joerl: (options) => async ({ roundTrips }) => {
    const system = new ActorSystem(options);
    const d = done();
    let trips = 0;
    let pong: ActorRef<ActorRef<string>>;
    const ping = system.spawn<string>((_, ctx) => {
      if (++trips === roundTrips) d.resolve();
      else ctx.send(pong, ctx.ref);
    }, { type: 'ping' });
    pong = system.spawn<ActorRef<string>>((from, ctx) => void ctx.send(from, 'pong'), { type: 'pong' });
    pong.send(ping);
    await d.promise;
    return { count: roundTrips, cleanup: () => system.shutdown() };
  },
};

export const spawnMany: Scenario = {
  name: 'spawn N actors, one message each',
  unit: 'actors/s',
  async baseline({ spawns }) {
    const loop = new BaseLoop();
    const d = done();
    let count = 0;
    const handler = () => {
      if (++count === spawns) d.resolve();
    };
    for (let i = 0; i < spawns; i++) loop.send(loop.spawn(handler), i);
    await d.promise;
    return { count: spawns };
  },
  joerl: (options) => async ({ spawns }) => {
    const system = new ActorSystem(options);
    const d = done();
    let count = 0;
    const behavior = {
      receive() {
        if (++count === spawns) d.resolve();
      },
    };
    for (let i = 0; i < spawns; i++) system.spawn(behavior, { type: 'cell' }).send(i);
    await d.promise;
    return { count: spawns, cleanup: () => system.shutdown() };
  },
};

const BATCH = 100;

export const fanIn: Scenario = {
  name: 'fan-in: 100 senders to one actor',
  unit: 'msg/s',
  async baseline({ messages, senders }) {
    const loop = new BaseLoop();
    const d = done();
    const perSender = Math.floor(messages / senders);
    const total = perSender * senders;
    let count = 0;
    const sink = loop.spawn(() => {
      if (++count === total) d.resolve();
    });
    for (let s = 0; s < senders; s++) {
      let left = perSender;
      const sender = loop.spawn((_, self) => {
        const n = Math.min(BATCH, left);
        for (let i = 0; i < n; i++) loop.send(sink, i);
        left -= n;
        if (left > 0) loop.send(self, 'go');
      });
      loop.send(sender, 'go');
    }
    await d.promise;
    return { count: total };
  },
  joerl: (options) => async ({ messages, senders }) => {
    const system = new ActorSystem(options);
    const d = done();
    const perSender = Math.floor(messages / senders);
    const total = perSender * senders;
    let count = 0;
    const sink = system.spawn<number>(() => {
      if (++count === total) d.resolve();
    }, { type: 'sink', mailbox: unbounded });
    for (let s = 0; s < senders; s++) {
      let left = perSender;
      const sender = system.spawn<string>((_, ctx) => {
        const n = Math.min(BATCH, left);
        for (let i = 0; i < n; i++) ctx.send(sink, i);
        left -= n;
        if (left > 0) ctx.send(ctx.self, 'go');
      }, { type: 'sender' });
      sender.send('go');
    }
    await d.promise;
    return { count: total, cleanup: () => system.shutdown() };
  },
};

/** ~1 µs of typical actor work: decode a small order, validate it, encode a reply. */
const ORDER = JSON.stringify({ id: 'o-1042', customer: 'c-77', items: [{ sku: 'A-1', qty: 2, price: 9.5 }, { sku: 'B-7', qty: 1, price: 24 }], currency: 'EUR' });
function work(seq: number): string {
  const order = JSON.parse(ORDER) as { items: { qty: number; price: number }[] };
  let total = 0;
  for (const item of order.items) total += item.qty * item.price;
  return JSON.stringify({ seq, ok: total > 0, total });
}

export const requestReply: Scenario = {
  name: 'request/reply with ~1 µs of work',
  unit: 'round trips/s',
  async baseline({ roundTrips }) {
    const loop = new BaseLoop();
    const d = done();
    const n = Math.floor(roundTrips / 20);
    let trips = 0;
     
    let server: BaseActor;
    const client = loop.spawn((_, self) => {
      if (++trips === n) d.resolve();
      else loop.send(server, { from: self, body: work(trips) });
    });
    server = loop.spawn((req) => {
      const r = req as { from: BaseActor; body: string };
      loop.send(r.from, work(r.body.length));
    });
    loop.send(server, { from: client, body: '' });
    await d.promise;
    return { count: n };
  },
  joerl: (options) => async ({ roundTrips }) => {
    const system = new ActorSystem(options);
    const d = done();
    const n = Math.floor(roundTrips / 20);
    let trips = 0;
    let server: ActorRef<{ from: ActorRef<string>; body: string }>;
    const client = system.spawn<string>((_, ctx) => {
      if (++trips === n) d.resolve();
      else ctx.send(server, { from: ctx.ref, body: work(trips) });
    }, { type: 'client' });
    server = system.spawn<{ from: ActorRef<string>; body: string }>((req, ctx) => void ctx.send(req.from, work(req.body.length)), { type: 'server' });
    server.send({ from: client, body: '' });
    await d.promise;
    return { count: n, cleanup: () => system.shutdown() };
  },
};

export const scenarios: readonly Scenario[] = [oneActor, pingPong, spawnMany, fanIn, requestReply];
