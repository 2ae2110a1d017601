/**
 * `start()`'s configuration: options in code, with `JOERL_*` environment variables filling in
 * whatever the code leaves unset. Everything is validated before anything starts, and a bad
 * value fails with one message naming the setting (option path or variable).
 *
 * @module
 */
import { InvalidConfigError } from '@joerl/core';

/** The backends `start()` can pick. */
export const BACKENDS = ['prometheus', 'otlp', 'statsd', 'datadog'] as const;
/** One of {@link BACKENDS}. */
export type BackendName = (typeof BACKENDS)[number];

/** Environment variables `start()` reads. */
export const ENV = Object.freeze({
  telemetry: 'JOERL_TELEMETRY',
  timing: 'JOERL_SAMPLING_TIMING',
  calls: 'JOERL_SAMPLING_CALLS',
  spans: 'JOERL_SAMPLING_SPANS',
  prometheusPort: 'JOERL_PROMETHEUS_PORT',
  prometheusHost: 'JOERL_PROMETHEUS_HOST',
  health: 'JOERL_HEALTH',
  healthPort: 'JOERL_HEALTH_PORT',
  healthHost: 'JOERL_HEALTH_HOST',
  observer: 'JOERL_OBSERVER',
  observerPort: 'JOERL_OBSERVER_PORT',
  observerHost: 'JOERL_OBSERVER_HOST',
});

/** A value and where it came from (an option path or an environment variable), for error messages. */
export interface Sourced<T> {
  readonly value: T;
  readonly setting: string;
}

/** @internal */
export interface ResolvedConfig {
  readonly backends: Sourced<readonly BackendName[]>;
  readonly sampling: { readonly timing?: number; readonly calls?: number; readonly spans?: number };
  readonly prometheus: { readonly port: Sourced<number>; readonly host: Sourced<string> };
  readonly health: { readonly enabled: boolean; readonly port: Sourced<number>; readonly host: Sourced<string> };
  readonly observer: { readonly enabled: boolean; readonly port: Sourced<number>; readonly host: Sourced<string> };
}

type Env = Readonly<Record<string, string | undefined>>;

/** The default port of the Prometheus endpoint (OpenTelemetry's Prometheus exporter uses it too). */
export const DEFAULT_PROMETHEUS_PORT = 9464;
/** The default port of the health probes. */
export const DEFAULT_HEALTH_PORT = 9465;
/** The default port of the observer's web UI. */
export const DEFAULT_OBSERVER_PORT = 9466;

/** @internal */
export function resolveConfig(
  options: {
    readonly telemetry?: { readonly backends?: readonly string[]; readonly sampling?: { timing?: number; calls?: number; spans?: number } };
    readonly prometheus?: { readonly port?: number; readonly host?: string };
    readonly health?: false | { readonly port?: number; readonly host?: string };
    readonly observer?: boolean | { readonly port?: number; readonly host?: string };
  },
  env: Env,
): ResolvedConfig {
  const backends = resolveBackends(options.telemetry?.backends, env);
  const sampling: { timing?: number; calls?: number; spans?: number } = {};
  for (const key of ['timing', 'calls', 'spans'] as const) {
    const fromCode = options.telemetry?.sampling?.[key];
    const value = fromCode !== undefined ? rate(fromCode, `telemetry.sampling.${key}`) : envRate(env, ENV[key]);
    if (value !== undefined) sampling[key] = value;
  }
  // The variable is always checked; it decides only when the code says nothing about health.
  const envOff = isOff(env, ENV.health);
  const healthOff = options.health === false || (options.health === undefined && envOff);
  const healthOptions = options.health === false ? undefined : options.health;
  // The observer is off unless asked for: in code (true or options), or by the variable when the code says nothing.
  const envObserver = !isOff(env, ENV.observer) && env[ENV.observer] !== undefined && env[ENV.observer]?.trim() !== '';
  if (options.observer !== undefined && typeof options.observer !== 'boolean' && (typeof options.observer !== 'object' || options.observer === null)) {
    throw new InvalidConfigError('observer', options.observer, 'true, false, or the observer options { port?, host?, actions?, ... }');
  }
  const observerOn = options.observer === undefined ? envObserver : options.observer !== false;
  const observerOptions = typeof options.observer === 'object' ? options.observer : undefined;
  return {
    backends,
    sampling,
    prometheus: {
      port: port(options.prometheus?.port, 'prometheus.port', env, ENV.prometheusPort, DEFAULT_PROMETHEUS_PORT),
      host: host(options.prometheus?.host, 'prometheus.host', env, ENV.prometheusHost),
    },
    health: {
      enabled: !healthOff,
      port: port(healthOptions?.port, 'health.port', env, ENV.healthPort, DEFAULT_HEALTH_PORT),
      host: host(healthOptions?.host, 'health.host', env, ENV.healthHost),
    },
    observer: {
      enabled: observerOn,
      port: port(observerOptions?.port, 'observer.port', env, ENV.observerPort, DEFAULT_OBSERVER_PORT),
      host: host(observerOptions?.host, 'observer.host', env, ENV.observerHost),
    },
  };
}

