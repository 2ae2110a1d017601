/**
 * `pnpm bench`: every scenario as a ratio to the hand-written baseline loop, measured in one run,
 * for joerl (telemetry off and on) and the peer libraries. Each measurement runs in a fresh process
 * (see worker.ts); contenders alternate within each round, and the median over `--rounds`
 * processes is reported.
 *
 *   node --expose-gc dist/main.js [--quick] [--rounds N] [--only ids] [--peers labels|all|none]
 *                                 [--no-telemetry] [--semi-space MB] [--json [FILE]]
 *
 * `--only one-actor,ping-pong` runs a subset of the scenarios; `--peers xstate,nact` a subset of
 * the peers (default: all; `--quick`, the CI smoke, runs none unless asked, and of the telemetry
 * configurations only the default one). `--no-telemetry` skips them all. `--json` prints the
 * same data as JSON on stdout (the tables go to stderr); `--json FILE` writes it to FILE.
 * `--semi-space MB` runs every worker with `--max-semi-space-size=MB`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BASELINE, type Contender, joerlContenders } from './contenders.js';
import { fmt, median } from './measure.js';
import { bytesPerIdleActor } from './memory.js';
import { type Peer, peers } from './peers/index.js';
import { fmtRatio, misses, peersTable, type Row, telemetryRows } from './report.js';
import type { Scenario, Sizes } from './scenario.js';
import { scenarioById, scenarios } from './scenarios.js';

/** The prefix of a failed worker's reason on its stderr (worker.ts). */
const FAILED = 'bench-failed: ';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  const v = i >= 0 ? args[i + 1] : undefined;
  return v === undefined || v.startsWith('--') ? undefined : v;
};
const list = (name: string): string[] | undefined => arg(name)?.split(',').map((s) => s.trim()).filter((s) => s !== '');
const rounds = Number(arg('--rounds') ?? (quick ? 1 : 3));
const json = args.includes('--json');
const jsonFile = arg('--json');
const semiSpace = arg('--semi-space');
const nodeFlags = ['--expose-gc', ...(semiSpace === undefined ? [] : [`--max-semi-space-size=${semiSpace}`])];
// With `--json` and no file, stdout carries only the JSON.
const out = json && jsonFile === undefined ? (s: string) => process.stderr.write(`${s}\n`) : (s: string) => process.stdout.write(`${s}\n`);

const sizes: Sizes = quick
  ? { messages: 50_000, roundTrips: 50_000, spawns: 10_000, senders: 100, calls: 5_000, restarts: 1_000 }
  : { messages: 1_000_000, roundTrips: 1_000_000, spawns: 100_000, senders: 100, calls: 100_000, restarts: 10_000 };

const selectedScenarios: readonly Scenario[] = list('--only')?.map(scenarioById) ?? scenarios;
const peerArg = list('--peers') ?? [quick ? 'none' : 'all'];
const selectedPeers: readonly Peer[] = peerArg.includes('all')
  ? peers
  : peerArg.includes('none')
    ? []
    : peerArg.map((label) => {
        const p = peers.find((x) => x.label === label);
        if (p === undefined) throw new Error(`unknown peer '${label}' (known: ${peers.map((x) => x.label).join(', ')})`);
        return p;
      });
const withTelemetry = !args.includes('--no-telemetry');
// The quick smoke measures only the default telemetry (its cost row); the test project checks every configuration runs.
const telemetryContenders = withTelemetry ? joerlContenders.filter((c) => c.kind === 'telemetry' && (!quick || c.label === 'telemetry-default')) : [];
const joerlOff = joerlContenders.filter((c) => c.kind === 'joerl');

/** The pinned version of each peer library (the bench's devDependencies are exact). */
const versions = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { devDependencies?: Record<string, string> }).devDependencies ?? {};

const worker = fileURLToPath(new URL('./worker.js', import.meta.url));

/** The sizes a contender runs in a scenario: a peer's scale of them (peer.ts). */
function sizesOf(contender: string, scenario?: Scenario): Sizes {
  const peer = selectedPeers.find((p) => p.label === contender);
  const scale = (scenario === undefined ? undefined : peer?.scaleFor?.[scenario.id]) ?? peer?.scale ?? 1;
  if (scale === 1) return sizes;
  const part = (n: number) => Math.max(1, Math.floor(n * scale));
  return { ...sizes, messages: part(sizes.messages), roundTrips: part(sizes.roundTrips), spawns: part(sizes.spawns), calls: part(sizes.calls), restarts: part(sizes.restarts) };
}

