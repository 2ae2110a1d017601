import { ActorSystem } from '@joerl/core';
import { type Call, GenServer, type GenServerDefinition, GenStatem, type GenStatemDefinition, Supervisor } from '@joerl/gen';
import { createTelemetry, type MetricDef, type Telemetry, type TelemetryOptions } from '@joerl/telemetry';
import { UNIT_SUFFIX } from '../src/index.js';
import { deferred, scriptedClusterTraffic, within } from '@joerl/test-utils';

export { deferred, freePort, HOSTILE_TARGETS, type HostileKind, INTERNAL_TEXT, makeHostile, rawRequest, requestArbitrary, within } from '@joerl/test-utils';

/** A system with telemetry: every timing sampled, no event-loop monitor, quiet logs. */
export function instrumented(options: TelemetryOptions = {}): { telemetry: Telemetry; system: ActorSystem } {
  const telemetry = createTelemetry({ sampling: { timing: 1, calls: 1 }, eventLoop: false, logger: null, ...options });
  const system = new ActorSystem({ instrumentation: telemetry, logger: null });
  return { telemetry, system };
}

// ---------------------------------------------------------------------------------------------
// The exposition text, parsed

/** One sample line of an exposition. */
export interface ParsedSample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** An exposition: `# HELP` / `# TYPE` by family name, and every sample. */
export interface Parsed {
  readonly help: Map<string, string>;
  readonly type: Map<string, string>;
  /** OpenMetrics `# UNIT`, by family name. */
  readonly unit: Map<string, string>;
  readonly samples: ParsedSample[];
  /** Whether it ended with OpenMetrics' `# EOF`. */
  readonly eof: boolean;
}

/** Parses the Prometheus text format or OpenMetrics (what our tests need of them: no timestamps, no exemplars). */
export function parseExposition(text: string): Parsed {
  const help = new Map<string, string>();
  const type = new Map<string, string>();
  const unit = new Map<string, string>();
  const samples: ParsedSample[] = [];
  let eof = false;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line === '# EOF') {
      eof = true;
      continue;
    }
    const meta = /^# (HELP|TYPE|UNIT) (\S+) ?(.*)$/.exec(line);
    if (meta !== null) {
      (meta[1] === 'HELP' ? help : meta[1] === 'TYPE' ? type : unit).set(meta[2]!, meta[3]!);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line);
    if (m === null) throw new Error(`unparsable exposition line: ${line}`);
    samples.push({ name: m[1]!, labels: parseLabels(m[2] ?? ''), value: parseValue(m[3]!) });
  }
  return { help, type, unit, samples, eof };
}

function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  for (const m of text.matchAll(re)) out[m[1]!] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  return out;
}

function parseValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN' || text === 'Nan') return Number.NaN;
  return Number(text);
}

