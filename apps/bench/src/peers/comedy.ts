/**
 * comedy 2 as a contender, in its default in-memory mode: class-defined actors created with
 * `createChild` (asynchronous: it resolves once the actor's `initialize` ran), `send(topic, ...)`
 * one-way, `sendAndReceive(topic, ...)` for a call, `destroy()` to end an actor. Handlers reach
 * other actors through references captured when the classes are defined, or `getParent()`.
 */
import { type Actor, type ActorRef, type ActorSystem, createSystem } from 'comedy';
import { FAN_IN_BATCH, requestReplyTrips, work } from '../scenarios.js';
import { callInSequence, type Run, type Tally } from '../scenario.js';
import { byScenario, type Peer } from './peer.js';

/** A system that prints nothing (`test: true` sets the Silent log level). */
async function root(): Promise<{ system: ActorSystem; root: Actor }> {
  const system = createSystem({ test: true });
  return { system, root: await system.rootActor() };
}

const destroy = (system: ActorSystem) => () => system.destroy();

/** A sink that counts each `msg` on the tally. */
function sinkClass(tally: Tally) {
  return class Sink {
    msg(_n: number): void {
      tally.hit();
    }
  };
}

class Adder {
  add(n: number): number {
    return n + 1;
  }
}

const runs = {
  oneActor: (async ({ messages }, tally) => {
    const { system, root: r } = await root();
    tally.expect(messages);
    const sink = await r.createChild(sinkClass(tally));
    for (let i = 0; i < messages; i++) void sink.send('msg', i);
    await tally.done;
    return { cleanup: destroy(system) };
  }) satisfies Run,

  pingPong: (async ({ roundTrips }, tally) => {
    const { system, root: r } = await root();
    tally.expect(roundTrips);
    let ping: ActorRef | undefined;
    const pong = await r.createChild(
      class Pong {
        ping(): void {
          void ping?.send('pong');
        }
      },
    );
    ping = await r.createChild(
      class Ping {
        pong(): void {
          if (!tally.hit()) void pong.send('ping');
        }
      },
    );
    void pong.send('ping');
    await tally.done;
    return { cleanup: destroy(system) };
  }) satisfies Run,

  spawn: (keep: boolean): Run =>
    async ({ spawns }, tally) => {
      const { system, root: r } = await root();
      tally.expect(spawns);
      const Cell = class Cell {
        private self: Actor | undefined;
        initialize(self: Actor): void {
          this.self = self;
        }
        msg(_n: number): void {
          tally.hit();
          if (!keep) void this.self?.destroy();
        }
      };
      for (let i = 0; i < spawns; i++) void (await r.createChild(Cell)).send('msg', i);
      await tally.done;
      return { cleanup: destroy(system) };
    },

  fanIn: (async ({ messages, senders }, tally) => {
    const { system, root: r } = await root();
    const perSender = Math.floor(messages / senders);
    tally.expect(perSender * senders);
    const sink = await r.createChild(sinkClass(tally));
    const Sender = class Sender {
      private self: Actor | undefined;
      private left = perSender;
      initialize(self: Actor): void {
        this.self = self;
      }
      go(): void {
        const n = Math.min(FAN_IN_BATCH, this.left);
        for (let i = 0; i < n; i++) void sink.send('msg', i);
        this.left -= n;
        if (this.left > 0) void this.self?.send('go');
      }
    };
    const all: ActorRef[] = [];
    for (let s = 0; s < senders; s++) all.push(await r.createChild(Sender));
    for (const sender of all) void sender.send('go');
    await tally.done;
    return { cleanup: destroy(system) };
  }) satisfies Run,

  requestReply: (async ({ roundTrips }, tally) => {
    const { system, root: r } = await root();
    tally.expect(requestReplyTrips(roundTrips));
    let client: ActorRef | undefined;
    const server = await r.createChild(
      class Server {
        req(body: string): void {
          void client?.send('reply', work(body.length));
        }
      },
    );
    client = await r.createChild(
      class Client {
        reply(_body: string): void {
          if (!tally.hit()) void server.send('req', work(tally.count));
        }
      },
    );
    void server.send('req', '');
    await tally.done;
    return { cleanup: destroy(system) };
  }) satisfies Run,

  callBetweenActors: (async ({ calls }, tally) => {
    const { system, root: r } = await root();
    tally.expect(calls);
    const server = await r.createChild(Adder);
    const client = await r.createChild(
      class Client {
        run(): Promise<void> {
          return callInSequence(calls, tally, (n) => server.sendAndReceive('add', n));
        }
      },
    );
    void client.send('run');
    await tally.done;
    return { cleanup: destroy(system) };
  }) satisfies Run,

  callFromOutside: (async ({ calls }, tally) => {
    const { system, root: r } = await root();
    tally.expect(calls);
    const server = await r.createChild(Adder);
    await callInSequence(calls, tally, (n) => server.sendAndReceive('add', n));
    return { cleanup: destroy(system) };
  }) satisfies Run,
};

export const comedy: Peer = {
  label: 'comedy',
  describe: 'comedy 2, in-memory actors',
  library: 'comedy',
  scale: 0.1,
  notApplicable: {
    restart: 'in-memory actors are not supervised: comedy respawns only forked or remote actors (a crashed child process)',
  },
  runs: byScenario(runs),
};