/** One fresh process: the median rate of its timed runs, or the reason it failed. */
function measureOnce(scenario: Scenario, contender: string): number | Error {
  try {
    const stdout = execFileSync(process.execPath, [...nodeFlags, worker, scenario.id, contender, JSON.stringify(sizesOf(contender, scenario)), quick ? '1' : '3'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return (JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { rate: number }).rate;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    const line = stderr.split('\n').find((l) => l.startsWith(FAILED));
    return new Error(line === undefined ? `the worker died: ${stderr.trim().split('\n').slice(-3).join(' / ')}` : line.slice(FAILED.length));
  }
}

function measureScenario(s: Scenario): Row[] {
  const contenders: Contender[] = [BASELINE, ...joerlOff, ...(s.telemetry ? telemetryContenders : [])];
  const notApplicable: Row[] = [];
  for (const p of selectedPeers) {
    const na = p.notApplicable[s.id];
    if (p.runs[s.id] !== undefined) contenders.push({ label: p.label, describe: p.describe, kind: 'peer' });
    else notApplicable.push({ scenario: s.id, scenarioName: s.name, contender: p.label, kind: 'peer', unit: s.unit, value: null, ratio: null, vsOff: null, notApplicable: na ?? 'not written' });
  }
  const runs = new Map<string, number[]>(contenders.map((c) => [c.label, []]));
  const errors = new Map<string, string>();
  for (let r = 0; r < rounds; r++) {
    for (const c of contenders) {
      if (errors.has(c.label)) continue;
      if (process.stderr.isTTY) process.stderr.write(`\r${s.id}: round ${r + 1}/${rounds}, ${c.label}`.padEnd(70));
      const v = measureOnce(s, c.label);
      if (v instanceof Error) errors.set(c.label, v.message);
      else runs.get(c.label)?.push(v);
    }
  }
  if (process.stderr.isTTY) process.stderr.write(`\r${''.padEnd(70)}\r`);
  const rate = (label: string): number | null => (errors.has(label) ? null : median(runs.get(label) ?? []));
  const base = rate(BASELINE.label);
  const off = rate('joerl');
  const rows = contenders.map((c): Row => {
    const value = rate(c.label);
    const error = errors.get(c.label);
    return {
      scenario: s.id,
      scenarioName: s.name,
      contender: c.label,
      kind: c.kind,
      unit: s.unit,
      value,
      ratio: value === null || base === null ? null : value / base,
      vsOff: c.kind === 'telemetry' && value !== null && off !== null ? value / off : null,
      ...(error === undefined ? {} : { error }),
    };
  });
  for (const row of rows) {
    const c = contenders.find((x) => x.label === row.contender);
    const who = `${row.contender} (${c?.describe ?? ''})`;
    const value = row.error !== undefined ? 'FAILED' : row.value === null ? '' : fmt(row.value);
    out(
      `${(row === rows[0] ? s.name : '').padEnd(44)} ${who.padEnd(46)} ${value.padStart(10)} ${s.unit.padEnd(14)} ${(row.kind === 'baseline' || row.ratio === null ? '' : fmtRatio(row.ratio)).padStart(10)} ${(row.vsOff === null ? '' : fmtRatio(row.vsOff)).padStart(16)}${row.error === undefined ? '' : `  ${row.error}`}`,
    );
  }
  for (const row of notApplicable) out(`${''.padEnd(44)} ${`${row.contender}: n/a`.padEnd(46)} ${row.notApplicable ?? ''}`);
  return [...rows, ...notApplicable];
}

async function main(): Promise<void> {
  const t0 = performance.now();
  out(
    `joerl bench — Node ${process.version}; ${rounds} fresh process(es) per contender and scenario, medians${quick ? ' (quick sizes)' : ''}; node flags: ${nodeFlags.join(' ')}`,
  );
  out(`sizes: ${Object.entries(sizes).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (selectedPeers.length > 0) {
    const scaled = (p: Peer) => [...(p.scale === 1 ? [] : [`${p.scale} of the sizes`]), ...Object.entries(p.scaleFor ?? {}).map(([id, f]) => `${f} for ${id}`)];
    out(`peers: ${selectedPeers.map((p) => `${p.label} (${[`${p.library} ${versions[p.library] ?? '?'}`, ...scaled(p)].join(', ')})`).join(', ')}`);
  }
  out(`\n${'scenario'.padEnd(44)} ${'contender'.padEnd(46)} ${'throughput'.padStart(10)} ${'unit'.padEnd(14)} ${'÷ baseline'.padStart(10)} ${'÷ telemetry off'.padStart(16)}`);
  const rows: Row[] = [];
  for (const s of selectedScenarios) rows.push(...measureScenario(s));

  const labels = ['joerl', ...(withTelemetry ? ['telemetry-default'] : []), ...selectedPeers.map((p) => p.label)];
  out(`\nratios to the hand-written loop (higher is faster; n/a: the library has no such concept):\n${peersTable(rows, labels)}`);

  const telemetry = telemetryRows(rows);
  const cost = Object.entries(telemetry.defaultCostNsPerMessage).map(([id, ns]) => `${id} ${ns.toFixed(1)} ns`);
  const full = Object.entries(telemetry.timing100VsOff).map(([id, r]) => `${id} ${r.toFixed(2)}`);
  if (cost.length > 0) out(`\ndefault telemetry (createTelemetry(): counters, 1% timing, event-loop monitor) costs per message, against telemetry off in this run: ${cost.join(', ')} (target ≤ 10 ns)`);
  if (full.length > 0) out(`100% timing keeps of telemetry-off throughput, empty handlers: ${full.join(', ')} (target ≥ 0.5)`);

  const missed = misses(rows, telemetry);
  out(missed.length === 0 ? '\nall targets met' : `\nbelow target:\n  ${missed.join('\n  ')}`);

  const bytes = await bytesPerIdleActor(quick ? 10_000 : 100_000);
  out(`\nheap per idle actor: ${bytes.toFixed(0)} bytes (target < 1024)`);
  const seconds = (performance.now() - t0) / 1000;
  out(`run time: ${seconds.toFixed(0)} s`);

  const data = {
    node: process.version,
    nodeFlags,
    rounds,
    sizes,
    peers: Object.fromEntries(selectedPeers.map((p) => [p.label, { library: p.library, version: versions[p.library] ?? null, describe: p.describe, sizes: sizesOf(p.label), ...(p.scaleFor === undefined ? {} : { scaleFor: p.scaleFor }) }])),
    rows,
    telemetry,
    misses: missed,
    bytesPerIdleActor: bytes,
    seconds,
  };
  if (jsonFile !== undefined) writeFileSync(jsonFile, `${JSON.stringify(data, null, 2)}\n`);
  else if (json) process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  // A contender that failed (lost messages, crashed) fails the run.
  if (rows.some((r) => r.error !== undefined)) process.exitCode = 1;
}

await main();
