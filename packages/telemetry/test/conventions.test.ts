import { type ActorHandle, type Pid } from '@joerl/core';
import { type Call, GenServer, type GenServerDefinition, GenStatem, type GenStatemDefinition, Supervisor } from '@joerl/gen';
import { describe, expect, it } from 'vitest';
import { fold } from '../src/runtime.js';
import { CATALOG, EVENT_LOOP_BUCKETS, Histogram, isHistogramSample, type MetricFamily, OTHER, RESERVED_LABEL_VALUES, SYSTEM_TYPE, UNKNOWN_TYPE } from '../src/index.js';
import { instrumented } from './helpers.js';

/** Prometheus series of one type: a value is one; a histogram is its buckets, `+Inf`, `_sum` and `_count`. */
function seriesOf(families: readonly MetricFamily[], type: string): number {
  let n = 0;
  for (const f of families) {
    for (const s of f.samples) {
      if (s.labels.type !== type && s.labels.supervisor_type !== type) continue;
      n += isHistogramSample(s) ? s.bounds.length + 3 : 1;
    }
  }
  return n;
}

/** Every family's label sets are distinct (a duplicate would be two series Prometheus rejects). */
function duplicates(families: readonly MetricFamily[]): string[] {
  const out: string[] = [];
  for (const f of families) {
    const seen = new Set<string>();
    for (const s of f.samples) {
      const key = JSON.stringify(Object.entries(s.labels).sort());
      if (seen.has(key)) out.push(`${f.def.name}${key}`);
      seen.add(key);
    }
  }
  return out;
}

function handleOf(system: { handle(pid: Pid): ActorHandle | undefined }, pid: Pid): ActorHandle {
  const h = system.handle(pid);
  if (h === undefined) throw new Error('not alive');
  return h;
}

const counter: GenServerDefinition<number, null, Call<{ kind: 'get' }, number>, { kind: 'inc' }> = {
  type: 'counter',
  init: () => GenServer.ok(0),
  handleCall: (_req, _from, n) => GenServer.reply(n, n),
  handleCast: (_req, n) => GenServer.noreply(n + 1),
};

type Phase = 'idle' | 'busy';
const worker: GenStatemDefinition<Phase, null, { kind: 'go' } | Call<{ kind: 'ask' }, 'ok'>, null> = {
  type: 'phases',
  states: ['idle', 'busy'],
  init: () => GenStatem.init('idle', null),
  handleEvent(event, _state, data, { from }) {
    if (event.kind === 'ask') return GenStatem.keepState(data, [GenStatem.reply(from, 'ok' as const)]);
    return GenStatem.nextState('busy', data);
  },
};

describe('reserved label values never collide with actor types', () => {
  it('are parenthesised, which no actor type may be', () => {
    expect(RESERVED_LABEL_VALUES).toEqual(['(other)', '(unknown)', '(system)']);
    const { system } = instrumented();
    for (const value of RESERVED_LABEL_VALUES) expect(() => system.spawn(() => {}, { type: value })).toThrow(/actor type/);
  });

  it('user types named other, unknown and system keep series of their own, apart from the folds', () => {
    const { system, telemetry } = instrumented({ labelCap: 3 });
    for (const type of ['other', 'unknown', 'system', 'past_the_cap']) system.spawn(() => {}, { type });
    system.send('nobody-holds-this', 'hi');
    system.exit(system.spawn(() => {}, { type: 'system' }), 'shutdown');
    const families = telemetry.collect();
    expect(duplicates(families)).toEqual([]);
    expect(telemetry.value('joerl_actors_spawned_total', { type: 'other' })).toBe(1);
    expect(telemetry.value('joerl_actors_spawned_total', { type: 'system' })).toBe(2);
    expect(telemetry.value('joerl_actors_spawned_total', { type: OTHER })).toBe(1);
    expect(telemetry.value('joerl_messages_sent_failed_total', { type: UNKNOWN_TYPE, reason: 'noproc' })).toBe(1);
    expect(telemetry.value('joerl_messages_sent_failed_total', { type: 'unknown' })).toBe(0);
    expect(telemetry.value('joerl_signals_sent_total', { type: SYSTEM_TYPE })).toBe(1);
    expect(telemetry.value('joerl_signals_sent_total', { type: 'system' })).toBe(0);
  });
});

