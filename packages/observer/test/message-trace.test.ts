import { test } from '@fast-check/vitest';
import { ActorSystem, TestClock, type Pid } from '@joerl/core';
import { GenServer } from '@joerl/gen';
import { createTelemetry } from '@joerl/telemetry';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TRACE_EVENTS, MAX_TRACE_TEXT, MAX_TRACES, type Observer, type ObserverOptions, observer, defaultRedact, type TraceView } from '../src/index.js';
import { hostileValue, request } from './helpers.js';

type Order = { kind: 'advance'; to: string; card: string };

/** A system with a TestClock, a named `order` GenServer, a plain `other` actor, and an observer with actions on. */
async function setup(options: Partial<ObserverOptions> = {}) {
  const clock = new TestClock(1000);
  const telemetry = createTelemetry({ eventLoop: false, logger: null });
  const system = new ActorSystem({ instrumentation: telemetry, clock, logger: null });
  const order = await GenServer.start(system, { type: 'order', init: () => GenServer.ok(0), handleCast: (_: Order, n: number) => GenServer.noreply(n + 1) }, null, { name: 'order' });
  const other = system.spawn<Order>(() => {}, { type: 'other' });
  const obs = observer({ system, telemetry, actions: true, log: () => {}, ...options });
  const server = await obs.listen({ port: 0 });
  const post = (body: unknown, token = obs.token) =>
    request(new URL('/api/actions', server.url).toString(), { method: 'POST', headers: { 'content-type': 'application/json', 'x-joerl-token': token }, body: JSON.stringify(body) });
  const trace = async (pid: Pid) => (await request(new URL(`/api/traces/${pid.id}`, server.url).toString())).json() as TraceView;
  running.push({ obs, system });
  return { clock, system, order, other, obs, server, post, trace };
}

const running: { obs: Observer; system: ActorSystem }[] = [];
afterEach(async () => {
  for (const { obs, system } of running.splice(0)) {
    await obs.close();
    await system.shutdown();
  }
});

const card = '4111 1111 1111 1111';

