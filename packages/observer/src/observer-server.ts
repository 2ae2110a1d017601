/**
 * The small `node:http` server {@link Observer.listen} starts: loopback by default, with limits
 * on slow clients.
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidConfigError } from '@joerl/core';

/**
 * The address {@link Observer.listen} binds by default: this machine only.
 * @since 0.1.0
 */
export const DEFAULT_OBSERVER_HOST = '127.0.0.1';

/**
 * Where {@link Observer.listen} listens.
 * @since 0.1.0
 */
export interface ObserverListenOptions {
  /** The TCP port; 0 picks a free one. */
  readonly port: number;
  /** The address to bind (default `127.0.0.1`). Binding elsewhere also needs `allowedHosts`. */
  readonly host?: string;
}

/**
 * A listening observer.
 * @since 0.1.0
 */
export interface ObserverServer {
  readonly port: number;
  readonly host: string;
  /** The page's URL, e.g. `http://127.0.0.1:9466/`. */
  readonly url: string;
  /**
   * With actions enabled, the URL carrying the token in its fragment (never sent to the server
   * by the browser, which keeps it for the tab): print it for the operator. Else `url`.
   */
  readonly urlWithToken: string;
  readonly server: Server;
  /** Stops listening and ends open connections (idempotent). */
  close(): Promise<void>;
}

/** @internal */
export function listenObserver(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: ObserverListenOptions,
  fragment: string,
): Promise<ObserverServer> {
  if (typeof options !== 'object' || options === null) throw new InvalidConfigError('listen options', options, 'an object { port, host? }');
  const { port, host = DEFAULT_OBSERVER_HOST } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidConfigError('listen port', port, 'an integer from 0 to 65535 (0 picks a free port)');
  if (typeof host !== 'string' || host.length === 0) throw new InvalidConfigError('listen host', host, "an address such as '127.0.0.1'");
  const server = createServer({ headersTimeout: 5_000, requestTimeout: 10_000, keepAliveTimeout: 5_000, maxHeaderSize: 8 * 1024 }, handler);
  return new Promise<ObserverServer>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const h = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
      const url = `http://${h}:${address.port}/`;
      let closing: Promise<void> | null = null;
      resolve({
        port: address.port,
        host: address.address,
        url,
        urlWithToken: url + fragment,
        server,
        close() {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          });
          return closing;
        },
      });
    });
  });
}
