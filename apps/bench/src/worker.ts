/**
 * One measurement in a fresh process, so contenders never share a heap (a previous run's
 * garbage would otherwise tax the next one's GC): warm up, then time `runs` runs.
 *
 *   node --expose-gc dist/worker.js <scenario-index> <contender> <sizes-json> <runs>
 */
import { contenderOptions } from './contenders.js';
import { gc, median, timeRun } from './measure.js';
import { scenarios } from './scenarios.js';

const [index, contender, sizesJson, runsArg] = process.argv.slice(2);
const scenario = scenarios[Number(index)];
if (scenario === undefined || contender === undefined || sizesJson === undefined) {
  throw new Error('usage: worker.js <scenario-index> <contender> <sizes-json> <runs>');
}
const sizes = JSON.parse(sizesJson) as Parameters<typeof scenario.baseline>[0];
const runs = Number(runsArg ?? 3);
const run = contender === 'baseline' ? () => scenario.baseline(sizes) : () => scenario.joerl(contenderOptions(contender))(sizes);

await timeRun(run); // warm-up: let the JIT settle
const rates: number[] = [];
for (let i = 0; i < runs; i++) {
  gc();
  rates.push(await timeRun(run));
}
process.stdout.write(`${JSON.stringify({ rate: median(rates) })}\n`);
