/**
 * Where and how each signal is sent: the OTLP/HTTP URL and protocol, from explicit options first,
 * then the standard `OTEL_EXPORTER_OTLP_*` variables, then joerl's defaults.
 *
 * @module
 */
import { InvalidConfigError } from '@joerl/core';

/**
 * The OTLP/HTTP encodings `@joerl/otlp` speaks, spelled as `OTEL_EXPORTER_OTLP_PROTOCOL` spells them.
 *
 * @example
 * ```ts
 * const otlp = await startOtlp({ protocol: 'http/json' });
 * ```
 * @since 0.1.0
 */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/**
 * What is exported: the two OTLP signals joerl has.
 *
 * @example
 * ```ts
 * const signals: OtlpSignal[] = ['metrics', 'traces'];
 * ```
 * @since 0.1.0
 */
export type OtlpSignal = 'metrics' | 'traces';

/**
 * Where a signal goes, resolved from options, variables and defaults.
 *
 * @example
 * ```ts
 * const otlp = await startOtlp();
 * console.log(otlp.targets.traces); // { url: 'http://127.0.0.1:4318/v1/traces', protocol: 'http/protobuf' }
 * ```
 * @since 0.1.0
 */
export interface OtlpTarget {
  /** The full URL requests are posted to, e.g. `http://127.0.0.1:4318/v1/metrics`. */
  readonly url: string;
  readonly protocol: OtlpProtocol;
}

/**
 * The collector joerl talks to when neither the `endpoint` option nor an `OTEL_EXPORTER_OTLP_*_ENDPOINT`
 * variable says otherwise: OTLP/HTTP on the loopback interface (a collector or agent on the same host).
 *
 * @example
 * ```ts
 * const otlp = await startOtlp({ endpoint: DEFAULT_ENDPOINT });
 * ```
 * @since 0.1.0
 */
export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4318';

const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];

/** Environment variables are read through this (tests stub `process.env`). */
type Env = Readonly<Record<string, string | undefined>>;

/**
 * Resolves one signal's target. Precedence, highest first:
 * URL — `endpoint` option (a base URL; `/v1/<signal>` is appended), `OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT`
 * (used as is), `OTEL_EXPORTER_OTLP_ENDPOINT` (base), {@link DEFAULT_ENDPOINT} (base);
 * protocol — `protocol` option, `OTEL_EXPORTER_OTLP_<SIGNAL>_PROTOCOL`, `OTEL_EXPORTER_OTLP_PROTOCOL`, `http/protobuf`.
 *
 * @throws InvalidConfigError naming the option or variable, for a URL that is not http(s) or a protocol other than the two above.
 * @internal
 */
export function resolveTarget(signal: OtlpSignal, options: { readonly endpoint?: string | undefined; readonly protocol?: OtlpProtocol | undefined }, env: Env = process.env): OtlpTarget {
  const upper = signal.toUpperCase();
  return { url: resolveUrl(signal, upper, options.endpoint, env), protocol: resolveProtocol(upper, options.protocol, env) };
}

function resolveUrl(signal: OtlpSignal, upper: string, endpoint: string | undefined, env: Env): string {
  if (endpoint !== undefined) return checkUrl(withPath(endpoint, signal), 'endpoint', endpoint);
  const specific = read(env, `OTEL_EXPORTER_OTLP_${upper}_ENDPOINT`);
  if (specific !== undefined) return checkUrl(specific, `OTEL_EXPORTER_OTLP_${upper}_ENDPOINT`, specific);
  const base = read(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (base !== undefined) return checkUrl(withPath(base, signal), 'OTEL_EXPORTER_OTLP_ENDPOINT', base);
  return withPath(DEFAULT_ENDPOINT, signal);
}

function resolveProtocol(upper: string, protocol: OtlpProtocol | undefined, env: Env): OtlpProtocol {
  if (protocol !== undefined) return checkProtocol(protocol, 'protocol');
  const specific = read(env, `OTEL_EXPORTER_OTLP_${upper}_PROTOCOL`);
  if (specific !== undefined) return checkProtocol(specific, `OTEL_EXPORTER_OTLP_${upper}_PROTOCOL`);
  const general = read(env, 'OTEL_EXPORTER_OTLP_PROTOCOL');
  if (general !== undefined) return checkProtocol(general, 'OTEL_EXPORTER_OTLP_PROTOCOL');
  return 'http/protobuf';
}

/** An empty or blank variable counts as unset, as the OpenTelemetry specification says. */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function withPath(base: string, signal: OtlpSignal): string {
  return `${base.replace(/\/+$/, '')}/v1/${signal}`;
}

function checkUrl(url: string, setting: string, given: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidConfigError(setting, given, 'an http:// or https:// URL, e.g. http://127.0.0.1:4318');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InvalidConfigError(setting, given, 'an http:// or https:// URL, e.g. http://127.0.0.1:4318 (OTLP over HTTP)');
  }
  return url;
}

function checkProtocol(value: string, setting: string): OtlpProtocol {
  const found = PROTOCOLS.find((p) => p === value);
  if (found === undefined) {
    throw new InvalidConfigError(setting, value, "'http/protobuf' or 'http/json' (@joerl/otlp speaks OTLP over HTTP; for gRPC collectors, use their HTTP port, 4318 by default)");
  }
  return found;
}
