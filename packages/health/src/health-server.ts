/**
 * A small `node:http` server for the probe endpoints, for services that have no HTTP server of
 * their own (or want probes on a separate port, as Kubernetes setups often do).
 *
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidConfigError } from '@joerl/core';
import type { HealthRequestHandler } from './http-handler.js';

/**
 * The default address {@link SystemHealth.listen} binds: loopback only, like joerl's other
 * servers. In a pod the kubelet probes the pod's IP, so pass `host: '0.0.0.0'` (or the pod IP)
 * there, explicitly.
 *
 * @example
 * ```ts
 * await health.listen({ port: 9465, host: process.env.POD_IP ?? DEFAULT_HEALTH_HOST });
 * ```
 * @since 0.1.0
 */
export const DEFAULT_HEALTH_HOST = '127.0.0.1';

/**
 * The limits of the probe server {@link SystemHealth.listen} starts (`node:http` settings):
 * - `headersTimeout` 5 s: a client has that long to send its request headers;
 * - `requestTimeout` 10 s: and that long for the whole request (probes have no body);
 * - `keepAliveTimeout` 5 s: an idle kept-alive connection is closed after that;
 * - `maxHeaderSize` 8 KiB: larger headers get 431;
 * - timeouts are checked every second (`connectionsCheckingInterval`).
 * Slow or idle clients therefore cannot hold connections open. A server of your own that mounts
 * {@link SystemHealth.handler} keeps its own settings.
 *
 * @example
 * ```ts
 * HEALTH_SERVER_LIMITS.requestTimeout; // 10_000
 * ```
 * @since 0.1.0
 */
export const HEALTH_SERVER_LIMITS = Object.freeze({
  headersTimeout: 5_000,
  requestTimeout: 10_000,
  keepAliveTimeout: 5_000,
  maxHeaderSize: 8 * 1024,
  connectionsCheckingInterval: 1_000,
});

/**
 * Where {@link SystemHealth.listen} listens.
 *
 * @example
 * ```ts
 * await health.listen({ port: 9465 });                     // loopback (the default)
 * await health.listen({ port: 9465, host: '0.0.0.0' });    // every interface, as a pod needs
 * ```
 * @since 0.1.0
 */
export interface ListenOptions {
  /** The TCP port; 0 picks a free one (read it back from {@link HealthServer.port}). */
  readonly port: number;
  /** The address to bind (default {@link DEFAULT_HEALTH_HOST}, `127.0.0.1`: this machine only). */
  readonly host?: string;
}

/**
 * A listening probe server.
 *
 * @example
 * ```ts
 * const server = await health.listen({ port: 0, host: '127.0.0.1' });
 * console.log(await (await fetch(`${server.url}/livez`)).json());
 * await server.close();
 * ```
 * @since 0.1.0
 */
export interface HealthServer {
  /** The port it listens on. */
  readonly port: number;
  /** The address it is bound to. */
  readonly host: string;
  /** A base URL to reach it from this machine, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** The underlying `node:http` server. */
  readonly server: Server;
  /** Stops listening and drops open connections; resolves once closed (idempotent). */
  close(): Promise<void>;
}

/** @internal Starts a server for `handler`; `onClose` runs once it is closed. */
export function listenHealth(handler: HealthRequestHandler, options: ListenOptions, onClose: (server: HealthServer) => void): Promise<HealthServer> {
  if (typeof options !== 'object' || options === null) throw new InvalidConfigError('listen options', options, 'an object { port, host? }');
  const { port, host = DEFAULT_HEALTH_HOST } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidConfigError('listen port', port, 'an integer from 0 to 65535 (0 picks a free port)');
  }
  if (typeof host !== 'string' || host.length === 0) {
    throw new InvalidConfigError('listen host', host, "an address or hostname such as '0.0.0.0' or '127.0.0.1'");
  }
  const { headersTimeout, requestTimeout, keepAliveTimeout, maxHeaderSize, connectionsCheckingInterval } = HEALTH_SERVER_LIMITS;
  const server = createServer({ headersTimeout, requestTimeout, keepAliveTimeout, maxHeaderSize, connectionsCheckingInterval }, (req, res) => handler(req, res));
  return new Promise<HealthServer>((resolve, reject) => {
    const failed = (error: Error): void => reject(error);
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      const address = server.address() as AddressInfo;
      let closing: Promise<void> | null = null;
      const health: HealthServer = {
        port: address.port,
        host: address.address,
        url: `http://${urlHost(address)}:${address.port}`,
        server,
        close() {
          closing ??= new Promise<void>((done) => {
            server.close(() => {
              onClose(health);
              done();
            });
            // Keep-alive connections would hold close() open until they time out.
            server.closeAllConnections();
          });
          return closing;
        },
      };
      resolve(health);
    });
  });
}

/** A host for URLs: the IPv4 loopback for a wildcard bind (dual-stack `::` accepts it too), brackets around IPv6. */
function urlHost(address: AddressInfo): string {
  if (address.address === '0.0.0.0' || address.address === '::') return '127.0.0.1';
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}
