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
 *
 * Across nodes (`demo:cluster`, `remote`), inventory and payments_sup run on nodes of their own,
 * and `nodes_sup` (which keeps those nodes running) takes payments_sup's place here.
 */
import type { ActorSystem } from '@joerl/core';
import { type ChildSpec, DynamicSupervisor, GenServer, GenStatem, Supervisor, type SupervisorRef, type SupervisorSpec } from '@joerl/gen';
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
  /**
   * Inventory and payment on other nodes (`demo:cluster`): the nodes they run on, and a child
   * started before the orders (the supervisor that keeps those nodes running). Default: both here.
   */
  readonly remote?: { readonly inventoryNode: string; readonly paymentNode: string; readonly nodes: ChildSpec };
  /** Told of each state an order enters (`demo:cluster`'s events). */
  readonly orderEntered?: (id: string, state: string) => void;
  /** Told of each failed call an order makes to inventory or payment. */
  readonly callFailed?: (service: 'inventory' | 'payment', error: unknown) => void;
}

/** The inventory child: one GenServer registered as `inventory`. */
export const INVENTORY_CHILD: ChildSpec = GenServer.childSpec(inventory, null, { name: 'inventory' });

/** payments_sup: the payment server under its own supervisor (5 restarts in 5 s). */
export function paymentsSpec(faults: Faults): SupervisorSpec {
  return {
    strategy: 'one_for_one',
    intensity: 5,
    periodMs: 5000,
    children: [
      {
        id: 'payment',
        // Bounded: when payments back up, new charges are refused at once (mailbox_full) instead of queueing past every caller's timeout.
        start: (sup) => GenServer.start(sup, payment(faults), null, { link: true, name: 'payment', mailbox: PAYMENT_MAILBOX }),
      },
    ],
  };
}

export interface Shop {
  readonly root: SupervisorRef;
  /** Starts an order; resolves with its pid (rejects with MaxChildrenError when full). */
  startOrder(args: OrderArgs): Promise<void>;
}

export async function startShop(system: ActorSystem, options: ShopOptions): Promise<Shop> {
  const remote = options.remote;
  const orders = orderMachine({
    audit: (event: AuditEvent) => {
      system.send('audit_log', event);
      if (event.kind === 'order') options.orderEntered?.(event.id, event.state);
    },
    inventory: GenServer.named<InventoryCall, InventoryCast>(system, remote === undefined ? 'inventory' : { name: 'inventory', node: remote.inventoryNode }),
    payment: GenServer.named<PaymentCall>(system, remote === undefined ? 'payment' : { name: 'payment', node: remote.paymentNode }),
    lingerMs: options.lingerMs,
    ...(options.callFailed === undefined ? {} : { callFailed: options.callFailed }),
  });
  const root = await Supervisor.start(
    system,
    {
      strategy: 'one_for_one',
      intensity: 50,
      periodMs: 10_000,
      children: [
        ...(remote === undefined ? [INVENTORY_CHILD] : []),
        GenServer.childSpec(rateLimiter(options.admitPerSecond, options.admitPerSecond), null, { name: 'rate_limiter' }),
        {
          id: 'audit_log',
          start: (sup) => sup.spawn(auditLog(), { type: 'audit_log', name: 'audit_log', link: true, mailbox: AUDIT_MAILBOX }),
        },
        // Here, payments_sup; across nodes, the supervisor that keeps the other nodes running.
        remote === undefined ? Supervisor.childSpec(paymentsSpec(options.faults), { id: 'payments_sup', type: 'payments_sup', name: 'payments_sup' }) : remote.nodes,
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
