export { deferred, HOSTILE_KINDS, HOSTILE_TARGETS, hostileValue, INTERNAL_TEXT, namedNode, rawRequest, requestArbitrary, within } from '@joerl/test-utils';
export { type Shop, startShop, ORDER_STATES } from './shop.js';

import { request as httpRequest } from 'node:http';

/** A raw HTTP exchange (node:http, so Host and Origin are ours to set). */
export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string; json: () => unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
