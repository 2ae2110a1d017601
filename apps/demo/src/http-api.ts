/**
 * The order service's HTTP API, on loopback:
 *
 *   POST /orders                {"sku":"mug","qty":2} → 202 {"id"} | 429 rate limited | 503 full
 *   GET  /orders/<id>           → 200 {"id","state","reason"} | 404 unknown or finished
 *   POST /orders/<id>/cancel    → 200 | 409 not cancellable in its state | 404
 *   GET  /faults, POST /faults  {"crashRate":0.1,"slowMs":200,"floodEverySec":5,"lateCancelRate":0.1}
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ActorSystem } from '@joerl/core';
import { type Call, GenServer, GenStatem, InvalidTransitionError, MaxChildrenError, NoProcError } from '@joerl/gen';
import { type Faults, updateFaults } from './faults.js';
import { orderId } from './load.js';
import { SKUS, type Sku } from './orders/inventory.js';
import type { OrderEvent } from './orders/order.js';
import type { Shop } from './orders/tree.js';

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(`${JSON.stringify(body)}\n`);
};

async function body(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 10_000) throw new Error('body too large');
  }
  return text.length === 0 ? {} : (JSON.parse(text) as unknown);
}

export function apiHandler(system: ActorSystem, shop: Shop, faults: Faults, help: () => string) {
  const limiter = GenServer.named<Call<{ kind: 'acquire' }, boolean>>(system, 'rate_limiter');
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter((p) => p.length > 0);
    try {
      if (req.method === 'GET' && parts.length === 0) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(help());
      } else if (parts[0] === 'orders' && parts.length === 1 && req.method === 'POST') {
        const input = await body(req);
        if (typeof input !== 'object' || input === null) return json(res, 400, { error: 'send a JSON object: {"sku":"mug","qty":2}' });
        const { sku = 'mug', qty = 1 } = input as { sku?: unknown; qty?: unknown };
        if (!(SKUS as readonly unknown[]).includes(sku)) return json(res, 400, { error: `unknown sku ${JSON.stringify(sku)}; one of ${SKUS.join(', ')}` });
        if (typeof qty !== 'number' || !Number.isInteger(qty) || qty < 1 || qty > 10) return json(res, 400, { error: 'qty is a whole number from 1 to 10' });
        if (!(await limiter.call({ kind: 'acquire' }))) return json(res, 429, { error: 'rate limited, try again' });
        const id = orderId();
        await shop.startOrder({ id, sku: sku as Sku, qty });
        json(res, 202, { id, links: { self: `/orders/${id}`, cancel: `/orders/${id}/cancel` } });
      } else if (parts[0] === 'orders' && parts.length >= 2) {
        const id = parts[1] ?? '';
        const order = GenStatem.named<OrderEvent>(system, id);
        if (parts.length === 2 && req.method === 'GET') json(res, 200, await order.call({ kind: 'status' }));
        else if (parts[2] === 'cancel' && req.method === 'POST') json(res, 200, { id, state: await order.call({ kind: 'cancel' }) });
        else json(res, 404, { error: 'not found' });
      } else if (parts[0] === 'faults' && parts.length === 1) {
        if (req.method === 'POST') updateFaults(faults, await body(req));
        json(res, 200, faults);
      } else {
        json(res, 404, { error: 'not found; GET / lists the endpoints' });
      }
    } catch (error) {
      if (error instanceof NoProcError) json(res, 404, { error: 'no such order (or it finished)' });
      else if (error instanceof InvalidTransitionError) json(res, 409, { error: `cannot ${error.event} an order that is ${error.state}` });
      else if (error instanceof MaxChildrenError) json(res, 503, { error: 'too many orders in flight' });
      else if (error instanceof SyntaxError || (error as { code?: string }).code === 'INVALID_CONFIG') json(res, 400, { error: (error as Error).message });
      else json(res, 500, { error: (error as Error).message });
    }
  };
}

export function listenApi(handler: ReturnType<typeof apiHandler>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => void handler(req, res));
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
