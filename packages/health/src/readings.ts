/**
 * Where the runtime measurements health compares with thresholds come from: the V8 heap, and
 * telemetry's event-loop delay. Injectable, as time is, so tests can drive them.
 *
 * @module
 */
import { getHeapStatistics } from 'node:v8';
import type { Telemetry } from '@joerl/telemetry';

/**
 * The V8 heap: bytes used, and the most it may grow to.
 *
 * @example
 * ```ts
 * const heap: HeapReading = { usedBytes: 900e6, limitBytes: 1e9 }; // 90 %
 * ```
 * @since 0.1.0
 */
export interface HeapReading {
  readonly usedBytes: number;
  /** `v8.getHeapStatistics().heap_size_limit`: where the process dies of "heap out of memory". */
  readonly limitBytes: number;
}

/** Fewer samples than this and a p99 is just the maximum of a handful: not worth judging. */
const MIN_LOOP_SAMPLES = 100;

/**
 * Runtime readings. Defaults: `heap()` from `v8.getHeapStatistics()`; `eventLoopP99Ms()` from
 * `telemetry.eventLoopDelay()` (null without telemetry, with its monitor off, or before it took
 * 100 samples: about a second at its default 10 ms resolution).
 *
 * @example
 * ```ts
 * // in a test: a heap at 96 % of its limit
 * new SystemHealth({ system, readings: { heap: () => ({ usedBytes: 96, limitBytes: 100 }) } });
 * ```
 * @since 0.1.0
 */
export interface RuntimeReadings {
  heap(): HeapReading;
  /** p99 event-loop delay over the last window, ms; null when unknown. */
  eventLoopP99Ms(): number | null;
}

/** @internal The readings a SystemHealth uses: the injected ones, else the defaults. */
export function runtimeReadings(telemetry: Telemetry | null, injected: Partial<RuntimeReadings> = {}): RuntimeReadings {
  return {
    heap: injected.heap ?? v8Heap,
    eventLoopP99Ms:
      injected.eventLoopP99Ms ??
      (() => {
        if (telemetry === null) return null;
        const delay = telemetry.eventLoopDelay();
        return delay.samples < MIN_LOOP_SAMPLES ? null : delay.p99 * 1000;
      }),
  };
}

function v8Heap(): HeapReading {
  const s = getHeapStatistics();
  return { usedBytes: s.used_heap_size, limitBytes: s.heap_size_limit };
}
