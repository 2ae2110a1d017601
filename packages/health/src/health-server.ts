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
 * Where {@link SystemHealth.listen} listens.
 *
 * @example
 * ```ts
 * await health.listen({ port: 8080 });                     // every interface, as a pod needs
 * await health.listen({ port: 0, host: '127.0.0.1' });     // any free port, loopback only
 * ```
 * @since 0.1.0
 */
export interface ListenOptions {
  /** The TCP port; 0 picks a free one (read it back from {@link HealthServer.port}). */
  readonly port: number;
  /** The address to bind (default: every interface, as Node's `server.listen` does). */
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
  const { port, host } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidConfigError('listen port', port, 'an integer from 0 to 65535 (0 picks a free port)');
  }
  if (host !== undefined && (typeof host !== 'string' || host.length === 0)) {
    throw new InvalidConfigError('listen host', host, "an address or hostname such as '0.0.0.0' or '127.0.0.1'");
  }
  const server = createServer((req, res) => handler(req, res));
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
