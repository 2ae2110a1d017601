/**
 * `pnpm -F @joerl/bench soak`: mixed load with crashes and restarts for a while (default 5
 * minutes), reporting whether the heap stays flat after the warm-up (heap-trend.ts).
 *
 *   node --expose-gc dist/soak.js [--minutes M] [--no-telemetry]
 *
 * The load runs in rounds under one supervision tree, with default telemetry on (what `start()`
 * sets up; `collect()` runs at each sample, as a scrape would). Each round: casts and calls from
 * plain code to a named store; temporary workers under a DynamicSupervisor, each calling the
 * store from its own callback, then stopping; short-lived plain actors, monitored, each sent a
 * timer message before it exits; and one crash of a supervised server, restarted. A round ends
 * when all of it is done, so at a sample nothing is in flight: the heap, after a full GC, holds
 * only what the system keeps. The first fifth of the run is the warm-up (the JIT, the telemetry's
 * type slots, the registry's tables settle). Exits 1 if the heap grew.
 */
import { ActorSystem, type Behavior, ExitReason, type Pid, type Signal } from '@joerl/core';
import { type Call, DynamicSupervisor, GenServer, type GenServerDefinition, Supervisor } from '@joerl/gen';
import { createTelemetry } from '@joerl/telemetry';
import { type HeapSample, heapTrend } from './heap-trend.js';
import { fmt, gc } from './measure.js';
import { CRASH, Tally } from './scenario.js';

const args = process.argv.slice(2);
const argValue = (name: string): number | undefined => {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : Number.NaN;
  return Number.isFinite(v) && v > 0 ? v : undefined;
};
const minutes = argValue('--minutes') ?? 5;
const withTelemetry = !args.includes('--no-telemetry');
const durationS = minutes * 60;
const warmUpS = durationS / 5;
const sampleEveryS = Math.min(5, durationS / 40);

const KEYS = 500; // the store's state stays bounded: what grows is the system's, not the test's
const CASTS = 2_000;
const CALLS = 200;
const WORKERS = 50;
const SHORT_LIVED = 200;
const CRASHY = 4;

/** What the current round waits for: workers done, short-lived actors down, restarts. */
let round = new Tally();

type StoreCall = Call<{ kind: 'get'; key: number }, number>;
type StoreCast = { kind: 'put'; key: number; value: number };
const store: GenServerDefinition<Map<number, number>, null, StoreCall, StoreCast> = {
  type: 'store',
  init: () => GenServer.ok(new Map<number, number>()),
  handleCall: (req, _from, state) => GenServer.reply(state.get(req.key) ?? 0, state),
  handleCast(req, state) {
    state.set(req.key, req.value);
    return GenServer.noreply(state);
  },
};

const starts = new Array<number>(CRASHY).fill(0);
const crashy: GenServerDefinition<number, number, never, 'boom'> = {
  type: 'crashy',
  init(i) {
    if ((starts[i] = (starts[i] ?? 0) + 1) > 1) round.hit(); // a restart
    return GenServer.ok(i);
  },
  handleCast() {
    throw CRASH;
  },
};

function worker(system: ActorSystem): GenServerDefinition<null, number, never, never, 'work'> {
  const storeRef = GenServer.named<StoreCall, StoreCast>(system, 'store');
  return {
    type: 'worker',
    init(key, ctx) {
      ctx.send(ctx.self, 'work');
      return GenServer.ok(null);
    },
    async handleInfo(_work, state, ctx) {
      await storeRef.call({ kind: 'get', key: 1 }, { caller: ctx });
      round.hit();
      return GenServer.stop(ExitReason.normal, state);
    },
  };
}

/** Monitors each pid it is sent; each `down` is one short-lived actor done. */
const watcher: Behavior<Pid> = {
  receive(pid, ctx) {
    ctx.monitor(pid);
  },
  handleSignal(signal: Signal) {
    if (signal.kind === 'down') round.hit();
  },
};

/** A short-lived actor: waits for its timer message, then exits. */
const shortLived: Behavior<'go'> = {
  receive(_go, ctx) {
    ctx.stop();
  },
};

