/** The peer libraries measured against joerl, in report order. */
import { comedy } from './comedy.js';
import { effect } from './effect.js';
import { nact } from './nact.js';
import type { Peer } from './peer.js';
import { xstateMachine, xstateTransition } from './xstate.js';

export type { Peer } from './peer.js';

export const peers: readonly Peer[] = [xstateTransition, xstateMachine, effect, nact, comedy];