describe('the message trace of one actor', () => {
  it('records exactly the next N messages to that actor, nothing of others, then stops itself', async () => {
    const { system, order, other, post, trace } = await setup();
    order.cast({ kind: 'advance', to: 'before', card }); // before the trace: not recorded
    await system.idle();
    expect((await post({ kind: 'trace_start', pid: order.pid.id, maxEvents: 3 })).status).toBe(200);
    for (let i = 0; i < 5; i++) {
      other.send({ kind: 'advance', to: `other ${i}`, card });
      order.cast({ kind: 'advance', to: `step ${i}`, card });
    }
    system.send('order', 'hello');
    await system.idle();
    const view = await trace(order.pid);
    expect(view).toMatchObject({ pid: order.pid.toString(), type: 'order', running: false, ended: 'count', maxEvents: 3 });
    expect(view.events.map((e) => [e.kind, e.text, e.from])).toEqual([
      ['message', 'cast advance', null],
      ['message', 'cast advance', null],
      ['message', 'cast advance', null],
    ]);
    expect(view.events.every((e) => e.at > 0)).toBe(true);
    expect(JSON.stringify(view)).not.toContain('4111'); // the default shows only the tag
    expect(order.isAlive()).toBe(true);
  });

  it('stops itself when its time is up (default count and time otherwise)', async () => {
    const { clock, order, post, trace } = await setup();
    expect((await post({ kind: 'trace_start', pid: order.pid.id, maxMs: 5000 })).status).toBe(200);
    order.cast({ kind: 'advance', to: 'paid', card });
    clock.advance(4999);
    expect((await trace(order.pid)).running).toBe(true);
    clock.advance(1);
    const view = await trace(order.pid);
    expect(view).toMatchObject({ running: false, ended: 'time', maxEvents: DEFAULT_TRACE_EVENTS, maxMs: 5000 });
    expect(view.events).toHaveLength(1);
  });

  it('records signals and the exit, which ends the trace; a sender inside an actor is named', async () => {
    const { system, post, trace } = await setup();
    const target = system.spawn<string>(() => {}, { type: 'target', trapExit: true });
    const sender = system.spawn<string>((m, ctx) => void ctx.send(target, m), { type: 'sender' });
    await post({ kind: 'trace_start', pid: target.id });
    sender.send('hi');
    await system.idle();
    const exited = system.join(target);
    system.exit(target, 'kill');
    await exited;
    const view = await trace(target);
    expect(view.events.map((e) => [e.kind, e.text, e.from])).toEqual([
      ['message', 'info string', sender.toString()],
      ['signal', 'kill killed → terminated', null],
      ['exit', 'exited: killed', null],
    ]);
    expect(view.ended).toBe('exited');
  });

  it('shows what the redact hook returns, as bounded text, and survives a hook that throws', async () => {
    const shown = await setup({ redact: (m) => (m.via === 'cast' ? { to: (m.message as Order).to } : m.message) });
    await shown.post({ kind: 'trace_start', pid: shown.order.pid.id });
    shown.order.cast({ kind: 'advance', to: 'paid', card });
    shown.order.cast({ kind: 'advance', to: 'x'.repeat(5000), card });
    await shown.system.idle();
    const texts = (await shown.trace(shown.order.pid)).events.map((e) => e.text);
    expect(texts[0]).toBe('cast {to: "paid"}');
    expect((texts[1] as string).length).toBeLessThanOrEqual(MAX_TRACE_TEXT + 10);
    const failing = await setup({
      redact: () => {
        throw new Error('redact bug');
      },
    });
    await failing.post({ kind: 'trace_start', pid: failing.order.pid.id });
    failing.order.cast({ kind: 'advance', to: 'paid', card });
    await failing.system.idle();
    expect((await failing.trace(failing.order.pid)).events[0]?.text).toBe('cast (redact failed: Error: redact bug)');
  });

  it('is an action: refused without the token, and stopped by trace_stop', async () => {
    const { order, post, trace, server } = await setup();
    expect((await post({ kind: 'trace_start', pid: order.pid.id }, 'y'.repeat(64))).json()).toEqual({ error: 'bad_token' });
    const never = await request(new URL(`/api/traces/${order.pid.id}`, server.url).toString());
    expect([never.status, never.json()]).toEqual([200, null]);
    expect((await post({ kind: 'trace_start', pid: order.pid.id })).status).toBe(200);
    expect((await post({ kind: 'trace_stop', pid: order.pid.id })).status).toBe(200);
    expect(await trace(order.pid)).toMatchObject({ running: false, ended: 'stopped' });
    expect((await post({ kind: 'trace_stop', pid: order.pid.id })).status).toBe(404);
  });

  it(`runs at most ${MAX_TRACES} traces at once and refuses bounds out of range`, async () => {
    const { system, post } = await setup();
    const actors = Array.from({ length: MAX_TRACES + 1 }, () => system.spawn(() => {}, { type: 'many' }));
    for (const a of actors.slice(0, MAX_TRACES)) expect((await post({ kind: 'trace_start', pid: a.id })).status).toBe(200);
    expect((await post({ kind: 'trace_start', pid: (actors.at(-1) as Pid).id })).status).toBe(409);
    for (const bad of [{ maxEvents: 0 }, { maxEvents: 1001 }, { maxMs: -1 }, { maxMs: 1.5 }, { maxEvents: '5' }]) {
      expect((await post({ kind: 'trace_start', pid: (actors[0] as Pid).id, ...bad })).status).toBe(400);
    }
  });
});

describe('the default redaction', () => {
  const system = new ActorSystem({ logger: null });
  const plain = system.spawn(() => {}, { type: 'plain' });
  test.prop([hostileValue], { numRuns: 200 })('shows only a tag or a type, and never throws, whatever the message', (hostile) => {
    const shown = defaultRedact({ via: 'info', message: hostile.make(), pid: plain, actorType: 'plain' });
    expect(typeof shown).toBe('string');
    expect((shown as string).length).toBeLessThanOrEqual(61);
  });

  it('shows the kind of an object message, or only its JavaScript type', () => {
    const of = (message: unknown) => defaultRedact({ via: 'info', message, pid: plain, actorType: 'plain' });
    expect([of({ kind: 'advance', card }), of({ type: 'order' }), of(card), of(42), of(null), of([card]), of({ card })]).toEqual(['advance', 'order', 'string', 'number', 'null', 'array', 'object']);
  });

  it("shows what a server's formatMessage consents to, in a trace started from the page's action", async () => {
    const { system: sys, post, trace } = await setup();
    const bank = await GenServer.start(
      sys,
      {
        type: 'bank',
        init: () => GenServer.ok(0),
        handleCast: (m: Order, n: number) => GenServer.noreply(n + 1),
        formatMessage: (m: Order) => ({ to: m.to }),
      },
      null,
    );
    await post({ kind: 'trace_start', pid: bank.pid.id });
    bank.cast({ kind: 'advance', to: 'paid', card });
    await sys.idle();
    const [entry] = (await trace(bank.pid)).events;
    expect(entry?.text).toBe('cast {to: "paid"}');
  });
});
