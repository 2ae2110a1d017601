import { fc, test } from '@fast-check/vitest';
import { ActorSystem, TestClock } from '@joerl/core';
import { describe, expect, vi } from 'vitest';
import { createTelemetry, type TelemetryProvider } from '../src/index.js';
import { hostileValue } from './helpers.js';

describe('telemetry facing hostile values', () => {
  test.prop([hostileValue, fc.boolean()], { numRuns: 60 })(
    'a provider or metric source that throws anything is counted and logged; actors keep running',
    async (hostile, logged) => {
      const warn = vi.fn();
      const provider: TelemetryProvider = {
        name: 'hostile',
        onActorSpawned() {
          throw hostile.make();
        },
        onMessageReceived() {
          throw hostile.make();
        },
      };
      const telemetry = createTelemetry({
        eventLoop: false,
        sampling: { timing: 1 },
        providers: [provider],
        logger: logged ? { warn, error: warn } : null,
      });
      telemetry.addMetricSource({
        name: 'hostile-source',
        defs: [],
        collect() {
          throw hostile.make();
        },
      });
      const system = new ActorSystem({ instrumentation: telemetry, clock: new TestClock(), logger: null });
      const seen: number[] = [];
      const ref = system.spawn<number>((n) => void seen.push(n), { type: 'worker' });
      for (let i = 0; i < 5; i++) ref.send(i);
      await system.idle();
      expect(seen).toEqual([0, 1, 2, 3, 4]);
      expect(() => telemetry.collect()).not.toThrow();
      expect(telemetry.value('joerl_telemetry_provider_errors_total', { provider: 'hostile' })).toBeGreaterThan(0);
      for (const call of warn.mock.calls) expect(typeof call[0]).toBe('string');
      await system.shutdown();
    },
  );
});
