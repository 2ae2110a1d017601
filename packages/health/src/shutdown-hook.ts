/**
 * Graceful shutdown on a signal, as Kubernetes does it: SIGTERM, then (after
 * `terminationGracePeriodSeconds`) SIGKILL. Readiness turns 503 first so load balancers stop
 * sending traffic, the system drains for a while, then stops.
 *
 * @module
 */
import { consoleLogger, formatValue, InvalidConfigError, type Logger } from '@joerl/core';

/**
 * Options of {@link SystemHealth.drainAndShutdown}.
 *
 * @example
 * ```ts
 * await health.drainAndShutdown({ drainMs: 10_000, timeoutMs: 5000 });
 * ```
 * @since 0.1.0
 */
export interface DrainOptions {
  /**
   * How long readiness answers 503 before the system stops, ms (default 5000): long enough for
   * endpoints and load balancers to stop routing here. Keep drain + shutdown under the pod's
   * `terminationGracePeriodSeconds` (30 s by default).
   */
  readonly drainMs?: number;
  /** The `timeoutMs` of `system.shutdown()` (default core's, 5000 ms). */
  readonly timeoutMs?: number;
}

/**
 * Options of {@link SystemHealth.installShutdownHook}.
 *
 * @example
 * ```ts
 * health.installShutdownHook({ signals: ['SIGTERM'], drainMs: 10_000 });
 * ```
 * @since 0.1.0
 */
export interface ShutdownHookOptions extends DrainOptions {
  /** The signals that start it (default `['SIGTERM', 'SIGINT']`). */
  readonly signals?: readonly NodeJS.Signals[];
  /**
   * Whether to `process.exit()` once the system stopped (default true: 0, or 1 if shutting
   * down failed). A signal handler replaces Node's default exit, so without this the process
   * lives on as long as anything (an HTTP server, a pool) keeps it alive.
   */
  readonly exit?: boolean;
  /** Where a failed shutdown is reported (default core's console logger; null for silence). */
  readonly logger?: Logger | null;
}

/** @internal Checks drain options, returning the drain time. */
export function checkDrainOptions(options: DrainOptions): number {
  if (typeof options !== 'object' || options === null) throw new InvalidConfigError('shutdown options', options, 'an object { drainMs?, timeoutMs? }');
  const drainMs = options.drainMs ?? 5000;
  if (typeof drainMs !== 'number' || !(drainMs >= 0) || !Number.isFinite(drainMs)) {
    throw new InvalidConfigError('drainMs', drainMs, 'a non-negative, finite number of milliseconds');
  }
  return drainMs;
}

/**
 * @internal Runs `shutdown` on the first of `signals` (later ones are ignored: it is already
 * under way), then exits if asked. Returns the function that removes the handlers.
 */
export function onSignals(options: ShutdownHookOptions, shutdown: () => Promise<void>): () => void {
  checkDrainOptions(options);
  const signals: readonly NodeJS.Signals[] = options.signals ?? ['SIGTERM', 'SIGINT'];
  if (!isSignalList(signals)) {
    throw new InvalidConfigError('signals', signals, "a non-empty array of signal names, e.g. ['SIGTERM', 'SIGINT']");
  }
  const exit = options.exit ?? true;
  const logger = options.logger === undefined ? consoleLogger : options.logger;
  let started = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (started) return;
    started = true;
    shutdown().then(
      () => {
        if (exit) process.exit(0);
      },
      (error: unknown) => {
        logger?.error(`shutdown after ${signal} failed: ${formatValue(error)}`, { error });
        if (exit) process.exit(1);
      },
    );
  };
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}

/** Not a type guard on purpose: narrowing with Array.isArray would widen the list to any[]. */
function isSignalList(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && value.every((s) => typeof s === 'string' && s.startsWith('SIG'));
}
