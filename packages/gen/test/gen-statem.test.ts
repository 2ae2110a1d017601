import { ExitReason, TestClock } from '@joerl/core';
import { describe, expect, it } from 'vitest';
import {
  type Call,
  GenStatem,
  type GenStatemDefinition,
  InitFailedError,
  InvalidTransitionError,
  type StatemAction,
} from '../src/index.js';
import { quietSystem, Recorder } from './helpers.js';

type S = 'a' | 'b' | 'c';
/** Events that say what to do, so each test scripts the machine (as the escript that checked OTP did). */
type Ev =
  | { kind: 'go'; to: S; actions?: StatemAction<Ev>[] }
  | { kind: 'keep'; actions?: StatemAction<Ev>[] }
  | { kind: 'repeat'; actions?: StatemAction<Ev>[] }
  | { kind: 'pp'; n: number }
  | { kind: 'noop' }
  | { kind: 'fired'; tag: string }
  | Call<{ kind: 'where' }, S>;

function scripted(log: string[], enterActions: Partial<Record<S, StatemAction<Ev>[]>> = {}): GenStatemDefinition<S, null, Ev> {
  return {
    type: 'scripted',
    states: ['a', 'b', 'c'],
    init: () => GenStatem.init('a', null),
    onEnter(from, to, data) {
      log.push(`enter ${from}->${to}`);
      const actions = enterActions[to];
      return actions === undefined ? undefined : GenStatem.keepState(data, actions);
    },
    handleEvent(ev, state, data, meta) {
      switch (ev.kind) {
        case 'go':
          return GenStatem.nextState(ev.to, data, ev.actions);
        case 'keep':
          return GenStatem.keepState(data, ev.actions);
        case 'repeat':
          return GenStatem.repeatState(data, ev.actions);
        case 'pp':
          if (state === 'b') {
            log.push(`pp ${ev.n} handled`);
            return GenStatem.keepState(data);
          }
          log.push(`pp ${ev.n} postponed`);
          return GenStatem.keepState(data, [GenStatem.postpone()]);
        case 'noop':
          log.push(`noop in ${state}`);
          return GenStatem.keepState(data);
        case 'fired':
          log.push(`${meta.origin} ${ev.tag}${meta.timeoutName === null ? '' : ` (${meta.timeoutName})`} in ${state}`);
          return GenStatem.keepState(data);
        case 'where':
          return GenStatem.keepState(data, [GenStatem.reply(meta.from, state)]);
      }
    },
  };
}

async function startScripted(enterActions: Partial<Record<S, StatemAction<Ev>[]>> = {}) {
  const clock = new TestClock();
  const system = quietSystem({ clock });
  const log: string[] = [];
  const ref = await GenStatem.start(system, scripted(log, enterActions), undefined);
  /** Advances the clock and lets the machine handle what fell due. */
  const advance = async (ms: number) => {
    await ref.call({ kind: 'where' }); // everything sent so far is handled
    clock.advance(ms);
    await ref.call({ kind: 'where' }); // and what fell due too
  };
  const fired = () => log.filter((l) => /timeout/.test(l));
  return { system, clock, log, ref, advance, fired };
}

const fired = (tag: string): Ev => ({ kind: 'fired', tag });

