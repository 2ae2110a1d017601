/**
 * The options of {@link observer}, checked once, with their defaults.
 *
 * @module
 */
import { ActorSystem, InvalidConfigError } from '@joerl/core';
import { Telemetry } from '@joerl/telemetry';
import type { ClusterSource } from './cluster-view.js';
import { type Redact, defaultRedact } from './message-trace.js';

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
  /**
   * What a message trace may show of each traced payload (its result is formatted as bounded
   * text). Default {@link defaultRedact}: only the message's tag (`kind`) or its JavaScript type.
   * Return the message itself to show it all.
   */
  readonly redact?: Redact;
  /**
   * The cluster this system is a node of (`@joerl/cluster`'s `Cluster`, from `joinCluster`):
   * the page then lists the nodes with their status and shows any node's views, read through
   * the observer of that node (each node runs its own). Actions act on this node only.
   */
  readonly cluster?: ClusterSource;
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
  readonly redact: Redact;
  readonly cluster: ClusterSource | null;
}

/** Loopback host names, the default of `allowedHosts`. */
export const LOOPBACK_HOSTS: readonly string[] = Object.freeze(['127.0.0.1', 'localhost', '[::1]']);

/** @internal */
export function resolveOptions(options: ObserverOptions, randomToken: () => string): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidConfigError('observer options', options, 'an object with system and telemetry');
  // Options may be anything (a revoked Proxy, throwing getters): every read and test is guarded.
  const get = <K extends keyof ObserverOptions>(key: K): ObserverOptions[K] => {
    try {
      return options[key];
    } catch {
      throw new InvalidConfigError(key, '(unreadable)', 'a readable option');
    }
  };
  const check = (setting: string, value: unknown, expected: string, ok: (v: unknown) => boolean): void => {
    let passed: boolean;
    try {
      passed = ok(value);
    } catch {
      passed = false;
    }
    if (!passed) throw new InvalidConfigError(setting, value, expected);
  };
  const system = get('system');
  check('system', system, 'an ActorSystem', (v) => v instanceof ActorSystem);
  const telemetry = get('telemetry');
  check('telemetry', telemetry, 'the Telemetry instrumenting the system', (v) => v instanceof Telemetry);
  const health = get('health') ?? null;
  check('health', health, 'an object with check()', (v) => v === null || (typeof v === 'object' && typeof (v as HealthSource).check === 'function'));
  const actions = get('actions') ?? false;
  check('actions', actions, 'a boolean', (v) => typeof v === 'boolean');
  const token = get('token') ?? randomToken();
  check('token', token, 'at least 16 printable ASCII characters', (v) => typeof v === 'string' && v.length >= 16 && v.length <= 512 && /^[\x21-\x7e]+$/.test(v));
  const rate = get('updatesPerSecond') ?? 1;
  check('updatesPerSecond', rate, 'a number in (0, 4]', (v) => typeof v === 'number' && v > 0 && v <= 4);
  const maxClients = get('maxClients') ?? 16;
  check('maxClients', maxClients, 'an integer from 1 to 1024', (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 1024);
  const hosts: readonly unknown[] = get('allowedHosts') ?? LOOPBACK_HOSTS;
  check('allowedHosts', hosts, 'an array of host names', (v) => Array.isArray(v) && v.length <= 100 && v.every((h) => typeof h === 'string' && h.length > 0));
  const log = get('log') ?? ((line: string) => console.info(line));
  check('log', log, 'a function', (v) => typeof v === 'function');
  const redact = get('redact') ?? defaultRedact;
  check('redact', redact, 'a function (traced message) => what to show', (v) => typeof v === 'function');
  const cluster = get('cluster') ?? null;
  check('cluster', cluster, "a cluster from @joerl/cluster's joinCluster (node() and stats())", (v) => v === null || (typeof v === 'object' && typeof (v as ClusterSource).node === 'function' && typeof (v as ClusterSource).stats === 'function'));
  return {
    system,
    telemetry,
    health: health,
    actions: actions,
    token: token,
    intervalMs: Math.round(1000 / (rate)),
    maxClients: maxClients,
    allowedHosts: new Set((hosts as string[]).map((h) => h.toLowerCase())),
    log: log,
    redact: redact,
    cluster: cluster,
  };
}
