/**
 * Whether a heap stays flat: the least-squares slope of post-GC heap samples taken after the
 * warm-up, projected over the window they cover. A leak grows the heap steadily and shows as a
 * slope; GC noise and a heap that settles do not. "Flat" means the projected growth is at most
 * `max(absoluteLimit, relativeLimit × median heap)` (defaults 1 MiB and 5%).
 */

export interface HeapSample {
  /** Seconds since the soak started. */
  readonly seconds: number;
  /** `heapUsed` right after a full GC. */
  readonly bytes: number;
}

export interface HeapTrend {
  readonly samples: number;
  /** Least-squares slope, bytes per minute. */
  readonly bytesPerMinute: number;
  /** The slope over the window the samples cover: how much the heap grew, noise removed. */
  readonly growthBytes: number;
  readonly medianBytes: number;
  /** The most growth still called flat. */
  readonly limitBytes: number;
  readonly flat: boolean;
}

export interface FlatLimits {
  readonly absoluteBytes?: number;
  readonly relative?: number;
}

/** The trend of `samples` (at least 3, taken after the warm-up). */
export function heapTrend(samples: readonly HeapSample[], limits: FlatLimits = {}): HeapTrend {
  if (samples.length < 3) throw new Error(`a heap trend needs at least 3 samples after the warm-up, got ${samples.length}: soak longer`);
  const n = samples.length;
  let mt = 0;
  let mb = 0;
  for (const s of samples) {
    mt += s.seconds / n;
    mb += s.bytes / n;
  }
  let cov = 0;
  let varT = 0;
  for (const s of samples) {
    cov += (s.seconds - mt) * (s.bytes - mb);
    varT += (s.seconds - mt) ** 2;
  }
  const perSecond = varT === 0 ? 0 : cov / varT;
  const first = samples[0] as HeapSample;
  const last = samples[n - 1] as HeapSample;
  const growthBytes = perSecond * (last.seconds - first.seconds);
  const sorted = samples.map((s) => s.bytes).sort((a, b) => a - b);
  const medianBytes = sorted[n >> 1] as number;
  const limitBytes = Math.max(limits.absoluteBytes ?? 1024 * 1024, (limits.relative ?? 0.05) * medianBytes);
  return { samples: n, bytesPerMinute: perSecond * 60, growthBytes, medianBytes, limitBytes, flat: growthBytes <= limitBytes };
}