describe('GenStatem', () => {
  it('starts in its initial state, enters it (from === to), and answers typed calls', async () => {
    const { ref, log } = await startScripted();
    const where: Promise<S> = ref.call({ kind: 'where' });
    expect(await where).toBe('a');
    expect(log).toEqual(['enter a->a']);
  });

  it('runs onEnter on every state change, with the previous and the new state', async () => {
    const { ref, log } = await startScripted();
    ref.cast({ kind: 'go', to: 'b' });
    ref.cast({ kind: 'go', to: 'c' });
    expect(await ref.call({ kind: 'where' })).toBe('c');
    expect(log).toEqual(['enter a->a', 'enter a->b', 'enter b->c']);
  });

  it('next_state to the current state is no state change: no enter call', async () => {
    const { ref, log } = await startScripted();
    ref.cast({ kind: 'go', to: 'a' });
    await ref.call({ kind: 'where' });
    expect(log).toEqual(['enter a->a']);
  });

  it('a state timeout fires after its time in the same state', async () => {
    const { ref, advance, fired: seen } = await startScripted();
    ref.cast({ kind: 'go', to: 'b', actions: [GenStatem.stateTimeout(100, fired('st'))] });
    await advance(99);
    expect(seen()).toEqual([]);
    await advance(1);
    expect(seen()).toEqual(['state_timeout st in b']);
  });

  it('a state timeout is cancelled by a state change', async () => {
    const { ref, advance, fired: seen, clock } = await startScripted();
    ref.cast({ kind: 'go', to: 'b', actions: [GenStatem.stateTimeout(100, fired('st'))] });
    await advance(50);
    ref.cast({ kind: 'go', to: 'c' });
    await advance(100);
    expect(seen()).toEqual([]);
    expect(clock.pending).toBe(0);
  });

  it('a state timeout survives keep_state, repeat_state and next_state to the same state', async () => {
    const { ref, advance, fired: seen } = await startScripted();
    ref.cast({ kind: 'go', to: 'b', actions: [GenStatem.stateTimeout(100, fired('st'))] });
    await advance(25);
    ref.cast({ kind: 'keep' });
    ref.cast({ kind: 'repeat' });
    ref.cast({ kind: 'go', to: 'b' });
    await advance(75);
    expect(seen()).toEqual(['state_timeout st in b']);
  });

  it('a state timeout set by the transition that changes state starts in the new state', async () => {
    const { ref, advance, fired: seen } = await startScripted();
    ref.cast({ kind: 'go', to: 'b', actions: [GenStatem.stateTimeout(100, fired('old'))] });
    await advance(10);
    ref.cast({ kind: 'go', to: 'c', actions: [GenStatem.stateTimeout(100, fired('new'))] });
    await advance(100);
    expect(seen()).toEqual(['state_timeout new in c']);
  });

  it('a state timeout fired but not yet handled is dropped when cancelled meanwhile', async () => {
    const { ref, clock, fired: seen, system } = await startScripted();
    ref.cast({ kind: 'go', to: 'b', actions: [GenStatem.stateTimeout(100, fired('st'))] });
    await ref.call({ kind: 'where' });
    // Queue a state change, then let the timeout fire behind it in the mailbox.
    system.send(ref.pid, 'blocker');
    ref.cast({ kind: 'go', to: 'c' });
    clock.advance(100);
    await ref.call({ kind: 'where' });
    expect(seen()).toEqual([]);
  });

  it('an event timeout is cancelled by any event, even one that is postponed', async () => {
    const { ref, advance, fired: seen } = await startScripted();
    ref.cast({ kind: 'keep', actions: [GenStatem.eventTimeout(100, fired('et'))] });
    await advance(50);
    ref.cast({ kind: 'pp', n: 1 });
    await advance(100);
    expect(seen()).toEqual([]);
  });

  it('an event timeout fires when no event arrives in time', async () => {
    const { ref, clock, log, system } = await startScripted();
    ref.cast({ kind: 'keep', actions: [GenStatem.eventTimeout(100, fired('et'))] });
    await system.idle();
    clock.advance(100);
    await system.idle();
    expect(log).toContain('event_timeout et in a');
  });

  it('an event timeout is cancelled by a generic timeout firing', async () => {
    const { ref, clock, log, system } = await startScripted();
    ref.cast({ kind: 'keep', actions: [GenStatem.timeout('g', 50, fired('gt')), GenStatem.eventTimeout(100, fired('et'))] });
    await system.idle();
    clock.advance(150);
    await system.idle();
    expect(log.filter((l) => /timeout/.test(l))).toEqual(['timeout gt (g) in a']);
  });

  it('a generic timeout persists across state changes until it fires', async () => {
    const { ref, advance, fired: seen } = await startScripted();
    ref.cast({ kind: 'keep', actions: [GenStatem.timeout('g', 100, fired('gt'))] });
    ref.cast({ kind: 'go', to: 'b' });
    ref.cast({ kind: 'go', to: 'c' });
    await advance(100);
    expect(seen()).toEqual(['timeout gt (g) in c']);
  });

  it('setting a generic timeout again restarts it; Infinity or cancelTimeout cancels it', async () => {
    const { ref, advance, fired: seen } = await startScripted();
    ref.cast({ kind: 'keep', actions: [GenStatem.timeout('g', 50, fired('first'))] });
    await advance(30);
    ref.cast({ kind: 'keep', actions: [GenStatem.timeout('g', 50, fired('second'))] });
    await advance(30);
    expect(seen()).toEqual([]);
    await advance(20);
    expect(seen()).toEqual(['timeout second (g) in a']);
    ref.cast({ kind: 'keep', actions: [GenStatem.timeout('h', 50, fired('h')), GenStatem.timeout('i', 50, fired('i'))] });
    ref.cast({ kind: 'keep', actions: [GenStatem.timeout('h', Number.POSITIVE_INFINITY, fired('h')), GenStatem.cancelTimeout({ name: 'i' })] });
    await advance(100);
    expect(seen()).toEqual(['timeout second (g) in a']);
  });

  it('postponed events are retried after the next state change, in order, before newer events', async () => {
    const { ref, log } = await startScripted();
    ref.cast({ kind: 'pp', n: 1 });
    ref.cast({ kind: 'pp', n: 2 });
    ref.cast({ kind: 'noop' });
    ref.cast({ kind: 'keep' });
    ref.cast({ kind: 'repeat' });
    ref.cast({ kind: 'go', to: 'b' });
    ref.cast({ kind: 'noop' });
    await ref.call({ kind: 'where' });
    expect(log).toEqual([
      'enter a->a',
      'pp 1 postponed',
      'pp 2 postponed',
      'noop in a',
      'enter a->a', // repeat_state: enter again, but no retry (the state did not change)
      'enter a->b',
      'pp 1 handled',
      'pp 2 handled',
      'noop in b',
    ]);
  });

  it('a postponed call is answered when retried', async () => {
    const system = quietSystem();
    type E = { kind: 'open' } | Call<{ kind: 'use' }, string>;
    const def: GenStatemDefinition<'closed' | 'open', null, E> = {
      type: 'gate',
      states: ['closed', 'open'],
      init: () => GenStatem.init('closed', null),
      handleEvent(ev, state, data, { from }) {
        if (ev.kind === 'open') return GenStatem.nextState('open', data);
        if (state === 'closed') return GenStatem.keepState(data, [GenStatem.postpone()]);
        return GenStatem.keepState(data, [GenStatem.reply(from, 'used')]);
      },
    };
    const ref = await GenStatem.start(system, def, undefined);
    const use = ref.call({ kind: 'use' });
    await system.idle();
    ref.cast({ kind: 'open' });
    expect(await use).toBe('used');
  });

  it('onEnter may set a state timeout', async () => {
    const { ref, advance, fired: seen } = await startScripted({ b: [GenStatem.stateTimeout(40, fired('from_enter'))] });
    ref.cast({ kind: 'go', to: 'b' });
    await advance(40);
    expect(seen()).toEqual(['state_timeout from_enter in b']);
  });

  it('onEnter may not postpone: the machine crashes with BadReturnError', async () => {
    const { ref, system } = await startScripted({ b: [GenStatem.postpone()] });
    const exited = system.join(ref.pid);
    ref.cast({ kind: 'go', to: 'b' });
    const reason = await exited;
    expect(reason.kind === 'error' && (reason.error as { code: string }).code).toBe('BAD_RETURN');
  });

  it('a stop result replies, then stops; terminate sees state and data', async () => {
    const system = quietSystem();
    const terminated: string[] = [];
    type E = Call<{ kind: 'quit' }, string>;
    const def: GenStatemDefinition<'on', number, E> = {
      type: 'quitter',
      states: ['on'],
      init: () => GenStatem.init('on', 7),
      handleEvent: (_ev, _s, n, { from }) => GenStatem.stop(ExitReason.shutdown(), n + 1, [GenStatem.reply(from, 'bye')]),
      terminate: (reason, state, n) => void terminated.push(`${reason.kind} ${state} ${n}`),
    };
    const ref = await GenStatem.start(system, def, undefined);
    const exited = system.join(ref.pid);
    expect(await ref.call({ kind: 'quit' })).toBe('bye');
    expect(await exited).toEqual(ExitReason.shutdown());
    expect(terminated).toEqual(['shutdown on 8']);
  });

  describe('with a transition table', () => {
    type DoorEvent = Call<{ kind: 'open' }, 'opened'> | { kind: 'close' } | { kind: 'lock' } | { kind: 'unlock' } | Call<{ kind: 'state' }, string>;
    type DoorState = 'closed' | 'open' | 'locked';
    const door: GenStatemDefinition<DoorState, null, DoorEvent> = {
      type: 'door',
      states: ['closed', 'open', 'locked'],
      transitions: {
        closed: { open: 'open', lock: 'locked', state: [] },
        open: { close: 'closed', state: [] },
        locked: { unlock: 'closed', state: [] },
      },
      init: () => GenStatem.init('closed', null),
      handleEvent(ev, state, data, { from }) {
        switch (ev.kind) {
          case 'open':
            return GenStatem.nextState('open', data, [GenStatem.reply(from, 'opened' as const)]);
          case 'close':
          case 'unlock':
            return GenStatem.nextState('closed', data);
          case 'lock':
            return GenStatem.nextState('locked', data);
          case 'state':
            return GenStatem.keepState(data, [GenStatem.reply(from, state)]);
        }
      },
    };

    it('an event with no transition from the current state rejects the call with InvalidTransitionError and keeps the state', async () => {
      const recorder = new Recorder();
      const system = quietSystem({ instrumentation: recorder });
      const ref = await GenStatem.start(system, door, undefined);
      ref.cast({ kind: 'lock' });
      const err = await ref.call({ kind: 'open' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidTransitionError);
      expect(err).toMatchObject({ code: 'INVALID_TRANSITION', state: 'locked', event: 'open' });
      expect(await ref.call({ kind: 'state' })).toBe('locked');
      expect(recorder.of('invalidTransition')).toEqual([{ hook: 'invalidTransition', actor: 'door', state: 'locked', event: 'open' }]);
    });

    it('an invalid cast is reported and dropped; the machine carries on', async () => {
      const recorder = new Recorder();
      const system = quietSystem({ instrumentation: recorder });
      const ref = await GenStatem.start(system, door, undefined);
      ref.cast({ kind: 'unlock' });
      expect(await ref.call({ kind: 'open' })).toBe('opened');
      expect(recorder.of('invalidTransition')).toEqual([{ hook: 'invalidTransition', actor: 'door', state: 'closed', event: 'unlock' }]);
    });

    it('moving to a state the table does not declare for that event crashes with BadReturnError', async () => {
      const system = quietSystem();
      const sloppy: GenStatemDefinition<DoorState, null, DoorEvent> = { ...door, handleEvent: (_e, _s, d) => GenStatem.nextState('locked', d) };
      const ref = await GenStatem.start(system, sloppy, undefined);
      const err = await ref.call({ kind: 'open' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'CALLEE_EXITED', reason: { kind: 'error', error: { code: 'BAD_RETURN' } } });
    });
  });

  it('start rejects a definition with undeclared states in its table, and an init state not declared', async () => {
    const system = quietSystem();
    const bad = { ...scripted([]), transitions: { a: { go: 'z' } } } as unknown as GenStatemDefinition<S, null, Ev>;
    await expect(GenStatem.start(system, bad, undefined)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    const badInit = { ...scripted([]), init: () => GenStatem.init('z' as S, null) };
    await expect(GenStatem.start(system, badInit, undefined)).rejects.toBeInstanceOf(InitFailedError);
  });

  it('async handleEvent and onEnter are awaited: events, enter calls and retried postponed events keep their order', async () => {
    const system = quietSystem();
    const log: string[] = [];
    type E = { kind: 'work'; n: number } | { kind: 'open' } | Call<{ kind: 'log' }, string[]>;
    const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
    const def: GenStatemDefinition<'closed' | 'open', null, E> = {
      type: 'async-fsm',
      states: ['closed', 'open'],
      init: () => GenStatem.init('closed', null),
      async onEnter(from, to, data) {
        await tick();
        log.push(`enter ${from}->${to}`);
        return GenStatem.keepState(data);
      },
      async handleEvent(ev, state, data, { from }) {
        await tick();
        switch (ev.kind) {
          case 'work':
            if (state === 'closed') return GenStatem.keepState(data, [GenStatem.postpone()]);
            log.push(`work ${ev.n}`);
            return GenStatem.keepState(data);
          case 'open':
            return GenStatem.nextState('open', data);
          case 'log':
            return GenStatem.keepState(data, [GenStatem.reply(from, log.slice())]);
        }
      },
    };
    const ref = await GenStatem.start(system, def, undefined);
    ref.cast({ kind: 'work', n: 1 });
    ref.cast({ kind: 'work', n: 2 });
    ref.cast({ kind: 'open' });
    ref.cast({ kind: 'work', n: 3 });
    expect(await ref.call({ kind: 'log' })).toEqual(['enter closed->closed', 'enter closed->open', 'work 1', 'work 2', 'work 3']);
  });

  it('plain messages go to handleInfo, which can change state', async () => {
    const system = quietSystem();
    const def: GenStatemDefinition<'idle' | 'busy', null, Call<{ kind: 'state' }, string>, undefined, 'work'> = {
      type: 'worker-fsm',
      states: ['idle', 'busy'],
      init: () => GenStatem.init('idle', null),
      handleEvent: (_e, state, d, { from }) => GenStatem.keepState(d, [GenStatem.reply(from, state)]),
      handleInfo: (m, _state, d) => (m === 'work' ? GenStatem.nextState('busy', d) : GenStatem.keepState(d)),
    };
    const ref = await GenStatem.start(system, def, undefined);
    system.send(ref.pid, 'work');
    expect(await ref.call({ kind: 'state' })).toBe('busy');
  });
});
