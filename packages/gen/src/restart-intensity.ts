/**
 * Restart intensity: how many restarts a supervisor allows within a period before it gives up.
 *
 * @module
 */
import { type Clock, InvalidConfigError, type SupervisorProbe } from '@joerl/core';

/**
 * OTP's default intensity: 1 restart (within {@link DEFAULT_PERIOD_MS}). joerl claims OTP's
 * semantics, so it takes OTP's `supervisor` defaults rather than Elixir's (3 in 5 s): a child
 * that crashes twice within 5 s takes its supervisor down, and the failure moves up the tree.
 * Set `intensity` for children that are expected to crash more often.
 *
 * @example
 * ```ts
 * Supervisor.start(system, { strategy: 'one_for_one', children }); // intensity DEFAULT_INTENSITY in DEFAULT_PERIOD_MS
 * ```
 * @since 0.1.0
 */
export const DEFAULT_INTENSITY = 1;
/**
 * OTP's default restart period: 5 seconds.
 *
 * @example
 * ```ts
 * Supervisor.start(system, { strategy: 'one_for_one', intensity: 10, periodMs: DEFAULT_PERIOD_MS, children });
 * ```
 * @since 0.1.0
 */
export const DEFAULT_PERIOD_MS = 5000;

/**
 * @internal The restart window of one supervisor, and its instrumentation probe.
 *
 * As OTP's supervisor, a restart at time `t` counts while `now - t <= periodMs`; the restart
 * that makes the count exceed `intensity` is refused (with intensity 3, the 4th restart within
 * the window shuts the supervisor down).
 */
export class RestartIntensity implements SupervisorProbe {
  readonly strategy: string;
  readonly intensity: number;
  readonly periodMs: number;
  private readonly clock: Clock;
  private restarts: number[] = [];

  constructor(strategy: string, intensity: number | undefined, periodMs: number | undefined, clock: Clock) {
    checkIntensity(intensity, periodMs);
    this.strategy = strategy;
    this.intensity = intensity ?? DEFAULT_INTENSITY;
    this.periodMs = periodMs === undefined ? DEFAULT_PERIOD_MS : periodMs;
    this.clock = clock;
  }

  /** Counts one restart; false if it exceeds the intensity (the supervisor must give up). */
  add(): boolean {
    const now = this.clock.now();
    this.prune(now);
    this.restarts.push(now);
    return this.restarts.length <= this.intensity;
  }

  /** Restarts within the current window divided by the intensity. */
  intensityUsage(): number {
    this.prune(this.clock.now());
    const n = this.restarts.length;
    if (this.intensity === 0) return n > 0 ? 1 : 0;
    return n / this.intensity;
  }

  private prune(now: number): void {
    const threshold = now - this.periodMs;
    let drop = 0;
    while (drop < this.restarts.length && (this.restarts[drop] as number) < threshold) drop++;
    if (drop > 0) this.restarts = this.restarts.slice(drop);
  }
}

/**
 * @internal Validates intensity settings, throwing InvalidConfigError. The period may be any
 * positive number of milliseconds, 2^31 and more included (it is compared with the clock, not
 * armed as a timer); `Infinity` is refused: every restart would count forever.
 */
export function checkIntensity(intensity: number | undefined, periodMs: number | undefined): void {
  // Only `undefined` means "the default": a `null` is a mistake to report, not a default to pick.
  const i = intensity === undefined ? DEFAULT_INTENSITY : intensity;
  const p = periodMs === undefined ? DEFAULT_PERIOD_MS : periodMs;
  if (!Number.isInteger(i) || i < 0) throw new InvalidConfigError('supervisor intensity', i, 'a non-negative integer (restarts allowed within periodMs)');
  if (typeof p !== 'number' || !(p > 0) || !Number.isFinite(p)) throw new InvalidConfigError('supervisor periodMs', p, 'a positive, finite number of milliseconds');
}