describe('calls and casts that find no server, and messages discarded at exit', () => {
  it('a refused call counts as a noproc call of its type, or of (unknown) for a name nobody holds', async () => {
    const { system, telemetry } = instrumented();
    const ref = await GenServer.start(system, counter, null);
    const type = handleOf(system, ref.pid).actorType;
    telemetry.callRefused('call', type, null);
    telemetry.callRefused('call', type, null);
    telemetry.callRefused('call', null, null);
    expect(telemetry.value('joerl_calls_total', { type: 'counter', behaviour: 'gen_server', outcome: 'noproc' })).toBe(2);
    expect(telemetry.value('joerl_calls_total', { type: UNKNOWN_TYPE, behaviour: UNKNOWN_TYPE, outcome: 'noproc' })).toBe(1);
    expect(telemetry.value('joerl_messages_sent_failed_total', { reason: 'noproc' })).toBe(0);
  });

  it('a refused cast counts as a noproc send failure of its type, or of (unknown)', async () => {
    const { system, telemetry } = instrumented();
    const ref = await GenServer.start(system, counter, null);
    telemetry.callRefused('cast', handleOf(system, ref.pid).actorType, null);
    telemetry.callRefused('cast', null, null);
    expect(telemetry.value('joerl_messages_sent_failed_total', { type: 'counter', reason: 'noproc' })).toBe(1);
    expect(telemetry.value('joerl_messages_sent_failed_total', { type: UNKNOWN_TYPE, reason: 'noproc' })).toBe(1);
    expect(telemetry.value('joerl_calls_total')).toBe(0);
  });

  it('messages discarded at exit are dropped with reason exited, so sent = processed + dropped at quiescence', async () => {
    const { system, telemetry } = instrumented();
    const ref = system.spawn<number>(() => {
      throw new Error('the first message ends it');
    }, { type: 'doomed' });
    for (let i = 0; i < 10; i++) ref.send(i);
    await system.join(ref);
    // core reported the nine messages left in the exited actor's mailbox (messagesDiscarded)
    const sent = telemetry.value('joerl_messages_sent_total', { type: 'doomed' });
    const processed = telemetry.value('joerl_messages_processed_total', { type: 'doomed' });
    const dropped = telemetry.value('joerl_messages_dropped_total', { type: 'doomed' });
    expect([sent, processed, dropped]).toEqual([10, 1, 9]);
    expect(telemetry.value('joerl_messages_dropped_total', { type: 'doomed', reason: 'exited' })).toBe(9);
  });

  it('a cast to a dead pid or an unknown name is counted once, as a noproc send failure', async () => {
    const { system, telemetry } = instrumented();
    const ref = await GenServer.start(system, counter, null);
    await ref.stop();
    expect(ref.cast({ kind: 'inc' })).toBe(false);
    expect(GenServer.named<never, { kind: 'inc' }>(system, 'nobody').cast({ kind: 'inc' })).toBe(false);
    expect(telemetry.value('joerl_messages_sent_failed_total', { type: 'counter', reason: 'noproc' })).toBe(1);
    expect(telemetry.value('joerl_messages_sent_failed_total', { type: UNKNOWN_TYPE, reason: 'noproc' })).toBe(1);
  });

  it('a call to a dead pid is counted once, as a noproc call', async () => {
    const { system, telemetry } = instrumented();
    const ref = await GenServer.start(system, counter, null);
    await ref.stop();
    await expect(ref.call({ kind: 'get' })).rejects.toMatchObject({ code: 'NOPROC' });
    expect(telemetry.value('joerl_calls_total', { type: 'counter', outcome: 'noproc' })).toBe(1);
    expect(telemetry.value('joerl_messages_sent_failed_total', { reason: 'noproc' })).toBe(0);
  });
});