/** The samples named `name` whose labels include `labels`. */
export function samplesOf(parsed: Parsed, name: string, labels: Record<string, string> = {}): ParsedSample[] {
  return parsed.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The one value of `name{labels}` (labels matched exactly). */
export function valueOf(parsed: Parsed, name: string, labels: Record<string, string> = {}): number | undefined {
  const key = JSON.stringify(Object.entries(labels).sort());
  return parsed.samples.find((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === key)?.value;
}

// ---------------------------------------------------------------------------------------------
// HTTP

export interface Fetched {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

export async function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Fetched> {
  const res = await within(fetch(url, { method, headers }), 5000, `${method} ${url}`);
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/** The Accept header Prometheus 2.42 scrapes with. */
export const PROMETHEUS_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

// ---------------------------------------------------------------------------------------------
// A workload that gives every catalog metric samples

type EchoCall = Call<{ kind: 'echo'; n: number }, number>;
const echo: GenServerDefinition<null, null, EchoCall, { kind: 'poke' }> = {
  type: 'echo',
  init: () => GenServer.ok(null),
  handleCall: (request, _from, state) => GenServer.reply(request.n, state),
  handleCast: (_request, state) => GenServer.noreply(state),
};

type DoorEvent = Call<{ kind: 'open' }, 'ok'> | { kind: 'shut' };
const door: GenStatemDefinition<'shut' | 'ajar', null, DoorEvent, null> = {
  type: 'door',
  states: ['shut', 'ajar'],
  transitions: { shut: { open: 'ajar' }, ajar: { shut: 'shut' } },
  init: () => GenStatem.init('shut', null),
  handleEvent: (event, _state, data, { from }) =>
    event.kind === 'open' ? GenStatem.nextState('ajar', data, [GenStatem.reply(from, 'ok' as const)]) : GenStatem.nextState('shut', data),
};

type CrashCall = Call<{ kind: 'crash' }, never>;
const crashy: GenServerDefinition<null, null, CrashCall> = {
  type: 'crashy',
  init: () => GenServer.ok(null),
  handleCall() {
    throw new Error('scripted crash');
  },
};

/** What {@link exerciseCatalog} did, to check against. */
export interface Exercise {
  /** Messages sent to (and handled by) the `loaded` actor. */
  readonly loaded: number;
  /** Calls answered by the `echo` GenServer. */
  readonly calls: number;
  /** Messages queued behind the `gated` actor's first, which holds it until `release()`. */
  readonly gatedQueued: number;
  /** Lets the `gated` actor drain its mailbox; resolves once it has. */
  release(): Promise<void>;
}

/**
 * Gives every metric of the catalog at least one sample: messages under load, a mailbox kept full
 * until released, GenServer calls and casts, GenStatem transitions (and an invalid one), a
 * supervisor restart, a supervisor that gives up, signals, a registered name, a pending timer, a
 * failed export, a throwing provider (pass `faultyProvider()` to the telemetry), and types beyond
 * the label cap (run last: later types fold into `other`).
 */
export async function exerciseCatalog(system: ActorSystem, telemetry: Telemetry): Promise<Exercise> {
  const loaded = system.spawn<number>(() => {}, { type: 'loaded' });
  const LOADED = 500;
  for (let i = 0; i < LOADED; i++) loaded.send(i);

  const gate = deferred();
  const drained = deferred();
  const GATED = 20;
  let handled = 0;
  const gated = system.spawn<number>(
    async () => {
      if (handled++ === 0) await gate.promise;
      if (handled === GATED) drained.resolve();
    },
    { type: 'gated', mailbox: { capacity: 100 } },
  );
  for (let i = 0; i < GATED; i++) gated.send(i);

  const server = await GenServer.start(system, echo, null);
  const CALLS = 40;
  for (let n = 0; n < CALLS; n++) await server.call({ kind: 'echo', n });
  server.cast({ kind: 'poke' });

  const machine = await GenStatem.start(system, door, null);
  await machine.call({ kind: 'open' });
  await machine.call({ kind: 'open' }).catch(() => undefined); // invalid in 'ajar'

  const sup = await Supervisor.start(
    system,
    { strategy: 'one_for_one', intensity: 5, periodMs: 60_000, children: [GenServer.childSpec(crashy, null, { name: 'crashy' })] },
    { type: 'app_sup' },
  );
  await GenServer.named<CrashCall>(system, 'crashy').call({ kind: 'crash' }).catch(() => undefined);
  await Supervisor.countChildren(sup); // answered after the restart
  const fragile = await Supervisor.start(
    system,
    { strategy: 'one_for_one', intensity: 0, periodMs: 60_000, children: [GenServer.childSpec(crashy, null, { name: 'crashy_once', type: 'crashy' })] },
    { type: 'fragile_sup' },
  );
  const gaveUp = system.join(fragile.pid);
  await GenServer.named<CrashCall>(system, 'crashy_once').call({ kind: 'crash' }).catch(() => undefined);
  await gaveUp;

  // A normal exit signal reaches a non-trapping actor and is ignored.
  system.exit(system.spawn(() => {}, { type: 'bystander' }).pid, 'normal');
  const linked = system.spawn(() => {}, { type: 'linked', link: loaded });
  system.monitor(linked.pid, () => {});
  system.register('loaded', loaded.pid);
  system.sendAfter(loaded, -1, 3_600_000);
  telemetry.exportFailed('test');
  system.send('nobody-holds-this', 0); // a send refused: noproc
  const dropper = system.spawn<number>(() => {}, { type: 'dropper', mailbox: { capacity: 1, overflow: 'drop-oldest' } });
  dropper.send(1);
  dropper.send(2); // a queued message dropped: drop_oldest
  await system.idle();
  scriptedClusterTraffic(system, telemetry.distribution); // a node with two peers

  for (let i = 0; telemetry.value('joerl_telemetry_label_overflow_total') === 0 && i < 1000; i++) {
    system.spawn(() => {}, { type: `overflow_${i}` });
  }
  return {
    loaded: LOADED,
    calls: CALLS,
    gatedQueued: GATED - 1,
    release: () => {
      gate.resolve();
      return within(drained.promise, 5000, 'the gated actor to drain its mailbox');
    },
  };
}

/** Whether a catalog name ends with its unit, as Prometheus wants (every one of joerl's does). */
export function unitInName(def: MetricDef): boolean {
  return def.name.replace(def.kind === 'counter' ? /_total$/ : /$/, '').endsWith(UNIT_SUFFIX[def.unit]);
}

/** A provider that throws on every spawn (counted in joerl_telemetry_provider_errors_total). */
export function faultyProvider(): { name: string; onActorSpawned(): void } {
  return {
    name: 'faulty',
    onActorSpawned() {
      throw new Error('scripted provider failure');
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Real Prometheus tools

export { poll, type PrometheusServer, promtoolCheckMetrics, requireBinary, startPrometheus } from '@joerl/test-utils';
