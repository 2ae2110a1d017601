/**
 * The options of {@link observer}, checked once, with their defaults.
 *
 * @module
 */
import { type ActorSystem, InvalidConfigError } from '@joerl/core';
import type { Telemetry } from '@joerl/telemetry';

/** Where action log lines go (default `console.info`). */
export type ActionLog = (line: string) => void;

/**
 * A health source, shaped like `@joerl/health`'s `SystemHealth` (only `check()` is read).
 * @since 0.1.0
 */
export interface HealthSource {
  check(): Promise<{ readonly status: string }>;
}

/**
 * Options of {@link observer}.
 * @since 0.1.0
 */
export interface ObserverOptions {
  readonly system: ActorSystem;
  /** The telemetry instrumenting `system` (it knows supervisors and state machines). */
  readonly telemetry: Telemetry;
  /** Shown in the overview when given. */
  readonly health?: HealthSource;
  /**
   * Allow actions (kill or exit an actor, restart or terminate a supervisor's child). Off by
   * default: the observer is read-only. When on, each action needs {@link Observer.token}.
   */
  readonly actions?: boolean;
  /** The action token (default: 32 random bytes, hex). */
  readonly token?: string;
  /** Live updates per second over Server-Sent Events (default 1; at most 4). */
  readonly updatesPerSecond?: number;
  /** Live-update connections served at once (default 16); more get 503. */
  readonly maxClients?: number;
  /** Host header values accepted (default loopback: `127.0.0.1`, `localhost`, `[::1]`, any port). */
  readonly allowedHosts?: readonly string[];
  /** Where actions are logged (default `console.info`). */
  readonly log?: ActionLog;
}

/** @internal the checked options */
export interface ResolvedOptions {
  readonly system: ActorSystem;
  readonly telemetry: Telemetry;
  readonly health: HealthSource | null;
  readonly actions: boolean;
  readonly token: string;
  readonly intervalMs: number;
  readonly maxClients: number;
  readonly allowedHosts: ReadonlySet<string>;
  readonly log: ActionLog;
}

/** Loopback host names, the default of `allowedHosts`. */
export const LOOPBACK_HOSTS: readonly string[] = Object.freeze(['127.0.0.1', 'localhost', '[::1]']);

/** @internal */
export function resolveOptions(options: ObserverOptions, randomToken: () => string): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidConfigError('observer options', options, 'an object with system and telemetry');
  const { system, telemetry } = options;
  if (typeof system !== 'object' || system === null || typeof system.handles !== 'function') {
    throw new InvalidConfigError('system', system, 'an ActorSystem');
  }
  if (typeof telemetry !== 'object' || telemetry === null || typeof telemetry.collect !== 'function') {
    throw new InvalidConfigError('telemetry', telemetry, 'the Telemetry instrumenting the system');
  }
  const health = options.health ?? null;
  if (health !== null && (typeof health !== 'object' || typeof health.check !== 'function')) {
    throw new InvalidConfigError('health', health, 'an object with check()');
  }
  const actions = options.actions ?? false;
  if (typeof actions !== 'boolean') throw new InvalidConfigError('actions', actions, 'a boolean');
  const token = options.token ?? randomToken();
  if (typeof token !== 'string' || token.length < 16 || !/^[\x21-\x7e]+$/.test(token)) {
    throw new InvalidConfigError('token', token, 'at least 16 printable ASCII characters');
  }
  const rate = options.updatesPerSecond ?? 1;
  if (typeof rate !== 'number' || !(rate > 0) || rate > 4) throw new InvalidConfigError('updatesPerSecond', rate, 'a number in (0, 4]');
  const maxClients = options.maxClients ?? 16;
  if (!Number.isInteger(maxClients) || maxClients < 1 || maxClients > 1024) {
    throw new InvalidConfigError('maxClients', maxClients, 'an integer from 1 to 1024');
  }
  const hosts: readonly unknown[] = options.allowedHosts ?? LOOPBACK_HOSTS;
  if (!Array.isArray(hosts) || !hosts.every((h): h is string => typeof h === 'string' && h.length > 0)) {
    throw new InvalidConfigError('allowedHosts', hosts, 'an array of host names');
  }
  const log = options.log ?? ((line: string) => console.info(line));
  if (typeof log !== 'function') throw new InvalidConfigError('log', log, 'a function');
  return {
    system,
    telemetry,
    health,
    actions,
    token,
    intervalMs: Math.round(1000 / rate),
    maxClients,
    allowedHosts: new Set(hosts.map((h) => h.toLowerCase())),
    log,
  };
}
