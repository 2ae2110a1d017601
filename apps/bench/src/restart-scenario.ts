/**
 * Supervisor restart rate: a child crashes on the message its own init sends it, its supervisor
 * restarts it, N times in a row. The baseline is the least a supervisor can do on the hand-written
 * loop: the child's handler is guarded, a crash becomes a message to the supervisor, which spawns
 * a fresh child (new actor, new state, its init run). No links, no restart intensity.
 */
import { ActorSystem } from '@joerl/core';
import { GenServer, type GenServerDefinition, Supervisor } from '@joerl/gen';
import { type BaseActor, BaseLoop } from './baseline.js';
import { CRASH, type Scenario } from './scenario.js';

export const restart: Scenario = {
  id: 'restart',
  name: 'supervisor restarts a crashing child',
  unit: 'restarts/s',
  telemetry: false,
  async baseline({ restarts }, tally) {
    const loop = new BaseLoop();
    tally.expect(restarts);
    const crash = (): void => {
      throw CRASH;
    };
    let supervisor: BaseActor;
    const guarded = (msg: unknown, self: BaseActor): void => {
      try {
        crash();
      } catch (reason) {
        loop.send(supervisor, { exited: self, reason, msg });
      }
    };
    const startChild = (): void => {
      const child = loop.spawn(guarded);
      loop.send(child, 'crash'); // its init
    };
    supervisor = loop.spawn(() => {
      if (!tally.hit()) startChild();
    });
    startChild();
    await tally.done;
    return {};
  },
  joerl: (options) => async ({ restarts }, tally) => {
    const system = new ActorSystem(options);
    tally.expect(restarts);
    let started = 0;
    const crasher: GenServerDefinition<null, null, never, never, 'crash'> = {
      type: 'crasher',
      init(_arg, ctx) {
        // The first start is not a restart; each later one is, until the tally is complete.
        if (started++ === 0 || !tally.hit()) ctx.send(ctx.self, 'crash');
        return GenServer.ok(null);
      },
      handleInfo() {
        throw CRASH;
      },
    };
    const sup = await Supervisor.start(system, {
      strategy: 'one_for_one',
      intensity: restarts + 1,
      periodMs: 24 * 3_600_000,
      children: [GenServer.childSpec(crasher, null)],
    });
    await tally.done;
    void sup;
    return { cleanup: () => system.shutdown() };
  },
};
