/** Inventory: stock per SKU, reserved and released by orders; restocks itself every second. */
import { type Call, GenServer, type GenServerDefinition } from '@joerl/gen';

export const SKUS = ['espresso', 'grinder', 'kettle', 'mug', 'scale'] as const;
export type Sku = (typeof SKUS)[number];

export type InventoryCall = Call<{ kind: 'reserve'; sku: Sku; qty: number }, 'ok' | 'out_of_stock'> | Call<{ kind: 'stock' }, Record<string, number>>;
export type InventoryCast = { kind: 'release'; sku: Sku; qty: number };
type Tick = { kind: 'restock' };

const RESTOCK_EVERY_MS = 1000;
const RESTOCK_UNITS = 40;
const MAX_STOCK = 400;

export const inventory: GenServerDefinition<Map<Sku, number>, null, InventoryCall, InventoryCast, Tick> = {
  type: 'inventory',
  init(_arg, ctx) {
    ctx.sendAfter(ctx.self, { kind: 'restock' }, RESTOCK_EVERY_MS);
    return GenServer.ok(new Map(SKUS.map((s) => [s, 100])));
  },
  handleCall(req, _from, stock) {
    if (req.kind === 'stock') return GenServer.reply(Object.fromEntries(stock), stock);
    const have = stock.get(req.sku) ?? 0;
    if (have < req.qty) return GenServer.reply('out_of_stock' as const, stock);
    stock.set(req.sku, have - req.qty);
    return GenServer.reply('ok' as const, stock);
  },
  handleCast(req, stock) {
    stock.set(req.sku, Math.min(MAX_STOCK, (stock.get(req.sku) ?? 0) + req.qty));
    return GenServer.noreply(stock);
  },
  handleInfo(msg, stock, ctx) {
    if ('kind' in msg && msg.kind === 'restock') {
      for (const sku of SKUS) stock.set(sku, Math.min(MAX_STOCK, (stock.get(sku) ?? 0) + RESTOCK_UNITS));
      ctx.sendAfter(ctx.self, { kind: 'restock' }, RESTOCK_EVERY_MS);
    }
    return GenServer.noreply(stock);
  },
};
