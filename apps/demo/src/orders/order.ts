/**
 * One order, as a state machine: new → reserved → paid → shipped, or cancelled. Each step is
 * driven by a state timeout, so a stuck step (a payment that never answers) cancels itself, and
 * a finished order lingers a moment for status queries, then stops.
 */
import { type Call, CalleeExitedError, GenStatem, type GenStatemDefinition, type NamedServerRef } from '@joerl/gen';
import type { AuditEvent } from './audit-log.js';
import type { InventoryCall, InventoryCast, Sku } from './inventory.js';
import type { PaymentCall } from './payment.js';

export const ORDER_STATES = ['new', 'reserved', 'paid', 'shipped', 'cancelled'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export type OrderEvent =
  | { kind: 'reserve' }
  | { kind: 'pay' }
  | { kind: 'ship' }
  | { kind: 'expire' }
  | Call<{ kind: 'cancel' }, 'cancelled'>
  | Call<{ kind: 'status' }, { id: string; state: OrderState; reason: string | null }>;

export interface OrderArgs {
  readonly id: string;
  readonly sku: Sku;
  readonly qty: number;
}

interface OrderData extends OrderArgs {
  reason: string | null;
}

export interface OrderDeps {
  /** Records an event in the audit log (by name: its restarts are invisible to orders). */
  readonly audit: (event: AuditEvent) => void;
  readonly inventory: NamedServerRef<InventoryCall, InventoryCast>;
  readonly payment: NamedServerRef<PaymentCall, never>;
  /** How long a finished order answers status queries before it stops. */
  readonly lingerMs: number;
  /** Told of each failed call to inventory or payment (`demo:cluster` counts those to a node that is down). */
  readonly callFailed?: (service: 'inventory' | 'payment', error: unknown) => void;
}

/** Why a call failed, as an order's cancel reason: `noconnection` when the server's node is down. */
function failure(service: 'inventory' | 'payment', error: unknown, deps: OrderDeps): string {
  deps.callFailed?.(service, error);
  if (error instanceof CalleeExitedError && error.reason.kind === 'noconnection') return 'noconnection';
  return error instanceof Error ? error.name : 'unavailable';
}

const PAYMENT_TIMEOUT_MS = 300;
const SHIP_AFTER_MS = 50;
const PRICE = 120;

export function orderMachine(deps: OrderDeps): GenStatemDefinition<OrderState, OrderData, OrderEvent, OrderArgs> {
  const cancel = (data: OrderData, reason: string) => {
    data.reason = reason;
    return GenStatem.nextState<OrderState, OrderData, OrderEvent>('cancelled', data);
  };
  return {
    type: 'order',
    states: ORDER_STATES,
    // What each state accepts, and where it may lead ([] = stays). A cancel after payment is an
    // invalid transition: the caller gets an InvalidTransitionError, the metrics count it.
    transitions: {
      new: { reserve: ['reserved', 'cancelled'], cancel: 'cancelled', status: [] },
      reserved: { pay: ['paid', 'cancelled'], cancel: 'cancelled', status: [] },
      paid: { ship: 'shipped', status: [] },
      shipped: { expire: [], status: [] },
      cancelled: { expire: [], status: [] },
    },
    init: (args) => GenStatem.init('new', { ...args, reason: null }, [GenStatem.stateTimeout(0, { kind: 'reserve' })]),
    onEnter(_from, to, data) {
      deps.audit({ kind: 'order', id: data.id, state: to });
      if (to === 'shipped' || to === 'cancelled') return GenStatem.keepState(data, [GenStatem.stateTimeout(deps.lingerMs, { kind: 'expire' })]);
    },
    async handleEvent(event, state, data, { from }) {
      switch (event.kind) {
        case 'reserve': {
          const answer = await deps.inventory.call({ kind: 'reserve', sku: data.sku, qty: data.qty }).catch((error: unknown) => failure('inventory', error, deps));
          if (answer !== 'ok') return cancel(data, answer);
          return GenStatem.nextState('reserved', data, [GenStatem.stateTimeout(0, { kind: 'pay' })]);
        }
        case 'pay': {
          const answer = await deps.payment
            .call({ kind: 'charge', order: data.id, amount: PRICE * data.qty }, { timeoutMs: PAYMENT_TIMEOUT_MS })
            .catch((error: unknown) => failure('payment', error, deps));
          if (answer === 'approved') return GenStatem.nextState('paid', data, [GenStatem.stateTimeout(SHIP_AFTER_MS, { kind: 'ship' })]);
          deps.inventory.cast({ kind: 'release', sku: data.sku, qty: data.qty });
          return cancel(data, answer);
        }
        case 'ship':
          return GenStatem.nextState('shipped', data);
        case 'cancel':
          if (state === 'reserved') deps.inventory.cast({ kind: 'release', sku: data.sku, qty: data.qty });
          data.reason = 'cancelled by customer';
          return GenStatem.nextState('cancelled', data, [GenStatem.reply(from, 'cancelled' as const)]);
        case 'status':
          return GenStatem.keepState(data, [GenStatem.reply(from, { id: data.id, state, reason: data.reason })]);
        case 'expire':
          return GenStatem.stop({ kind: 'normal' }, data);
      }
    },
  };
}
