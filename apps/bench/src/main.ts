/**
 * `pnpm bench`: every scenario as a ratio to the hand-written baseline loop, measured in one run.
 * Each measurement runs in a fresh process (see worker.ts); contenders alternate, and the
 * median over `--rounds` processes is reported.
 *
 *   node --expose-gc dist/main.js [--quick] [--rounds N] [--semi-space MB] [--json FILE]
 *
 * `--semi-space MB` runs every worker (baseline and joerl alike) with `--max-semi-space-size=MB`.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { contenders } from './contenders.js';
import { fmt, median } from './measure.js';
import { bytesPerIdleActor } from './memory.js';
import { type Sizes, scenarios } from './scenarios.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const rounds = Number(arg('--rounds') ?? (quick ? 1 : 5));
const jsonOut = arg('--json');
const semiSpace = arg('--semi-space');
const nodeFlags = ['--expose-gc', ...(semiSpace === undefined ? [] : [`--max-semi-space-size=${semiSpace}`])];

const sizes: Sizes = quick
  ? { messages: 50_000, roundTrips: 50_000, spawns: 10_000, senders: 100 }
  : { messages: 1_000_000, roundTrips: 1_000_000, spawns: 100_000, senders: 100 };

const worker = fileURLToPath(new URL('./worker.js', import.meta.url));

function measureOnce(scenario: number, contender: string): number {
  const out = execFileSync(process.execPath, [...nodeFlags, worker, String(scenario), contender, JSON.stringify(sizes), quick ? '1' : '3'], {
    encoding: 'utf8',
  });
  return (JSON.parse(out.trim().split('\n').pop() ?? '{}') as { rate: number }).rate;
}

interface Row {
  scenario: string;
  contender: string;
  unit: string;
  value: number;
  /** to the hand-written baseline */
  ratio: number;
  /** to joerl with telemetry off (telemetry contenders only) */
  vsOff: number | undefined;
}

/**
 * The targets the issues set: joerl ≥ 50% of the baseline; telemetry at 1% ≥ 80% and at 100% ≥ 50%
 * of telemetry off; tracing on with no active span ≥ 80% of telemetry off, as 1% timing alone.
 */
const TARGETS: Record<string, { against: 'baseline' | 'off'; min: number }> = {
  joerl: { against: 'baseline', min: 0.5 },
  'telemetry-1': { against: 'off', min: 0.8 },
  'telemetry-100': { against: 'off', min: 0.5 },
  // issue 11: tracing on with no active span costs almost nothing beyond counters + 1% timing
  'tracing-idle': { against: 'off', min: 0.8 },
};

function main(): void {
  console.log(
    `joerl bench — Node ${process.version}; ${rounds} fresh process(es) per contender and scenario, medians${quick ? ' (quick sizes)' : ''}; node flags: ${nodeFlags.join(' ')}`,
  );
  console.log(`sizes: ${sizes.messages} messages, ${sizes.roundTrips} round trips, ${sizes.spawns} spawns, ${sizes.senders} senders\n`);
  console.log(`${'scenario'.padEnd(34)} ${'contender'.padEnd(38)} ${'throughput'.padStart(10)} ${'unit'.padEnd(14)} ${'÷ baseline'.padStart(10)} ${'÷ telemetry off'.padStart(16)}`);
  const rows: Row[] = [];
  const misses: string[] = [];
  scenarios.forEach((s, index) => {
    const runs = new Map<string, number[]>([['baseline', []]]);
    for (const c of contenders) runs.set(c.label, []);
    for (let r = 0; r < rounds; r++) {
      runs.get('baseline')?.push(measureOnce(index, 'baseline'));
      for (const c of contenders) runs.get(c.label)?.push(measureOnce(index, c.label));
    }
    const base = median(runs.get('baseline') ?? []);
    const off = median(runs.get('joerl') ?? []);
    console.log(`${s.name.padEnd(34)} ${'baseline (hand-written loop)'.padEnd(38)} ${fmt(base).padStart(10)} ${s.unit.padEnd(14)}`);
    for (const c of contenders) {
      const value = median(runs.get(c.label) ?? []);
      const vsOff = c.label === 'joerl' ? undefined : value / off;
      const row: Row = { scenario: s.name, contender: c.label, unit: s.unit, value, ratio: value / base, vsOff };
      rows.push(row);
      console.log(
        `${''.padEnd(34)} ${`${c.label} (${c.describe})`.padEnd(38)} ${fmt(value).padStart(10)} ${s.unit.padEnd(14)} ${row.ratio.toFixed(2).padStart(10)} ${(vsOff === undefined ? '' : vsOff.toFixed(2)).padStart(16)}`,
      );
      const target = TARGETS[c.label];
      const got = target?.against === 'off' ? vsOff : row.ratio;
      if (target !== undefined && got !== undefined && got < target.min) {
        misses.push(`${s.name} / ${c.label}: ${got.toFixed(2)} < ${target.min} (÷ ${target.against === 'off' ? 'telemetry off' : 'baseline'})`);
      }
    }
  });
  console.log(misses.length === 0 ? '\nall targets met' : `\nbelow target:\n  ${misses.join('\n  ')}`);
  return void finish(rows);
}

async function finish(rows: Row[]): Promise<void> {
  const bytes = await bytesPerIdleActor(quick ? 10_000 : 100_000);
  console.log(`\nheap per idle actor: ${bytes.toFixed(0)} bytes (target < 1024)`);
  if (jsonOut !== undefined) {
    writeFileSync(jsonOut, `${JSON.stringify({ node: process.version, nodeFlags, rounds, sizes, rows, bytesPerIdleActor: bytes }, null, 2)}\n`);
  }
}

main();
