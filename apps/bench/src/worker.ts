/**
 * One measurement in a fresh process, so contenders never share a heap (a previous run's
 * garbage would otherwise tax the next one's GC): warm up, then time `runs` runs.
 *
 *   node --expose-gc dist/worker.js <scenario-id> <contender> <sizes-json> <runs>
 *
 * Prints `{"rate":…}` on its last line. A run that handles fewer or more units than it sent, or
 * that stops making progress (the event loop empties, or `BENCH_RUN_TIMEOUT_S`, default 120 s,
 * passes), exits non-zero with what it handled: a contender that loses messages fails loudly.
 */
import { formatValue } from '@joerl/core';
import { BASELINE, contenderOptions, joerlContenders } from './contenders.js';
import { gc, median, timeRun } from './measure.js';
import { peerLoaders } from './peers/loaders.js';
import { type Run, type Sizes, Tally } from './scenario.js';
import { scenarioById } from './scenarios.js';

const [id, contender, sizesJson, runsArg] = process.argv.slice(2);
if (id === undefined || contender === undefined || sizesJson === undefined) {
  throw new Error('usage: worker.js <scenario-id> <contender> <sizes-json> <runs>');
}
const scenario = scenarioById(id);
const sizes = JSON.parse(sizesJson) as Sizes;
const runs = Number(runsArg ?? 3);
const timeoutMs = Number(process.env.BENCH_RUN_TIMEOUT_S ?? 120) * 1000;

async function runOf(label: string): Promise<Run> {
  if (label === BASELINE.label) return scenario.baseline;
  // A fresh system and telemetry for each run (a telemetry instance serves one system).
  if (joerlContenders.some((c) => c.label === label)) return (sizes, tally) => scenario.joerl(contenderOptions(label))(sizes, tally);
  // A peer's process loads that peer's library only; joerl's processes load none.
  const load = peerLoaders[label];
  if (load === undefined) throw new Error(`unknown contender '${label}'`);
  const peer = await load();
  const run = peer.runs[scenario.id];
  if (run === undefined) throw new Error(`${label} has no '${scenario.id}' scenario: ${peer.notApplicable[scenario.id] ?? 'not written'}`);
  return run;
}

let current: Tally | null = null;

/** The prefix of the one line main.ts reports for a failed measurement. */
const FAILED = 'bench-failed: ';

function fail(why: string): never {
  process.stderr.write(`${FAILED}${why}\n`);
  process.exit(2);
}

function lost(why: string): never {
  const t = current;
  fail(`${why}; handled ${t?.count ?? 0} of ${t?.expected ?? '?'}`);
}

// Nothing left to run but the tally is not complete: messages were lost.
process.on('beforeExit', () => {
  if (current !== null) lost('the event loop emptied before the run completed: this contender lost work');
});

async function measured(run: Run): Promise<number> {
  const tally = new Tally();
  current = tally;
  const watchdog = setTimeout(() => lost(`no completion within ${timeoutMs / 1000} s (stalled or lost work; on a slow machine raise BENCH_RUN_TIMEOUT_S)`), timeoutMs);
  watchdog.unref(); // fires only while the run keeps the event loop busy; beforeExit covers the rest
  const rate = await timeRun(async () => {
    const result = await run(sizes, tally);
    tally.verify();
    return { count: tally.count, ...result };
  });
  clearTimeout(watchdog);
  current = null;
  return rate;
}

try {
  const run = await runOf(contender);
  await measured(run); // warm-up: let the JIT settle
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) {
    gc();
    rates.push(await measured(run));
  }
  process.stdout.write(`${JSON.stringify({ rate: median(rates) })}\n`);
  // Some libraries keep timers or handles after their cleanup; the measurement is done.
  process.exit(0);
} catch (error) {
  fail(error instanceof Error ? `${error.name}: ${error.message}` : formatValue(error));
}
