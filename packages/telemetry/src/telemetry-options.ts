/**
 * The options of a telemetry instance, and how they are checked.
 *
 * @module
 */
import { InvalidConfigError, type Logger } from '@joerl/core';
import { CATALOG, type MetricDef } from './catalog.js';
import type { TelemetryProvider } from './provider.js';
import type { EventLoopOptions } from './runtime.js';
import type { MetricFamily } from './snapshot.js';
import type { TracingOptions } from './tracing.js';
import type { BucketOverrides } from './type-stats.js';

/** Sampling rates, each 0..1. */
export interface SamplingRates {
  /** Messages timed for processing duration and queue wait (default 0.01: one in a hundred). */
  readonly timing?: number;
  /** GenServer/GenStatem calls timed for latency (default 1: every call). */
  readonly calls?: number;
  /**
   * Sends and calls made *outside* any trace that start a new one (default 0). A send inside a
   * trace carries it on, for up to `tracing.maxHops` hops. Every span a trace started this way
   * adds gives up one later sample, so these traces cost about this rate of the messages sent.
   */
  readonly spans?: number;
}

/**
 * Options of {@link createTelemetry}.
 * @since 0.1.0
 */
export interface TelemetryOptions {
  readonly sampling?: SamplingRates;
  /** Trace through `@opentelemetry/api` (default off: no context lookups at all). `true` uses the global tracer. */
  readonly tracing?: boolean | TracingOptions;
  /** Actors that exit sooner than this count as short-lived (default 1000 ms). */
  readonly shortLivedMs?: number;
  /** Most distinct values a label (actor type, state, event, child type) takes before folding into `(other)` (default 200). */
  readonly labelCap?: number;
  /** Histogram bucket overrides, by metric name (upper bounds in seconds, ascending). */
  readonly buckets?: BucketOverrides;
  /** Bytes a queued message is estimated at, for the mailbox memory gauges (default 64). */
  readonly messageBytes?: number;
  /** Event-loop delay monitoring (default on, 10 ms resolution; a 10 s window for {@link Telemetry.eventLoopDelay}); `false` turns it off. */
  readonly eventLoop?: EventLoopOptions | false;
  /** Providers to start with. */
  readonly providers?: readonly TelemetryProvider[];
  /** Where provider errors are reported (default the console; `null` for silence). */
  readonly logger?: Logger | null;
}

/**
 * Metrics from outside the catalog, read at collect time.
 * @since 0.1.0
 */
export interface MetricSource {
  /** A short name for error messages. */
  readonly name: string;
  /** The metrics it reports (names must not clash with the catalog). */
  readonly defs: readonly MetricDef[];
  /** Their current samples, one family per def. */
  collect(): MetricFamily[];
}

/** Options of {@link Telemetry.collect}. */
export interface CollectOptions {
  /** Reuse the previous snapshot if it is at most this old, ms (default 0: always fresh). */
  readonly maxAgeMs?: number;
}

/** @internal a positive, finite number, or an error naming the setting */
export function positive(value: number, setting: string, expected: string): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw new InvalidConfigError(setting, value, expected);
  return value;
}

/** @internal histogram bucket overrides, checked against the catalog */
export function checkBuckets(buckets: BucketOverrides): BucketOverrides {
  if (typeof buckets !== 'object' || buckets === null) throw new InvalidConfigError('buckets', buckets, 'an object of metric name to bucket bounds');
  for (const [name, bounds] of Object.entries(buckets)) {
    const def = CATALOG.find((m) => m.name === name);
    if (def === undefined || def.kind !== 'histogram') {
      const histograms = CATALOG.filter((m) => m.kind === 'histogram').map((m) => m.name);
      throw new InvalidConfigError(`buckets.${name}`, name, `the name of a histogram: ${histograms.join(', ')}`);
    }
    if (!Array.isArray(bounds) || bounds.length === 0 || bounds.some((b, i) => typeof b !== 'number' || !(b > 0) || !Number.isFinite(b) || (i > 0 && b <= (bounds[i - 1] as number)))) {
      throw new InvalidConfigError(`buckets.${name}`, bounds, 'a non-empty array of positive, finite, strictly ascending upper bounds in seconds');
    }
  }
  return buckets;
}
