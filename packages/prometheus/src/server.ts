/**
 * A small HTTP server for `/metrics`.
 *
 * @module
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidConfigError } from '@joerl/core';
import { MetricsListenError } from './errors.js';
import { METRICS_PATH } from './handler.js';

/**
 * The port of OpenTelemetry's Prometheus exporter, and so the one scrape configs and dashboards
 * for Node.js services often already expect.
 *
 * @example
 * ```ts
 * await prometheus({ telemetry }).listen(); // port DEFAULT_PORT (9464)
 * ```
 * @since 0.1.0
 */
export const DEFAULT_PORT = 9464;

/**
 * The default host: loopback only. Metrics name your actor types and show memory and load, so
 * exposing them to the network is a decision to make explicitly (`host: '0.0.0.0'`, as in a
 * container scraped from another one), unlike OpenTelemetry's exporter, which listens on all
 * interfaces by default.
 *
 * @example
 * ```ts
 * await prometheus({ telemetry }).listen({ host: '0.0.0.0' }); // instead of DEFAULT_HOST
 * ```
 * @since 0.1.0
 */
export const DEFAULT_HOST = '127.0.0.1';

/**
 * The limits of the server `listen()` starts (`node:http` settings):
 * - `headersTimeout` 10 s: a scraper has that long to send its request headers;
 * - `requestTimeout` 10 s: and that long for the whole request (a scrape has no body);
 * - `keepAliveTimeout` 5 s: an idle kept-alive connection is closed after that (a scraper
 *   reconnects for its next scrape, which costs little next to the scrape);
 * - `maxHeaderSize` 8 KiB: larger headers get 431;
 * - timeouts are checked every second (`connectionsCheckingInterval`).
 * A server of your own that mounts `handler` keeps its own settings.
 *
 * @example
 * ```ts
 * METRICS_SERVER_LIMITS.requestTimeout; // 10_000
 * ```
 * @since 0.1.0
 */
export const METRICS_SERVER_LIMITS = Object.freeze({
  headersTimeout: 10_000,
  requestTimeout: 10_000,
  keepAliveTimeout: 5_000,
  maxHeaderSize: 8 * 1024,
  connectionsCheckingInterval: 1_000,
});

/**
 * Options of `PrometheusProvider.listen()`.
 *
 * @example
 * ```ts
 * const options: ListenOptions = { port: 9464, host: '0.0.0.0' };
 * await prometheus({ telemetry }).listen(options);
 * ```
 * @since 0.1.0
 */
export interface ListenOptions {
  /** TCP port (default {@link DEFAULT_PORT}, 9464); `0` picks a free one (see {@link MetricsServer.port}). */
  readonly port?: number;
  /** Interface to listen on (default {@link DEFAULT_HOST}, `127.0.0.1`: this machine only). */
  readonly host?: string;
}

/**
 * A running metrics server.
 *
 * @example
 * ```ts
 * const server: MetricsServer = await prometheus({ telemetry }).listen({ port: 0 });
 * console.log(server.url); // http://127.0.0.1:<port>/metrics
 * await server.close();
 * ```
 * @since 0.1.0
 */
export interface MetricsServer {
  /** The port listened on (the one picked, for port 0). */
  readonly port: number;
  readonly host: string;
  /** Where to scrape, e.g. `http://127.0.0.1:9464/metrics`. */
  readonly url: string;
  /** Stops listening and closes open connections (scrapers keep them alive). Idempotent. */
  close(): Promise<void>;
}

/** @internal starts a server for `handler`; resolves once it listens */
export function listenMetrics(handler: RequestListener, options: ListenOptions = {}): Promise<MetricsServer> {
  const port = options.port ?? DEFAULT_PORT;
  const host = options.host ?? DEFAULT_HOST;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidConfigError('listen port', port, 'an integer from 0 to 65535 (0 picks a free port)');
  if (typeof host !== 'string' || host === '') throw new InvalidConfigError('listen host', host, "an interface address such as '127.0.0.1' or '0.0.0.0'");
  const { headersTimeout, requestTimeout, keepAliveTimeout, maxHeaderSize, connectionsCheckingInterval } = METRICS_SERVER_LIMITS;
  const server = createServer({ headersTimeout, requestTimeout, keepAliveTimeout, maxHeaderSize, connectionsCheckingInterval }, handler);
  return new Promise((resolve, reject) => {
    const onError = (error: unknown) => reject(new MetricsListenError(host, port, error));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(running(server, host));
    });
  });
}

function running(server: Server, host: string): MetricsServer {
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | null = null;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    port,
    host,
    url: `http://${urlHost}:${port}${METRICS_PATH}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
