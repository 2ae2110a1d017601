/**
 * Shutdown: roots first (newest first), then everyone, then a kill for whoever is left when the
 * timeout passes.
 *
 * @module
 */
import { ExitReason as Exit } from './exit-reason.js';
import { exitFrom } from './exit-signals.js';
import type { ActorProcess } from './process.js';
import type { ActorSystem } from './system.js';

/** Runs {@link ActorSystem.shutdown} once its options are checked. */
export async function runShutdown(sys: ActorSystem, timeoutMs: number): Promise<void> {
  const shutdown = Exit.shutdown();
  let timedOut = false;
  let timer: unknown;
  const deadline = new Promise<void>((resolve) => {
    timer = sys.clock.setTimeout(
      () => {
        timedOut = true;
        resolve();
      },
      timeoutMs,
      undefined,
    );
  });
  const phase = async (select: (p: ActorProcess) => boolean): Promise<void> => {
    const targets = [...sys.liveActors()].filter(select).reverse();
    for (const p of targets) exitFrom(sys, null, p.pid, shutdown);
    await Promise.race([Promise.all(targets.map((p) => sys.join(p.pid))), deadline]);
  };
  await phase((p) => p.parent === null);
  if (!timedOut) await phase(() => true);
  sys.clock.clearTimeout(timer);
  while (sys.liveCount > 0) {
    const rest = [...sys.liveActors()];
    if (sys.logger !== null && rest.length > 0) {
      sys.report('warn', `shutdown: killing ${rest.length} actor(s) still alive after ${timeoutMs} ms`, {
        pids: rest.slice(0, 10).map((p) => p.pid.toString()),
      });
    }
    for (const p of rest) exitFrom(sys, null, p.pid, 'kill');
    await Promise.all(rest.map((p) => sys.join(p.pid)));
  }
  for (const name of sys.registry.keys()) sys.registry.remove(name);
}
