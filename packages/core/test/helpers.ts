export { deferred, quietSystem, spawnProbe, within } from '@joerl/test-utils';