describe('series per actor type', () => {
  // The counts TELEMETRY.md documents ("Series per actor type"): change both together.
  it('a plain type has 14 series at spawn, its reasons and histograms once they occur', async () => {
    const { system, telemetry } = instrumented({ sampling: { timing: 0 } });
    const ref = system.spawn(() => {}, { type: 'plain' });
    expect(seriesOf(telemetry.collect(), 'plain')).toBe(14);
    ref.send('x');
    await system.idle();
    expect(seriesOf(telemetry.collect(), 'plain')).toBe(14); // unsampled messages add nothing
    system.exit(ref, 'shutdown');
    await system.join(ref);
    // + stopped_total{reason="shutdown"} + the lifetime histogram (11 buckets: 14 series)
    expect(seriesOf(telemetry.collect(), 'plain')).toBe(14 + 1 + 14);
    telemetry.setSampling({ timing: 1 });
    system.spawn(() => {}, { type: 'plain' }).send('y');
    await system.idle();
    // + processing and queue-wait histograms (16 buckets: 19 series each)
    expect(seriesOf(telemetry.collect(), 'plain')).toBe(14 + 1 + 14 + 19 + 19);
  });

  it('a GenServer type adds in-flight, casts and its outcomes, and the call histogram once called', async () => {
    const { system, telemetry } = instrumented({ sampling: { timing: 0, calls: 1 } });
    const ref = await GenServer.start(system, counter, null);
    expect(seriesOf(telemetry.collect(), 'counter')).toBe(14);
    ref.cast({ kind: 'inc' });
    expect(await ref.call({ kind: 'get' })).toBe(1);
    // + calls_in_flight + casts_total + calls_total{outcome="ok"} + the call histogram (16 buckets: 19)
    expect(seriesOf(telemetry.collect(), 'counter')).toBe(14 + 3 + 19);
  });

  it('a GenStatem type adds one current_state per declared state, and reports its calls as gen_statem', async () => {
    const { system, telemetry } = instrumented({ sampling: { timing: 0, calls: 0 } });
    const ref = await GenStatem.start(system, worker, null);
    expect(seriesOf(telemetry.collect(), 'phases')).toBe(14 + 2);
    expect(await ref.call({ kind: 'ask' })).toBe('ok');
    expect(telemetry.value('joerl_calls_total', { type: 'phases', behaviour: 'gen_statem', outcome: 'ok' })).toBe(1);
    expect(telemetry.value('joerl_calls_total', { behaviour: 'gen_server' })).toBe(0);
    expect(seriesOf(telemetry.collect(), 'phases')).toBe(14 + 2 + 3);
  });

  it('a supervisor type adds its intensity gauges', async () => {
    const { system, telemetry } = instrumented({ sampling: { timing: 0 } });
    await Supervisor.start(system, { strategy: 'one_for_one', children: [] }, { type: 'root_sup' });
    expect(seriesOf(telemetry.collect(), 'root_sup')).toBe(14 + 2);
  });
});

