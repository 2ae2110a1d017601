/** The joerl configurations measured against the baseline (and against each other). */
import type { ActorSystemOptions } from '@joerl/core';
import { createTelemetry } from '@joerl/telemetry';

export interface Contender {
  readonly label: string;
  readonly describe: string;
}

export const contenders: readonly Contender[] = [
  { label: 'joerl', describe: 'telemetry off' },
  { label: 'telemetry-1', describe: 'counters + 1% timing' },
  { label: 'telemetry-100', describe: 'counters + 100% timing' },
];

export function contenderOptions(label: string): ActorSystemOptions {
  switch (label) {
    case 'joerl':
      return { logger: null };
    case 'telemetry-1':
      return { logger: null, instrumentation: createTelemetry({ sampling: { timing: 0.01 }, eventLoop: false }) };
    case 'telemetry-100':
      return { logger: null, instrumentation: createTelemetry({ sampling: { timing: 1 }, eventLoop: false }) };
    default:
      throw new Error(`unknown contender '${label}'`);
  }
}
