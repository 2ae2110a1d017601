export { deferred, quietSystem, spawnProbe, within } from '../../test-utils/src/index.js'; // by path: test-utils depends on core, not the reverse
