/**
 * Each peer by label, loaded on its own: a peer's worker process imports its library only, so
 * no other library's code sits in the heap it is measured in.
 */
import type { Peer } from './peer.js';

export const peerLoaders: Readonly<Record<string, () => Promise<Peer>>> = {
  xstate: async () => (await import('./xstate.js')).xstateTransition,
  'xstate-machine': async () => (await import('./xstate.js')).xstateMachine,
  effect: async () => (await import('./effect.js')).effect,
  nact: async () => (await import('./nact.js')).nact,
  comedy: async () => (await import('./comedy.js')).comedy,
};