async function main(): Promise<void> {
  const telemetry = withTelemetry ? createTelemetry() : null;
  const system = new ActorSystem({ logger: null, ...(telemetry === null ? {} : { instrumentation: telemetry }) });
  await Supervisor.start(
    system,
    {
      strategy: 'one_for_one',
      intensity: 1_000_000,
      periodMs: 60_000,
      children: [
        GenServer.childSpec(store, null, { name: 'store' }),
        DynamicSupervisor.childSpec({ intensity: 1_000_000, periodMs: 60_000 }, { id: 'workers', name: 'workers' }),
        ...Array.from({ length: CRASHY }, (_, i) => GenServer.childSpec(crashy, i, { id: `crashy-${i}`, name: `crashy-${i}` })),
      ],
    },
    { name: 'root' },
  );
  const storeRef = GenServer.named<StoreCall, StoreCast>(system, 'store');
  const workers = DynamicSupervisor.named(system, 'workers');
  const workerDef = worker(system);
  const watch = system.spawn(watcher, { type: 'watcher' });

  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  const samples: HeapSample[] = [];
  let rounds = 0;
  let nextSample = 0;
  console.log(`soak: ${minutes} min of mixed load (telemetry ${withTelemetry ? 'default' : 'off'}), warm-up ${warmUpS.toFixed(0)} s, a post-GC heap sample every ${sampleEveryS.toFixed(1)} s`);
  while (elapsed() < durationS) {
    round = new Tally();
    round.expect(WORKERS + SHORT_LIVED + 1);
    for (let k = 0; k < CASTS; k++) storeRef.cast({ kind: 'put', key: (rounds + k) % KEYS, value: k });
    GenServer.named<never, 'boom'>(system, `crashy-${rounds % CRASHY}`).cast('boom');
    for (let k = 0; k < WORKERS; k++) void DynamicSupervisor.startChild(workers, GenServer.childSpec(workerDef, k, { restart: 'temporary' }));
    for (let k = 0; k < SHORT_LIVED; k++) {
      const pid = system.spawn(shortLived, { type: 'short' });
      watch.send(pid);
      system.sendAfter(pid, 'go', k % 3);
    }
    const replies = await Promise.all(Array.from({ length: CALLS }, (_, k) => storeRef.call({ kind: 'get', key: k % KEYS })));
    if (replies.length !== CALLS) throw new Error('a call went missing');
    await round.done;
    round.verify();
    rounds++;
    if (elapsed() >= nextSample) {
      telemetry?.collect();
      gc();
      const bytes = process.memoryUsage().heapUsed;
      const seconds = elapsed();
      samples.push({ seconds, bytes });
      nextSample = seconds + sampleEveryS;
      if (samples.length % 8 === 1) console.log(`  ${seconds.toFixed(0).padStart(5)} s  heap ${(bytes / 1048576).toFixed(2)} MiB  rounds ${rounds}${seconds < warmUpS ? '  (warm-up)' : ''}`);
    }
  }
  await system.shutdown();
  const trend = heapTrend(samples.filter((s) => s.seconds >= warmUpS));
  const perRound = CASTS + CALLS + WORKERS * 3 + SHORT_LIVED * 2 + 1;
  console.log(
    `\n${rounds} rounds in ${elapsed().toFixed(0)} s: ~${fmt((rounds * perRound) / elapsed())} messages/s, ${fmt((rounds * (WORKERS + SHORT_LIVED)) / elapsed())} actors started and stopped/s, ${fmt(rounds / elapsed())} crashes and restarts/s`,
  );
  console.log(
    `heap after warm-up: ${trend.samples} samples, median ${(trend.medianBytes / 1048576).toFixed(2)} MiB, slope ${(trend.bytesPerMinute / 1024).toFixed(1)} KiB/min, growth over the window ${(trend.growthBytes / 1024).toFixed(0)} KiB (flat: at most ${(trend.limitBytes / 1024).toFixed(0)} KiB)`,
  );
  console.log(trend.flat ? 'heap: flat' : 'heap: GROWING');
  if (!trend.flat) process.exitCode = 1;
}

await main();