function resolveBackends(fromCode: readonly string[] | undefined, env: Env): Sourced<readonly BackendName[]> {
  if (fromCode !== undefined) {
    if (!Array.isArray(fromCode)) throw new InvalidConfigError('telemetry.backends', fromCode, `an array of backend names: ${BACKENDS.join(', ')}`);
    return { value: fromCode.map((b, i) => backendName(b, `telemetry.backends[${i}]`)), setting: 'telemetry.backends' };
  }
  const raw = env[ENV.telemetry];
  if (raw === undefined || raw.trim() === '' || raw.trim() === 'none') return { value: [], setting: ENV.telemetry };
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return { value: names.map((b) => backendName(b, `${ENV.telemetry}=${raw}`)), setting: ENV.telemetry };
}

function backendName(value: unknown, setting: string): BackendName {
  if (typeof value !== 'string' || !(BACKENDS as readonly string[]).includes(value)) {
    throw new InvalidConfigError(setting, value, `one of ${BACKENDS.map((b) => `'${b}'`).join(', ')} (comma-separated in ${ENV.telemetry}, or 'none')`);
  }
  return value as BackendName;
}

function rate(value: unknown, setting: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new InvalidConfigError(setting, value, 'a sampling rate between 0 and 1 (e.g. 0.01 for 1%)');
  return value;
}

function envRate(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new InvalidConfigError(name, raw, 'a sampling rate between 0 and 1 (e.g. 0.01 for 1%)');
  return rate(n, `${name}=${raw}`);
}

function port(fromCode: number | undefined, option: string, env: Env, name: string, fallback: number): Sourced<number> {
  if (fromCode !== undefined) return { value: checkPort(fromCode, option), setting: option };
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return { value: fallback, setting: `${option} (or ${name})` };
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim())) throw new InvalidConfigError(name, raw, 'a port number from 0 to 65535 (0 picks a free one)');
  return { value: checkPort(n, name), setting: name };
}

function checkPort(value: unknown, setting: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    throw new InvalidConfigError(setting, value, 'a port number from 0 to 65535 (0 picks a free one)');
  }
  return value;
}

function host(fromCode: string | undefined, option: string, env: Env, name: string): Sourced<string> {
  if (fromCode !== undefined) {
    if (typeof fromCode !== 'string' || fromCode.length === 0) throw new InvalidConfigError(option, fromCode, 'a host name or address, e.g. 127.0.0.1 or 0.0.0.0');
    return { value: fromCode, setting: option };
  }
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? { value: '127.0.0.1', setting: `${option} (or ${name})` } : { value: raw.trim(), setting: name };
}

function isOff(env: Env, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === 'on' || raw === 'true' || raw === '1') return false;
  if (raw === 'off' || raw === 'false' || raw === '0') return true;
  throw new InvalidConfigError(name, env[name], "'on' or 'off'");
}
