/** The joerl configurations measured against the baseline (and against each other). */
import type { ActorSystemOptions } from '@joerl/core';
import { createTelemetry } from '@joerl/telemetry';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

export interface Contender {
  readonly label: string;
  readonly describe: string;
}

export const contenders: readonly Contender[] = [
  { label: 'joerl', describe: 'telemetry off' },
  { label: 'telemetry-1', describe: 'counters + 1% timing' },
  { label: 'telemetry-100', describe: 'counters + 100% timing' },
  { label: 'tracing-idle', describe: '1% timing + tracing, no active span' },
];

let contextManager: AsyncLocalStorageContextManager | null = null;

/** Registers the context manager OTLP registers, once per process (a second registration is refused). */
function registerContextManager(): void {
  if (contextManager !== null) return;
  contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
}

export function contenderOptions(label: string): ActorSystemOptions {
  switch (label) {
    case 'joerl':
      return { logger: null };
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
      throw new Error(`unknown contender '${label}'`);
  }
}
