/**
 * The DogStatsD client `@joerl/datadog` creates when you bring none: hot-shots, pointed where
 * dd-trace sends its own metrics.
 *
 * @module
 */
import { InvalidConfigError } from '@joerl/core';
import { StatsD } from 'hot-shots';

/**
 * Where DogStatsD listens, as in dd-trace's `init({ dogstatsd })`.
 *
 * @example
 * ```ts
 * datadog({ telemetry, tracer, dogstatsd: { hostname: 'datadog-agent', port: 8125 } });
 * ```
 * @since 0.1.0
 */
export interface DogStatsDAddress {
  /** Default `DD_DOGSTATSD_HOST` (or `DD_DOGSTATSD_HOSTNAME`), else `DD_AGENT_HOST`, else `127.0.0.1`. */
  readonly hostname?: string;
  /** Default `DD_DOGSTATSD_PORT`, else 8125. */
  readonly port?: number;
}

/** UDP payloads kept under a typical MTU, as Datadog recommends for DogStatsD over UDP. */
const MAX_DATAGRAM_BYTES = 1432;

/**
 * @internal
 * A hot-shots client for DogStatsD. Without an explicit address, `DD_DOGSTATSD_URL` /
 * `DD_DOGSTATSD_SOCKET` (read by hot-shots: `udp://host:port`, `unix:///path`) win over
 * `DD_DOGSTATSD_HOST` / `DD_AGENT_HOST` and `DD_DOGSTATSD_PORT`. Global tags are the ones given
 * (hot-shots' own reading of `DD_ENV`... is off, so options can override the environment).
 * @throws InvalidConfigError for a port that is not one (option or `DD_DOGSTATSD_PORT`).
 */
export function createDogStatsD(
  address: DogStatsDAddress,
  tags: readonly string[],
  onError: (error: Error) => void,
  environment: Readonly<Record<string, string | undefined>> = process.env,
): StatsD {
  const common = {
    globalTags: [...tags],
    includeDataDogTags: false,
    errorHandler: onError,
    maxBufferSize: MAX_DATAGRAM_BYTES,
    cacheDns: true,
  };
  const fromUrl = address.hostname === undefined && address.port === undefined && (nonEmpty(environment.DD_DOGSTATSD_URL) || nonEmpty(environment.DD_DOGSTATSD_SOCKET));
  if (fromUrl) return new StatsD(common);
  const host = address.hostname ?? firstNonEmpty(environment.DD_DOGSTATSD_HOST, environment.DD_DOGSTATSD_HOSTNAME, environment.DD_AGENT_HOST) ?? '127.0.0.1';
  const port = address.port ?? portFrom(environment.DD_DOGSTATSD_PORT) ?? 8125;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidConfigError('dogstatsd.port', port, 'a port number from 1 to 65535');
  return new StatsD({ ...common, host, port });
}

function portFrom(text: string | undefined): number | undefined {
  if (!nonEmpty(text)) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidConfigError('DD_DOGSTATSD_PORT', text, 'a port number from 1 to 65535');
  return port;
}

function nonEmpty(text: string | undefined): text is string {
  return text !== undefined && text.trim() !== '';
}

function firstNonEmpty(...texts: (string | undefined)[]): string | undefined {
  for (const t of texts) if (nonEmpty(t)) return t;
  return undefined;
}