describe('names follow Prometheus conventions', () => {
  it('no gauge ends in _total, every ratio is a 0–1 _ratio, and the replaced names are gone', () => {
    for (const m of CATALOG) {
      if (m.kind === 'gauge') expect(m.name.endsWith('_total'), m.name).toBe(false);
      if (m.kind === 'counter') expect(m.name.endsWith('_total'), m.name).toBe(true);
      expect(m.name.endsWith('_ratio'), m.name).toBe(m.unit === 'ratio');
      expect(m.unit, m.name).not.toBe('%');
    }
    const names = CATALOG.map((m) => m.name);
    for (const gone of ['joerl_mailbox_memory_total_bytes', 'joerl_exit_signals_by_reason_total', 'joerl_mailbox_utilization_percent', 'joerl_gen_server_calls_total']) {
      expect(names).not.toContain(gone);
    }
  });

  it('every family with a type label says in its help whose type it is, or is about the actor itself', () => {
    // lifecycle, mailbox and state-machine families are about the actor (or its mailbox) itself
    const own = new Set(['lifecycle', 'mailboxes', 'gen_statem', 'memory']);
    for (const m of CATALOG) {
      if (!m.labels.includes('type') || own.has(m.group)) continue;
      expect(m.help, m.name).toMatch(/`type` is the (receiver|intended receiver|server|sender)'s/);
    }
    expect(CATALOG.find((m) => m.name === 'joerl_signals_sent_total')?.help).toContain("`type` is the sender's");
    expect(CATALOG.find((m) => m.name === 'joerl_messages_sent_total')?.help).toContain("`type` is the receiver's");
  });
});

describe('supervisor restarts count restart events', () => {
  it('a one_for_all restart of three children is one event, labelled with the crashed child', async () => {
    const { system, telemetry } = instrumented({ sampling: { timing: 0 } });
    const child = (name: string, type: string) => GenServer.childSpec({ ...counter, type }, null, { id: name, name });
    const sup = await Supervisor.start(
      system,
      { strategy: 'one_for_all', intensity: 5, periodMs: 10_000, children: [child('a', 'alpha'), child('b', 'beta'), child('c', 'gamma')] },
      { type: 'trio_sup' },
    );
    const b = system.whereis('b');
    if (b === undefined) throw new Error('b is not running');
    system.exit(b, 'kill');
    await system.join(b);
    await system.idle();
    await Supervisor.countChildren(sup); // answered after the restart
    expect(telemetry.value('joerl_supervisor_restarts_total')).toBe(1);
    expect(telemetry.value('joerl_supervisor_restarts_total', { strategy: 'one_for_all', child_type: 'beta' })).toBe(1);
    expect(telemetry.value('joerl_actors_spawned_total', { type: 'alpha' })).toBe(2); // all three did restart
  });
});

describe('zero samples and exposition shape', () => {
  it('label overflow reads 0 for every capped label, and error counters 0 with nobody to blame', () => {
    const { telemetry } = instrumented();
    const family = (name: string) => telemetry.collect().find((f) => f.def.name === name)?.samples;
    expect(family('joerl_telemetry_label_overflow_total')).toEqual([
      { labels: { label: 'type' }, value: 0 },
      { labels: { label: 'child_type' }, value: 0 },
      { labels: { label: 'supervisor_type' }, value: 0 },
      { labels: { label: 'event' }, value: 0 },
    ]);
    expect(family('joerl_telemetry_export_errors_total')).toEqual([{ labels: {}, value: 0 }]);
    // the helper adds an in-memory provider: it has its own 0
    expect(family('joerl_telemetry_provider_errors_total')).toEqual([{ labels: { provider: 'in-memory' }, value: 0 }]);
    telemetry.exporterStarted('statsd');
    expect(family('joerl_telemetry_export_errors_total')).toEqual([{ labels: { backend: 'statsd' }, value: 0 }]);
    telemetry.exportFailed('statsd');
    telemetry.exporterStarted('statsd');
    expect(family('joerl_telemetry_export_errors_total')).toEqual([{ labels: { backend: 'statsd' }, value: 1 }]);
  });

  it('an exit signal reason has a series once it was sent', async () => {
    const { system, telemetry } = instrumented();
    const family = () => telemetry.collect().find((f) => f.def.name === 'joerl_exit_signals_total')?.samples;
    expect(family()).toEqual([]);
    const ref = system.spawn(() => {}, { type: 'victim' });
    system.exit(ref, 'kill');
    await system.join(ref);
    expect(family()).toEqual([{ labels: { reason: 'killed' }, value: 1 }]);
  });
});

describe('event-loop delay histogram', () => {
  it('folds the native histogram into fixed buckets, less the resolution, cumulatively', () => {
    const resolutionNs = 10e6;
    const into = new Histogram(EVENT_LOOP_BUCKETS);
    // 100 ticks: 50 on time (10 ms), 40 late by 4 ms, 10 late by 300 ms
    const native = { count: 100, mean: 0.5 * 10e6 + 0.4 * 14e6 + 0.1 * 310e6, percentiles: new Map([[0, 10e6], [50, 10e6], [90, 14e6], [100, 310e6]]) };
    fold(native, resolutionNs, into);
    expect(into.count).toBe(100);
    expect(into.sum).toBeCloseTo(0.4 * 0.004 * 100 + 0.1 * 0.3 * 100, 9);
    const cumulative = into.cumulative();
    expect(cumulative[EVENT_LOOP_BUCKETS.indexOf(0.001)]).toBe(50);
    expect(cumulative[EVENT_LOOP_BUCKETS.indexOf(0.005)]).toBe(90);
    expect(cumulative[EVENT_LOOP_BUCKETS.indexOf(0.25)]).toBe(90);
    expect(cumulative[EVENT_LOOP_BUCKETS.indexOf(0.5)]).toBe(100);
    fold(native, resolutionNs, into); // a second read adds, never replaces
    expect(into.count).toBe(200);
    expect(into.cumulative().at(-1)).toBe(200);
  });

  it('is one unlabelled histogram from the first collect, with no rolling window', () => {
    const { telemetry } = instrumented({ eventLoop: {} });
    const h = telemetry.histogram('joerl_event_loop_delay_seconds');
    expect(h?.bounds).toEqual(EVENT_LOOP_BUCKETS);
    expect(h?.cumulative.at(-1)).toBe(h?.count);
    telemetry.detached(telemetry.actorSystem as never);
  });
});
