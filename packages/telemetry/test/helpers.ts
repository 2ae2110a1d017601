import { ActorSystem, TestClock } from '@joerl/core';
import { InMemoryProvider, createTelemetry, type TelemetryOptions } from '../src/index.js';

export { deferred, hostileValue, spawnProbe, within } from '@joerl/test-utils';

/** A system with telemetry (every timing sampled unless said otherwise), a test clock and an in-memory provider. */
export function instrumented(options: TelemetryOptions = {}) {
  const clock = new TestClock(1000);
  const memory = new InMemoryProvider({ messages: true });
  const telemetry = createTelemetry({
    sampling: { timing: 1, calls: 1 },
    eventLoop: false,
    logger: null,
    ...options,
    providers: [memory, ...(options.providers ?? [])],
  });
  const system = new ActorSystem({ instrumentation: telemetry, clock, logger: null });
  return { clock, memory, telemetry, system };
}
