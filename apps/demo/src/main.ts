/**
 * The joerl demo: a small supervision tree that narrates what it does.
 *
 *   demo (Supervisor, one_for_one)
 *   ├── ledger   GenServer: counts finished jobs
 *   ├── light    GenStatem: red → green → yellow → red, on state timeouts
 *   └── workers  DynamicSupervisor: up to 3 workers (GenServers), started on demand
 *
 * Every step a job goes to a worker; now and then a worker is handed a poisoned job and crashes,
 * and its supervisor restarts it. `--smoke` runs 10 steps and shuts the tree down; Ctrl-C stops it
 * gracefully (children stop in reverse start order).
 */
import { type ActorContext, type ActorHandle, ActorSystem, formatExitReason, NoopInstrumentation, type Pid } from '@joerl/core';
import {
  type Call,
  DynamicSupervisor,
  GenServer,
  type GenServerDefinition,
  GenStatem,
  type GenStatemDefinition,
  ServerRef,
  Supervisor,
} from '@joerl/gen';

const smoke = process.argv.includes('--smoke');
const tickMs = smoke ? 10 : 700;
const log = (who: string, what: string) => console.log(`${new Date().toISOString().slice(11, 23)}  ${who.padEnd(18)} ${what}`);

/** Narrates what the behaviours report through the instrumentation port. */
class Narrator extends NoopInstrumentation {
  restarts = 0;
  override supervisorRestarted(actor: ActorHandle, strategy: string, childType: string, durationMs: number): void {
    this.restarts++;
    log(`${actor.type} ${actor.pid}`, `restarted a '${childType}' (${strategy}) in ${durationMs.toFixed(1)} ms`);
  }
  override supervisorIntensityExceeded(actor: ActorHandle): void {
    log(`${actor.type} ${actor.pid}`, 'too many restarts: giving up');
  }
}

// --- ledger: a GenServer counting finished jobs -------------------------------------------------
type LedgerCall = Call<{ kind: 'stats' }, { done: number }>;
type LedgerCast = { kind: 'done'; worker: Pid; n: number };
const ledger: GenServerDefinition<{ done: number }, null, LedgerCall, LedgerCast> = {
  type: 'ledger',
  init: () => GenServer.ok({ done: 0 }),
  handleCall: (_req, _from, s) => GenServer.reply({ ...s }, s),
  handleCast: (_req, s) => GenServer.noreply({ done: s.done + 1 }),
  terminate: (reason, s, ctx) => log(`ledger ${ctx.self}`, `stopping (${formatExitReason(reason)}) after ${s.done} jobs`),
};

// --- light: a GenStatem cycling on state timeouts -----------------------------------------------
type Light = 'red' | 'green' | 'yellow';
type LightEvent = { kind: 'next' };
const durations: Record<Light, number> = smoke ? { red: 30, green: 30, yellow: 10 } : { red: 3000, green: 3000, yellow: 1000 };
const after: Record<Light, Light> = { red: 'green', green: 'yellow', yellow: 'red' };
const light: GenStatemDefinition<Light, null, LightEvent> = {
  type: 'traffic-light',
  states: ['red', 'green', 'yellow'],
  transitions: { red: { next: 'green' }, green: { next: 'yellow' }, yellow: { next: 'red' } },
  init: () => GenStatem.init('red', null),
  onEnter(from, to, data, ctx) {
    log(`light ${ctx.self}`, from === to ? `starts ${to}` : `${from} -> ${to}`);
    return GenStatem.keepState(data, [GenStatem.stateTimeout(durations[to], { kind: 'next' })]);
  },
  handleEvent: (_event, state, data) => GenStatem.nextState(after[state], data),
  terminate: (reason, state, _data, ctx) => log(`light ${ctx.self}`, `stopping in ${state} (${formatExitReason(reason)})`),
};

// --- worker: a GenServer that does jobs, and crashes on a poisoned one --------------------------
type WorkerCast = { kind: 'job'; n: number; poisoned: boolean };
const worker: GenServerDefinition<number, number, never, WorkerCast> = {
  type: 'worker',
  init: (id) => GenServer.ok(id),
  handleCast(job, id, ctx: ActorContext<never>) {
    if (job.poisoned) throw new Error(`poisoned job ${job.n}`);
    log(`worker#${id} ${ctx.self}`, `job ${job.n}: ${job.n}² = ${job.n * job.n}`);
    GenServer.named<never, LedgerCast>(ctx.system, 'ledger').cast({ kind: 'done', worker: ctx.self, n: job.n });
    return GenServer.noreply(id);
  },
  terminate: (reason, id, ctx) => log(`worker#${id} ${ctx.self}`, `stopping (${formatExitReason(reason)})`),
};

// --- the tree -----------------------------------------------------------------------------------
const narrator = new Narrator();
const system = new ActorSystem({ logger: null, instrumentation: narrator });
const root = await Supervisor.start(
  system,
  {
    strategy: 'one_for_one',
    intensity: 5,
    periodMs: 10_000,
    children: [
      GenServer.childSpec(ledger, null, { name: 'ledger' }),
      GenStatem.childSpec(light, undefined, { id: 'light', name: 'light' }),
      DynamicSupervisor.childSpec({ maxChildren: 3, intensity: 5, periodMs: 10_000 }, { id: 'workers', name: 'workers', type: 'worker-pool' }),
    ],
  },
  { type: 'demo-sup', name: 'demo' },
);
log(`demo-sup ${root.pid}`, `started: ${(await Supervisor.whichChildren(root)).map((c) => `${c.id} ${c.pid}`).join(', ')}`);

const workers = DynamicSupervisor.named(system, 'workers');
let step = 0;
let stopping = false;

async function tick(): Promise<void> {
  step++;
  const running = await DynamicSupervisor.whichChildren(workers);
  if (running.length < 3) {
    const id = running.length + 1;
    const pid = await DynamicSupervisor.startChild(workers, { start: (sup) => GenServer.start(sup, worker, id, { link: true }) });
    log('demo', `started worker#${id} ${pid}`);
    running.push({ pid, type: 'worker', restart: 'permanent', actorType: 'worker' });
  }
  const target = running[step % running.length];
  if (target === undefined) return;
  const poisoned = step % 4 === 0;
  if (poisoned) log('demo', `injecting a fault: poisoned job ${step} for ${target.pid}`);
  ServerRef.of<never, WorkerCast>(system, target.pid).cast({ kind: 'job', n: step, poisoned });
  if (step % 5 === 0) {
    const stats = await GenServer.named<LedgerCall>(system, 'ledger').call({ kind: 'stats' });
    log('demo', `ledger says ${stats.done} jobs done`);
  }
}

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(timer);
  log('demo', 'shutting down the tree...');
  await system.shutdown({ timeoutMs: 2000 });
  log('demo', `stopped after ${step} steps and ${narrator.restarts} restarts`);
}

let busy = false;
const timer = setInterval(() => {
  if (busy || stopping) return;
  busy = true;
  tick().then(
    () => {
      busy = false;
      if (smoke && step >= 10) void stop();
    },
    (error: unknown) => {
      busy = false;
      log('demo', `step failed: ${error instanceof Error ? error.message : String(error)}`);
    },
  );
}, tickMs);
log('demo', smoke ? 'smoke run: 10 steps' : 'Ctrl-C to stop');
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
