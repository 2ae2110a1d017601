import { deferred } from '../../test-utils/src/index.js';
import type { ActorSystem } from '../src/index.js';

export { deferred, hostileValue, makeHostile, HOSTILE_KINDS, quietSystem, spawnProbe, within } from '../../test-utils/src/index.js'; // by path: test-utils depends on core, not the reverse

/** An actor that handles nothing until its gate opens, so its mailbox fills. */
export function gated<M>(system: ActorSystem, mailbox: object) {
  const gate = deferred();
  const seen: M[] = [];
  let first = true;
  const ref = system.spawn<M>(
    {
      async receive(msg) {
        if (first) {
          first = false;
          await gate.promise;
        }
        seen.push(msg);
      },
    },
    { type: 'gated', mailbox },
  );
  return { ref, gate, seen };
}
