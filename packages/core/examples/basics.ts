import { type ActorContext, ActorSystem, ExitReason, type Signal } from '@joerl/core';

const system = new ActorSystem();

// An actor is a behaviour: receive(message, ctx), plus optional init, handleSignal, terminate.
class Counter {
  n = 0;
  receive(msg: 'inc' | 'print'): void {
    if (msg === 'inc') this.n++;
    else console.log(`count = ${this.n}`);
  }
}
const counter = system.spawn(new Counter(), { type: 'counter', name: 'counter' });
counter.send('inc');
system.send('counter', 'print'); // by name: prints "count = 1"
await system.idle(); // both handled (the scheduler may yield between messages, and an exit signal does not wait for them)

// Links: a crash travels to linked actors; one that traps exits gets a signal instead.
const watcher = system.spawn(
  {
    receive() {},
    handleSignal(signal: Signal, ctx: ActorContext) {
      if (signal.kind !== 'exit') return;
      if (signal.from === worker) console.log(`worker exited: ${signal.reason.kind}`);
      else ctx.stop(signal.reason); // anyone else (e.g. the system shutting down) stops us
    },
  },
  { type: 'watcher', trapExit: true },
);
const worker = system.spawn<string>(
  (msg) => {
    throw new Error(msg);
  },
  { type: 'worker', link: watcher },
);
worker.send('boom'); // the watcher prints "worker exited: error"
await system.join(worker);

// Monitors: one `down` signal with the reason (here from outside any actor: a callback).
system.monitor(counter, (down) => console.log(`counter is down: ${down.reason.kind}`));
system.exit(counter, ExitReason.shutdown());

await system.shutdown(); // stops every actor; resolves once every terminate ran
