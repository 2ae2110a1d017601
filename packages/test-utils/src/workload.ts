import type { ActorSystem } from '@joerl/core';

/**
 * The scripted workload every backend's conformance test runs: the same actors, messages, crashes
 * and failed sends, so each adapter's decoded values can be compared with `telemetry.collect()`.
 * Resolves once everything has been handled. Deterministic in counts (not in timings).
 *
 * What it does, per run:
 * - `conformance_worker` ×3: 40 messages each (120 sent, 120 processed);
 * - `conformance_crasher` ×2: each handles 2 messages, the 2nd throws (2 panics, 2 error exits);
 * - `conformance_tiny` ×1 (capacity 2): 5 sends before it runs → 2 sent, 3 `mailbox_full`;
 * - 4 sends to the dead crashers (`noproc`), 1 link, 1 monitor; the other actors stay alive.
 */
export async function scriptedWorkload(system: ActorSystem): Promise<void> {
  const workers = [0, 1, 2].map(() => system.spawn<number>(() => {}, { type: 'conformance_worker' }));
  const first = workers[0] as (typeof workers)[number];
  for (let i = 0; i < 40; i++) for (const w of workers) w.send(i);
  const crashers = [0, 1].map(() =>
    system.spawn<number>((n) => {
      if (n === 2) throw new Error('scripted crash');
    }, { type: 'conformance_crasher' }),
  );
  const exits = crashers.map((c) => system.join(c));
  for (const c of crashers) {
    c.send(1);
    c.send(2);
  }
  const tiny = system.spawn<number>(() => {}, { type: 'conformance_tiny', mailbox: { capacity: 2 } });
  for (let i = 0; i < 5; i++) tiny.send(i);
  const linked = system.spawn<number>(() => {}, { type: 'conformance_worker', link: first });
  system.monitor(linked, () => {});
  await Promise.all(exits);
  for (const c of crashers) {
    c.send(3);
    c.send(4);
  }
  await system.idle();
}
