export { deferred, hostileValue, makeHostile, HOSTILE_KINDS, quietSystem, spawnProbe, within } from '../../test-utils/src/index.js'; // by path: test-utils depends on core, not the reverse
