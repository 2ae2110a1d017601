/** Timing helpers: runs alternate between contenders so drift hits both alike; medians are reported. */

import type { Result } from './scenario.js';

/** Units per second of one run; the run's cleanup (e.g. a system shutdown) is not timed. */
export async function timeRun(run: () => Promise<Result & { readonly count: number }>): Promise<number> {
  const t0 = performance.now();
  const { count, cleanup } = await run();
  const seconds = (performance.now() - t0) / 1000;
  if (cleanup !== undefined) await cleanup();
  return count / seconds;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g !== undefined) {
    g();
    g();
  }
}

export function fmt(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}
