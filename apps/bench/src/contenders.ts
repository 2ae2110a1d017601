/**
 * Who is measured: the hand-written baseline, joerl in each telemetry configuration, and the peer
 * libraries (peers/). Each measurement runs in a fresh process (worker.ts).
 */
import type { ActorSystemOptions } from '@joerl/core';
import { createTelemetry } from '@joerl/telemetry';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

export type ContenderKind = 'baseline' | 'joerl' | 'telemetry' | 'peer';

export interface Contender {
  readonly label: string;
  readonly describe: string;
  readonly kind: ContenderKind;
}

export const BASELINE: Contender = { label: 'baseline', describe: 'hand-written loop', kind: 'baseline' };

/** joerl with telemetry off, then the telemetry configurations (measured on the message scenarios). */
export const joerlContenders: readonly Contender[] = [
  { label: 'joerl', describe: 'telemetry off', kind: 'joerl' },
  { label: 'telemetry-default', describe: 'createTelemetry() defaults', kind: 'telemetry' },
  { label: 'telemetry-1', describe: 'counters + 1% timing', kind: 'telemetry' },
  { label: 'telemetry-100', describe: 'counters + 100% timing', kind: 'telemetry' },
  { label: 'tracing-idle', describe: '1% timing + tracing, no active span', kind: 'telemetry' },
];

let contextManager: AsyncLocalStorageContextManager | null = null;

/** Registers the context manager OTLP registers, once per process (a second registration is refused). */
function registerContextManager(): void {
  if (contextManager !== null) return;
  contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
}

/** The system options of a joerl contender. */
export function contenderOptions(label: string): ActorSystemOptions {
  switch (label) {
    case 'joerl':
      return { logger: null };
    case 'telemetry-default':
      // What `start()` and a bare createTelemetry() give: counters, 1% timing, the event-loop monitor.
      return { logger: null, instrumentation: createTelemetry() };
    case 'telemetry-1':
      return { logger: null, instrumentation: createTelemetry({ sampling: { timing: 0.01 }, eventLoop: false }) };
    case 'telemetry-100':
      return { logger: null, instrumentation: createTelemetry({ sampling: { timing: 1 }, eventLoop: false }) };
    case 'tracing-idle':
      // What choosing otlp or datadog sets up: tracing on, an AsyncLocalStorage context manager
      // registered (each worker is a fresh process). No span is ever active and none is sampled:
      // the cost measured is that of tracing being on, against telemetry-1 and telemetry off.
      registerContextManager();
      return { logger: null, instrumentation: createTelemetry({ sampling: { timing: 0.01 }, tracing: true, eventLoop: false }) };
    default:
      throw new Error(`unknown joerl contender '${label}'`);
  }
}
