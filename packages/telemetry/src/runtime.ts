/**
 * Node.js runtime readings an actor system on one event loop lives or dies by: event-loop delay
 * (cumulative, as a fixed-bucket histogram for metrics; over a rolling window, for health
 * checks), and process memory.
 *
 * @module
 */
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { Histogram } from './histogram.js';

/** Event-loop delay over one window, in seconds. */
export interface EventLoopDelay {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Samples the window holds (0 before the monitor has measured anything). */
  readonly samples: number;
}

/** Options of the event-loop monitor. */
export interface EventLoopOptions {
  /** Sampling resolution of `monitorEventLoopDelay`, ms (default 10). */
  readonly resolutionMs?: number;
  /** Length of the window the quantiles of `eventLoopDelay()` cover, ms (default 10,000); the metric is cumulative. */
  readonly windowMs?: number;
}

/** Process memory, in bytes. */
export interface MemoryReading {
  readonly rss: number;
  /** The most the heap may grow to (`v8.getHeapStatistics().heap_size_limit`). */
  readonly heapLimit: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

// Captured at load: fake timers installed by tests must not stop the window from rolling.
const realSetInterval = globalThis.setInterval;
const realClearInterval = globalThis.clearInterval;

/**
 * Rolls an event-loop delay histogram every window and keeps the last full window;
 * reads memory at most once a second.
 */
export class RuntimeMonitor {
  private histogram: IntervalHistogram | null = null;
  /** a second monitor, folded into `delays` at each read and then reset */
  private unfolded: IntervalHistogram | null = null;
  /** the event-loop delay metric, cumulative since start */
  readonly delays: Histogram;
  private timer: ReturnType<typeof setInterval> | null = null;
  private last: EventLoopDelay = { p50: 0, p99: 0, max: 0, samples: 0 };
  private memoryAt = -Infinity;
  private resolutionNs = 0;
  private readonly heapLimit = getHeapStatistics().heap_size_limit;
  private memory: MemoryReading | null = null;

  constructor(delayBuckets: readonly number[]) {
    this.delays = new Histogram(delayBuckets);
  }

  start(options: EventLoopOptions): void {
    if (this.histogram !== null) return;
    const resolution = options.resolutionMs ?? 10;
    this.resolutionNs = resolution * 1e6;
    const windowMs = options.windowMs ?? 10_000;
    this.histogram = monitorEventLoopDelay({ resolution });
    this.histogram.enable();
    this.unfolded = monitorEventLoopDelay({ resolution });
    this.unfolded.enable();
    this.timer = realSetInterval(() => this.roll(), windowMs);
    this.timer.unref();
  }

  stop(): void {
    this.histogram?.disable();
    this.histogram = null;
    this.foldDelays();
    this.unfolded?.disable();
    this.unfolded = null;
    if (this.timer !== null) realClearInterval(this.timer);
    this.timer = null;
  }

  /** The last full window, or the current partial one while none has completed. */
  eventLoopDelay(): EventLoopDelay {
    if (this.last.samples > 0 || this.histogram === null) return this.last;
    return read(this.histogram, this.resolutionNs);
  }

  /** The cumulative delay histogram, brought up to date. */
  delayHistogram(): Histogram {
    this.foldDelays();
    return this.delays;
  }

  private foldDelays(): void {
    if (this.unfolded === null) return;
    fold(this.unfolded, this.resolutionNs, this.delays);
    this.unfolded.reset();
  }

  memoryUsage(): MemoryReading {
    const now = Date.now();
    if (this.memory === null || now - this.memoryAt >= 1000) {
      const m = process.memoryUsage();
      this.memory = { rss: m.rss, heapLimit: this.heapLimit, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
      this.memoryAt = now;
    }
    return this.memory;
  }

  private roll(): void {
    if (this.histogram === null) return;
    this.last = read(this.histogram, this.resolutionNs);
    this.histogram.reset();
  }
}

/**
 * The histogram records the time between its timer's ticks, in nanoseconds: the resolution plus
 * the delay. Subtracting the resolution leaves the delay (an idle loop reads ~0, not ~10 ms).
 */
/** @internal */
export function read(h: Pick<IntervalHistogram, 'count' | 'percentile' | 'max'>, resolutionNs: number): EventLoopDelay {
  const samples = h.count;
  if (samples === 0) return { p50: 0, p99: 0, max: 0, samples: 0 };
  const delay = (ns: number) => Math.max(0, ns - resolutionNs) / 1e9;
  return { p50: delay(h.percentile(50)), p99: delay(h.percentile(99)), max: delay(h.max), samples };
}

/**
 * @internal Adds what `h` recorded to the fixed-bucket `into`: a value counts below a bound when
 * the highest percentile whose value (less the resolution) is at most that bound says so. The
 * native histogram keeps 1% precision, so a bucket count is off by at most a rounding.
 */
export function fold(h: Pick<IntervalHistogram, 'count' | 'percentiles' | 'mean'>, resolutionNs: number, into: Histogram): void {
  const count = h.count;
  if (count === 0) return;
  const points = [...h.percentiles].sort((a, b) => a[0] - b[0]);
  const bounds = into.bounds;
  let below = 0;
  let p = 0;
  for (let i = 0; i < bounds.length; i++) {
    const limitNs = (bounds[i] as number) * 1e9 + resolutionNs;
    while (p < points.length && (points[p] as [number, number])[1] <= limitNs) p++;
    const share = p === 0 ? 0 : (points[p - 1] as [number, number])[0] / 100;
    const upTo = Math.round(count * share);
    into.counts[i] = (into.counts[i] as number) + (upTo - below);
    below = upTo;
  }
  const last = into.counts.length - 1;
  into.counts[last] = (into.counts[last] as number) + (count - below);
  into.count += count;
  into.sum += (Math.max(0, h.mean - resolutionNs) * count) / 1e9;
}
