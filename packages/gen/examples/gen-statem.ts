import { ActorSystem, TestClock } from '@joerl/core';
import { type Call, GenStatem, type GenStatemDefinition, InvalidTransitionError } from '@joerl/gen';

type DoorState = 'locked' | 'open' | 'closed';
type DoorEvent =
  | Call<{ kind: 'unlock'; code: string }, 'ok' | 'wrong_code'>
  | { kind: 'open' }
  | { kind: 'close' }
  | { kind: 'lock' }
  | Call<{ kind: 'state' }, DoorState>;

const door: GenStatemDefinition<DoorState, { code: string }, DoorEvent, string> = {
  type: 'door',
  states: ['locked', 'closed', 'open'],
  // What each state accepts, and where it may lead ([]: stays). Anything else is an invalid transition.
  transitions: {
    locked: { unlock: ['closed', 'locked'], state: [] },
    closed: { open: 'open', lock: 'locked', state: [] },
    open: { close: 'closed', state: [] },
  },
  init: (code) => GenStatem.init('locked', { code }),
  onEnter(from, to, data) {
    if (from !== to) console.log(`door: ${from} -> ${to}`);
    // A closed door locks itself after 30 s unless it changes state before.
    if (to === 'closed') return GenStatem.keepState(data, [GenStatem.stateTimeout(30_000, { kind: 'lock' })]);
  },
  handleEvent(event, state, data, { from }) {
    switch (event.kind) {
      case 'unlock':
        if (event.code !== data.code) return GenStatem.keepState(data, [GenStatem.reply(from, 'wrong_code' as const)]);
        return GenStatem.nextState('closed', data, [GenStatem.reply(from, 'ok' as const)]);
      case 'open':
        return GenStatem.nextState('open', data);
      case 'close':
        return GenStatem.nextState('closed', data);
      case 'lock':
        return GenStatem.nextState('locked', data);
      case 'state':
        return GenStatem.keepState(data, [GenStatem.reply(from, state)]);
    }
  },
};

const clock = new TestClock(); // time moves when we say so
const system = new ActorSystem({ clock });
const ref = await GenStatem.start(system, door, '1234');

console.log(`unlock: ${await ref.call({ kind: 'unlock', code: '1234' })}`);
ref.cast({ kind: 'open' });
try {
  await ref.call({ kind: 'unlock', code: '1234' }); // not allowed while open
} catch (error) {
  if (error instanceof InvalidTransitionError) console.log(`invalid: ${error.event} in ${error.state}`);
}
ref.cast({ kind: 'close' });
await ref.call({ kind: 'state' });
clock.advance(30_000); // the state timeout fires
console.log(`after 30 s: ${await ref.call({ kind: 'state' })}`);

await system.shutdown();
