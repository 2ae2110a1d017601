/**
 * The joerl demo: a few linked and monitored actors that narrate what they do.
 *
 * A "boss" traps exits and keeps three workers alive: when one crashes, it is told by an exit
 * signal and starts a replacement. An "auditor" monitors every worker and logs each down signal.
 */
import { type ActorContext, type ActorRef, ActorSystem, formatExitReason, type Pid, type Signal } from '@joerl/core';

const smoke = process.argv.includes('--smoke');
const log = (who: string, what: string) => console.log(`${new Date().toISOString().slice(11, 23)}  ${who.padEnd(16)} ${what}`);

type WorkerMsg = { kind: 'job'; n: number } | { kind: 'crash' };
type AuditorMsg = { kind: 'watch'; pid: Pid };

const system = new ActorSystem({ logger: null });

const auditor = system.spawn<AuditorMsg>(
  {
    receive(msg, ctx) {
      ctx.monitor(msg.pid);
      log(`auditor ${ctx.self}`, `now monitoring ${msg.pid}`);
    },
    handleSignal(signal: Signal, ctx) {
      if (signal.kind === 'down') log(`auditor ${ctx.self}`, `down: ${signal.pid} exited (${formatExitReason(signal.reason)})`);
    },
  },
  { type: 'auditor', name: 'auditor' },
);

const worker = {
  receive(msg: WorkerMsg, ctx: ActorContext<WorkerMsg>) {
    if (msg.kind === 'crash') throw new Error('simulated fault');
    log(`worker ${ctx.self}`, `job ${msg.n}: ${msg.n} squared is ${msg.n * msg.n}`);
  },
};

const workers: ActorRef<WorkerMsg>[] = [];
let restarts = 0;

/** Keeps three linked workers alive: trapping exits turns their crashes into signals. */
class Boss {
  init(ctx: ActorContext<'tick'>): void {
    for (let i = 0; i < 3; i++) workers.push(this.startWorker(ctx));
    log(`boss ${ctx.self}`, 'started 3 linked workers; trapping exits');
  }

  receive(): void {}

  handleSignal(signal: Signal, ctx: ActorContext<'tick'>): void {
    if (signal.kind !== 'exit') return;
    if (signal.from === ctx.system.rootPid) {
      // The system is shutting down: stop, and the linked workers stop with us.
      ctx.stop(signal.reason);
      return;
    }
    const i = workers.findIndex((w) => w.pid === signal.from);
    log(`boss ${ctx.self}`, `exit signal from ${signal.from} (${formatExitReason(signal.reason)}); restarting it`);
    if (i >= 0) {
      workers[i] = this.startWorker(ctx);
      restarts++;
    }
  }

  private startWorker(ctx: ActorContext<'tick'>): ActorRef<WorkerMsg> {
    const w = ctx.spawnLink(worker, { type: 'worker' });
    auditor.send({ kind: 'watch', pid: w.pid });
    return w;
  }
}

const boss = system.spawn(new Boss(), { type: 'boss', name: 'boss', trapExit: true });

let n = 0;
const step = (): void => {
  n++;
  const w = workers[n % workers.length];
  if (w === undefined) return;
  if (n % 5 === 0) {
    log('demo', `injecting a fault into ${w.pid}`);
    w.send({ kind: 'crash' });
  } else {
    w.send({ kind: 'job', n });
  }
};

async function stop(): Promise<void> {
  clearInterval(timer);
  log('demo', 'shutting down...');
  await system.shutdown({ timeoutMs: 2000 });
  log('demo', `stopped after ${n} steps and ${restarts} restarts`);
}

const timer = setInterval(() => {
  step();
  if (smoke && n >= 10) void stop();
}, smoke ? 10 : 500);
log('demo', `boss ${boss.pid}, auditor ${auditor.pid}; Ctrl-C to stop`);
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
