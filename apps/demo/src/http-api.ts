/**
 * The order service's HTTP API, on loopback:
 *
 *   POST /orders                {"sku":"mug","qty":2} → 202 {"id"} | 429 rate limited | 503 full
 *   GET  /orders/<id>           → 200 {"id","state","reason"} | 404 unknown or finished
 *   POST /orders/<id>/cancel    → 200 | 409 not cancellable in its state | 404
 *   GET  /faults, POST /faults  {"crashRate":0.1,"slowMs":200,"floodEverySec":5,"lateCancelRate":0.1}
 *
 * Hostile clients are normal clients: a target that is not a path is a 400, a body over
 * {@link MAX_BODY_BYTES} a 413, a body that is not a JSON object a 400 saying what to send, an
 * order id that is not one (`o-<n>`), or names any actor but an order, a 404. An unexpected
 * error is a 500 that says only that: error text stays in the process.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type ActorSystem, InvalidConfigError } from '@joerl/core';
import { type Call, CallTimeoutError, CalleeExitedError, GenServer, GenStatem, InvalidTransitionError, MaxChildrenError, NoProcError } from '@joerl/gen';
import { type Faults, updateFaults } from './faults.js';
import { orderId } from './load.js';
import { SKUS, type Sku } from './orders/inventory.js';
import type { OrderEvent } from './orders/order.js';
import type { Shop } from './orders/tree.js';

/** The largest request body the API reads, in bytes; a larger one gets 413. */
export const MAX_BODY_BYTES = 16 * 1024;

/** The longest request target the API reads, in characters; a longer one gets 414. */
export const MAX_TARGET_LENGTH = 2048;

/**
 * The limits of the API's server (`node:http` settings): 5 s for the headers, 10 s for the
 * whole request, kept-alive connections closed after 5 s idle, headers up to 8 KiB (431 above).
 */
export const API_SERVER_LIMITS = Object.freeze({
  headersTimeout: 5_000,
  requestTimeout: 10_000,
  keepAliveTimeout: 5_000,
  maxHeaderSize: 8 * 1024,
  connectionsCheckingInterval: 1_000,
});

/** Order ids as `orderId()` makes them: `o-1`, `o-2`, ... */
const ORDER_ID = /^o-[1-9][0-9]{0,15}$/;

/** A client error: answered with its status and message, never logged as a failure. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Answers with a JSON body (and the API's headers). */
export const json = (res: ServerResponse, status: number, body: unknown) => {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'x-content-type-options': 'nosniff' });
  res.end(text);
};

