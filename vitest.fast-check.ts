/**
 * Property tests explore new inputs on every local run. Under CI (`CI` set), or when
 * `FC_SEED` is given, they replay one seed, so a submission's result does not depend on the draw;
 * a failure prints its seed, and `FC_SEED=<seed> pnpm test` replays it anywhere.
 */
import fc from 'fast-check';

const seed = process.env.FC_SEED ?? (process.env.CI ? '20261202' : undefined);
if (seed !== undefined) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: Number(seed) });
