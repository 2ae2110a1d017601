/** The joerl configurations measured against the baseline. */
import type { ActorSystemOptions } from '@joerl/core';

export interface Contender {
  readonly label: string;
  readonly describe: string;
}

export const contenders: readonly Contender[] = [{ label: 'joerl', describe: 'no instrumentation' }];

export function contenderOptions(label: string): ActorSystemOptions {
  switch (label) {
    case 'joerl':
      return { logger: null };
    default:
      throw new Error(`unknown contender '${label}'`);
  }
}
