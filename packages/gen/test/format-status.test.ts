import { ExitReason } from '@joerl/core';
import { describe, expect, it } from 'vitest';
import { formatMessage, formatStatus, GenServer, type GenServerDefinition, GenStatem, type GenStatemDefinition } from '../src/index.js';
import { quietSystem } from './helpers.js';

interface Session {
  user: string;
  secret: string;
  hits: number;
}

const session = (format: boolean): GenServerDefinition<Session, null, never, 'hit'> => ({
  type: 'session',
  init: () => GenServer.ok({ user: 'ada', secret: 's3cret', hits: 0 }),
  handleCast: (_msg, s) => GenServer.noreply({ ...s, hits: s.hits + 1 }),
  ...(format ? { formatStatus: (s: Session) => ({ user: s.user, hits: s.hits }) } : {}),
});

describe('formatStatus (OTP format_status)', () => {
  it("shows a GenServer's state only as its formatStatus callback presents it, as of the last completed callback", async () => {
    const system = quietSystem();
    const ref = await GenServer.start(system, session(true), null);
    ref.cast('hit');
    ref.cast('hit');
    await system.idle();
    expect(formatStatus(ref.pid)).toEqual({ kind: 'status', value: { user: 'ada', hits: 2 } });
    await system.shutdown();
  });

  it('shows nothing of a server whose definition has no formatStatus', async () => {
    const system = quietSystem();
    const ref = await GenServer.start(system, session(false), null);
    expect(formatStatus(ref.pid)).toBeUndefined();
    await system.shutdown();
  });

  it('shows nothing once the server has exited', async () => {
    const system = quietSystem();
    const ref = await GenServer.start(system, session(true), null);
    system.exit(ref.pid, ExitReason.shutdown());
    await system.join(ref.pid);
    expect(formatStatus(ref.pid)).toBeUndefined();
    await system.shutdown();
  });

  it('reports a callback that throws as failed, and the server lives on', async () => {
    const system = quietSystem();
    const boom = new Error('cannot format');
    const ref = await GenServer.start(system, { ...session(false), formatStatus: () => { throw boom; } }, null);
    expect(formatStatus(ref.pid)).toEqual({ kind: 'failed', error: boom });
    expect(system.isAlive(ref.pid)).toBe(true);
    await system.shutdown();
  });

  it("gives a GenStatem's callback its current state and data", async () => {
    const system = quietSystem();
    const door: GenStatemDefinition<'locked' | 'open', { code: string; opened: number }, { kind: 'open' }, null> = {
      type: 'door',
      states: ['locked', 'open'],
      init: () => GenStatem.init('locked', { code: '1234', opened: 0 }),
      handleEvent: (_e, _s, data) => GenStatem.nextState('open', { ...data, opened: data.opened + 1 }),
      formatStatus: (state, data) => ({ state, opened: data.opened }),
    };
    const ref = await GenStatem.start(system, door, null);
    ref.cast({ kind: 'open' });
    await system.idle();
    expect(formatStatus(ref.pid)).toEqual({ kind: 'status', value: { state: 'open', opened: 1 } });
    await system.shutdown();
  });
});

describe('formatMessage (OTP format_status, its message key)', () => {
  type Deposit = { kind: 'deposit'; amount: number; card: string };
  it("shows a server's message only as its formatMessage callback presents it, and nothing without the callback", async () => {
    const system = quietSystem();
    const bank = (consent: boolean): GenServerDefinition<number, null, never, Deposit> => ({
      type: 'bank',
      init: () => GenServer.ok(0),
      handleCast: (m, n) => GenServer.noreply(n + m.amount),
      ...(consent ? { formatMessage: (m: Deposit) => ({ kind: m.kind, amount: m.amount }) } : {}),
    });
    const shown = await GenServer.start(system, bank(true), null);
    const hidden = await GenServer.start(system, bank(false), null);
    const deposit: Deposit = { kind: 'deposit', amount: 5, card: '4111' };
    expect(formatMessage(shown.pid, deposit)).toEqual({ kind: 'status', value: { kind: 'deposit', amount: 5 } });
    expect(formatMessage(hidden.pid, deposit)).toBeUndefined();
    await shown.stop();
    expect(formatMessage(shown.pid, deposit)).toBeUndefined(); // gone: nothing
    await system.shutdown();
  });

  it('reports a callback that throws as failed, and a GenStatem has it too', async () => {
    const system = quietSystem();
    const door: GenStatemDefinition<'locked' | 'open', null, { kind: 'open'; code: string }, null> = {
      type: 'door',
      states: ['locked', 'open'],
      init: () => GenStatem.init('locked', null),
      handleEvent: () => GenStatem.nextState('open', null),
      formatMessage: (e) => {
        if (e.code === 'boom') throw new Error('bad format');
        return { kind: e.kind };
      },
    };
    const ref = await GenStatem.start(system, door, null);
    expect(formatMessage(ref.pid, { kind: 'open', code: '1234' })).toEqual({ kind: 'status', value: { kind: 'open' } });
    expect(formatMessage(ref.pid, { kind: 'open', code: 'boom' })).toMatchObject({ kind: 'failed' });
    await system.shutdown();
  });
});
