/**
 * Raw HTTP for tests of joerl's servers: requests `fetch` refuses to send (`GET //`, `*`,
 * absolute-form targets, bad percent-encoding, very long targets), written on a socket, and the
 * arbitraries of an HTTP fuzz test.
 */
import { connect } from 'node:net';
import fc from 'fast-check';

/** What came back for a raw request: `status` 0 means the server closed without answering. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A body of `length` times `char`, which fast-check reports by its size instead of its text. */
export class RepeatedBody {
  constructor(
    readonly char: string,
    readonly length: number,
  ) {}
  toString(): string {
    return this.char.repeat(this.length);
  }
  [fc.toStringMethod](): string {
    return `${JSON.stringify(this.char)} × ${this.length}`;
  }
}

/** One request to send as is. */
export interface RawRequest {
  readonly method: string;
  readonly target: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string | RepeatedBody;
}

/** Renders a request on the wire: `Host` and `Connection: close` first, `Content-Length` when there is a body. */
export function renderRequest(request: RawRequest): string {
  const lines = [`${request.method} ${request.target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
  const body = String(request.body);
  if (body.length > 0) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/**
 * Sends `request` (a {@link RawRequest} or the exact bytes) to 127.0.0.1:`port` and resolves with
 * the response once the server closes the connection (the request says `Connection: close`).
 */
export function rawRequest(port: number, request: RawRequest | string): Promise<RawResponse> {
  const text = typeof request === 'string' ? request : renderRequest(request);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A server may answer (413, say) and close before it read the whole body: that is an answer.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') socket.destroy();
      else reject(error);
    });
    socket.on('close', () => resolve(parseResponse(Buffer.concat(chunks).toString('latin1'))));
    socket.write(text, 'latin1');
  });
}

function parseResponse(raw: string): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, body: raw };
  const [statusLine = '', ...headerLines] = raw.slice(0, end).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, body: raw.slice(end + 4) };
}

/**
 * Text that must never reach a client: JavaScript error names and messages, stack frames, file
 * paths. A response body matching it leaks an internal error.
 */
export const INTERNAL_TEXT = /TypeError|SyntaxError|RangeError|ReferenceError|Cannot read propert|is not a function|Unexpected token|in JSON at position|\bat \S+ \(|node:internal|file:\/\/|\/src\/\S+\.ts/;

/** Request targets that broke or confused joerl's servers, and their neighbours. */
export const HOSTILE_TARGETS: readonly string[] = Object.freeze([
  '/',
  '//',
  '///',
  '//livez',
  '*',
  'http://x',
  'http://x/metrics',
  'http://127.0.0.1/livez',
  '%zz',
  '/%zz',
  '/%',
  '/orders/%zz',
  '/readyz/%E0%A4%A',
  '/..',
  '/../../etc/passwd',
  '/?',
  '/#',
  '/readyz?exclude=%zz&verbose',
  '/metrics?%zz=%',
  `/${'a'.repeat(5000)}`,
  `/readyz?${'exclude=x&'.repeat(400)}`,
]);

const TOKEN = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,16}$/);
const PRINTABLE = fc.stringMatching(/^[\x21-\x7e]{0,80}$/);

/**
 * A request target: one of {@link HOSTILE_TARGETS}, one of `paths` (the server's own routes, with
 * odd suffixes), or printable garbage.
 */
export function targetArbitrary(paths: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...HOSTILE_TARGETS),
    fc.tuple(fc.constantFrom(...paths), fc.constantFrom('', '/', '?verbose', '?exclude=heap', '/x', '/%zz', '//', '?a=%', '/..')).map(([p, s]) => p + s),
    PRINTABLE.map((s) => `/${s}`),
    PRINTABLE,
  );
}

/**
 * A whole request: a common or made-up method, a target from {@link targetArbitrary}, up to five
 * headers (never ones that change the framing: Content-Length, Transfer-Encoding, Connection,
 * Upgrade), and a body that is empty, JSON-ish, random, or larger than `bigBody` bytes.
 */
export function requestArbitrary(paths: readonly string[], bigBody = 70_000): fc.Arbitrary<RawRequest> {
  const header = fc.tuple(
    fc.oneof(fc.constantFrom('Accept', 'Content-Type', 'User-Agent', 'X-Forwarded-For', 'Cookie', 'Accept-Encoding'), TOKEN).filter(
      (n) => !/^(content-length|transfer-encoding|connection|upgrade|host|expect)$/i.test(n),
    ),
    PRINTABLE,
  );
  const body = fc.oneof(
    fc.constant(''),
    fc.constantFrom('[]', '{}', 'null', '"x"', '1', '{"sku":"mug","qty":2}', '{"qty":1e400}', '{"crashRate":"x"}', '{', '{"__proto__":{"x":1}}'),
    fc.json(),
    fc.string({ maxLength: 200 }).map((s) => s.replace(/[^\x20-\x7e]/g, '?')),
    fc.constant(new RepeatedBody('x', bigBody)),
  );
  return fc.record({
    method: fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE'), TOKEN.map((t) => t.toUpperCase())).filter((m) => m !== 'CONNECT'),
    target: targetArbitrary(paths),
    headers: fc.array(header, { maxLength: 5 }),
    body,
  });
}
