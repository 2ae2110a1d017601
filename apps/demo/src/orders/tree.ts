/**
 * The supervision tree of the order service:
 *
 *   shop_sup (one_for_one)
 *   ├── inventory        GenServer
 *   ├── rate_limiter     GenServer
 *   ├── audit_log        actor (drop-oldest mailbox)
 *   ├── payments_sup     Supervisor (one_for_one, 5 restarts in 5 s)
 *   │   └── payment      GenServer (slow, crashes now and then; a bounded mailbox refuses charges past 100 queued)
 *   └── orders_sup       DynamicSupervisor of `order` GenStatems (temporary)
 */
import type { ActorSystem } from '@joerl/core';
import { DynamicSupervisor, GenServer, GenStatem, Supervisor, type SupervisorRef } from '@joerl/gen';
import type { Faults } from '../faults.js';
import { AUDIT_MAILBOX, type AuditEvent, auditLog } from './audit-log.js';
import { type InventoryCall, type InventoryCast, inventory } from './inventory.js';
import { type OrderArgs, orderMachine } from './order.js';
import { type PaymentCall, payment } from './payment.js';
import { rateLimiter } from './rate-limiter.js';

export const MAX_ORDERS = 2000;

/** The payment server's mailbox: charges beyond it are refused. */
export const PAYMENT_MAILBOX = { capacity: 100, overflow: 'reject' } as const;

export interface ShopOptions {
  readonly faults: Faults;
  /** Orders admitted per second by the rate limiter (and its burst). */
  readonly admitPerSecond: number;
  /** How long finished orders answer status queries. */
  readonly lingerMs: number;
}

export interface Shop {
  readonly root: SupervisorRef;
  /** Starts an order; resolves with its pid (rejects with MaxChildrenError when full). */
  startOrder(args: OrderArgs): Promise<void>;
}

export async function startShop(system: ActorSystem, options: ShopOptions): Promise<Shop> {
  const orders = orderMachine({
    audit: (event: AuditEvent) => void system.send('audit_log', event),
    inventory: GenServer.named<InventoryCall, InventoryCast>(system, 'inventory'),
    payment: GenServer.named<PaymentCall>(system, 'payment'),
    lingerMs: options.lingerMs,
  });
  const root = await Supervisor.start(
    system,
    {
      strategy: 'one_for_one',
      intensity: 50,
      periodMs: 10_000,
      children: [
        GenServer.childSpec(inventory, null, { name: 'inventory' }),
        GenServer.childSpec(rateLimiter(options.admitPerSecond, options.admitPerSecond), null, { name: 'rate_limiter' }),
        {
          id: 'audit_log',
          start: (sup) => sup.spawn(auditLog(), { type: 'audit_log', name: 'audit_log', link: true, mailbox: AUDIT_MAILBOX }),
        },
        Supervisor.childSpec(
          {
            strategy: 'one_for_one',
            intensity: 5,
            periodMs: 5000,
            children: [
              {
                id: 'payment',
                // Bounded: when payments back up, new charges are refused at once (mailbox_full) instead of queueing past every caller's timeout.
                start: (sup) => GenServer.start(sup, payment(options.faults), null, { link: true, name: 'payment', mailbox: PAYMENT_MAILBOX }),
              },
            ],
          },
          { id: 'payments_sup', type: 'payments_sup', name: 'payments_sup' },
        ),
        DynamicSupervisor.childSpec({ maxChildren: MAX_ORDERS, intensity: 1000, periodMs: 1000 }, { id: 'orders_sup', type: 'orders_sup', name: 'orders_sup' }),
      ],
    },
    { type: 'shop_sup', name: 'shop_sup' },
  );
  const ordersSup = DynamicSupervisor.named(system, 'orders_sup');
  return {
    root,
    async startOrder(args) {
      await DynamicSupervisor.startChild(ordersSup, {
        start: (sup) => GenStatem.start(sup, orders, args, { link: true, name: args.id }),
        restart: 'temporary',
      });
    },
  };
}