/** Reads a JSON object body of at most MAX_BODY_BYTES (an empty body is `{}`). */
async function objectBody(req: IncomingMessage, example: string): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim().length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, `the body is not valid JSON; send an object such as ${example}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, `the body must be a JSON object such as ${example}, not ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}`);
  }
  return value as Record<string, unknown>;
}

/**
 * The order actor `id` names, as a ref: only a registered name of the form `o-<n>` whose actor is
 * an order. Other names (`inventory`, `payment`, `rate_limiter`, the supervisors) are 404 like
 * unknown orders, so the API never reaches an internal actor.
 */
/** GenStatem calls wait forever by default (OTP's `infinity`): an HTTP request must not. */
const ORDER_CALL_TIMEOUT_MS = 5000;

function orderRef(system: ActorSystem, id: string) {
  if (!ORDER_ID.test(id)) throw new HttpError(404, 'no such order (ids look like o-123)');
  const pid = system.whereis(id);
  if (pid === undefined || system.info(pid)?.type !== 'order') throw new HttpError(404, 'no such order (or it finished)');
  return GenStatem.named<OrderEvent>(system, id);
}

/** Splits an origin-form target into path segments, or null for `*`, `http://x/...`, `//...`. */
function segments(raw: string): string[] | null {
  if (!raw.startsWith('/') || raw.startsWith('//')) return null;
  const q = raw.search(/[?#]/);
  const path = q < 0 ? raw : raw.slice(0, q);
  return path.split('/').filter((p) => p.length > 0);
}

const notAllowed = (res: ServerResponse, allow: string) => {
  res.setHeader('allow', allow);
  json(res, 405, { error: `method not allowed: use ${allow}` });
};

/** More routes for a variant of the demo (`demo:cluster`'s `/nodes`): true if it answered. */
export type ExtraRoutes = (parts: readonly string[], method: string, res: ServerResponse) => Promise<boolean>;

/** What a variant of the demo adds to the API. */
export interface ApiExtensions {
  readonly routes?: ExtraRoutes;
  /** Called after POST /faults changed the faults (e.g. to pass them on to other nodes). */
  readonly faultsChanged?: (faults: Faults) => void;
}

export function apiHandler(system: ActorSystem, shop: Shop, faults: Faults, help: () => string, extensions: ApiExtensions = {}) {
  const limiter = GenServer.named<Call<{ kind: 'acquire' }, boolean>>(system, 'rate_limiter');
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = req.url ?? '/';
    if (raw.length > MAX_TARGET_LENGTH) throw new HttpError(414, `request target longer than ${MAX_TARGET_LENGTH} characters`);
    const parts = segments(raw);
    if (parts === null) throw new HttpError(400, "malformed request target: expected a path such as '/orders'");
    const method = req.method ?? 'GET';
    if (parts.length === 0) {
      if (method !== 'GET' && method !== 'HEAD') return notAllowed(res, 'GET');
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(help());
    } else if (parts[0] === 'orders' && parts.length === 1) {
      if (method !== 'POST') return notAllowed(res, 'POST');
      const input = await objectBody(req, '{"sku":"mug","qty":2}');
      const { sku = 'mug', qty = 1 } = input;
      if (typeof sku !== 'string' || !(SKUS as readonly string[]).includes(sku)) throw new HttpError(400, `unknown sku; one of ${SKUS.join(', ')}`);
      if (typeof qty !== 'number' || !Number.isInteger(qty) || qty < 1 || qty > 10) throw new HttpError(400, 'qty is a whole number from 1 to 10');
      if (!(await limiter.call({ kind: 'acquire' }))) return json(res, 429, { error: 'rate limited, try again' });
      const id = orderId();
      await shop.startOrder({ id, sku: sku as Sku, qty });
      json(res, 202, { id, links: { self: `/orders/${id}`, cancel: `/orders/${id}/cancel` } });
    } else if (parts[0] === 'orders' && parts.length === 2) {
      if (method !== 'GET') return notAllowed(res, 'GET');
      json(res, 200, await orderRef(system, parts[1]!).call({ kind: 'status' }, { timeoutMs: ORDER_CALL_TIMEOUT_MS }));
    } else if (parts[0] === 'orders' && parts.length === 3 && parts[2] === 'cancel') {
      if (method !== 'POST') return notAllowed(res, 'POST');
      const id = parts[1]!;
      json(res, 200, { id, state: await orderRef(system, id).call({ kind: 'cancel' }, { timeoutMs: ORDER_CALL_TIMEOUT_MS }) });
    } else if (parts[0] === 'faults' && parts.length === 1) {
      if (method === 'POST') {
        const update = await objectBody(req, '{"crashRate":0.2,"slowMs":250}');
        updateFaults(faults, update);
        extensions.faultsChanged?.(faults);
      } else if (method !== 'GET') {
        return notAllowed(res, 'GET, POST');
      }
      json(res, 200, faults);
    } else if (extensions.routes === undefined || !(await extensions.routes(parts, method, res))) {
      json(res, 404, { error: 'not found; GET / lists the endpoints' });
    }
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      await route(req, res);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) {
        // A 413 stops reading: close the connection rather than drain an oversized body.
        if (error.status === 413) res.setHeader('connection', 'close');
        json(res, error.status, { error: error.message });
      } else if (error instanceof InvalidConfigError) json(res, 400, { error: error.message });
      else if (error instanceof NoProcError || error instanceof CalleeExitedError) json(res, 404, { error: 'no such order (or it finished)' });
      else if (error instanceof InvalidTransitionError) json(res, 409, { error: `cannot ${error.event} an order that is ${error.state}` });
      else if (error instanceof MaxChildrenError) json(res, 503, { error: 'too many orders in flight, try again' });
      else if (error instanceof CallTimeoutError) json(res, 503, { error: 'the service is busy, try again' });
      else json(res, 500, { error: 'internal error' });
    }
  };
}

export function listenApi(handler: ReturnType<typeof apiHandler>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer({ ...API_SERVER_LIMITS }, (req, res) => {
      // The handler never rejects; this only guards against a bug in it taking the process down.
      handler(req, res).catch(() => res.destroy());
    });
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
