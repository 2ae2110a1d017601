/**
 * A system shaped like the demo's order service (apps/demo/src/orders/tree.ts), deterministic:
 *
 *   shop_sup (one_for_one)
 *   ├── inventory        GenServer
 *   ├── rate_limiter     GenServer
 *   ├── audit_log        actor, stuck on a gate so its mailbox fills
 *   ├── payments_sup     Supervisor
 *   │   └── payment      GenServer
 *   └── orders_sup       DynamicSupervisor of `order` GenStatems (new → reserved → paid → shipped | cancelled)
 */
import { ActorSystem, type Pid } from '@joerl/core';
import { DynamicSupervisor, type GenServerDefinition, GenServer, GenStatem, type GenStatemDefinition, Supervisor, type SupervisorRef } from '@joerl/gen';
import { createTelemetry, type Telemetry } from '@joerl/telemetry';
import { deferred } from '@joerl/test-utils';

export const ORDER_STATES = ['new', 'reserved', 'paid', 'shipped', 'cancelled'] as const;
type OrderState = (typeof ORDER_STATES)[number];
type OrderEvent = { kind: 'advance'; to: OrderState };

const order: GenStatemDefinition<OrderState, null, OrderEvent, null> = {
  type: 'order',
  states: ORDER_STATES,
  init: () => GenStatem.init('new', null),
  handleEvent: (event) => GenStatem.nextState(event.to, null),
};

const server = (type: string): GenServerDefinition<number, null, never, 'ping' | 'crash'> => ({
  type,
  init: () => GenServer.ok(0),
  handleCast: (msg, n) => {
    if (msg === 'crash') throw new Error(`${type} gateway connection reset`);
    return GenServer.noreply(n + 1);
  },
});

export interface Shop {
  readonly system: ActorSystem;
  readonly telemetry: Telemetry;
  readonly root: SupervisorRef;
  /** The orders started, by pid. */
  readonly orders: Pid[];
  /** Moves an order to a state. */
  advance(pid: Pid, to: OrderState): void;
  /** Makes a server crash in its cast handler (its supervisor restarts it). */
  crash(name: string): void;
  /** Lets the audit log drain. */
  releaseAudit(): void;
  stop(): Promise<void>;
}

/** Starts the shop with `orders` orders and `auditBacklog` messages stuck in the audit log. */
export async function startShop(options: { orders?: number; auditBacklog?: number } = {}): Promise<Shop> {
  const telemetry = createTelemetry();
  const system = new ActorSystem({ logger: null, instrumentation: telemetry });
  const gate = deferred();
  const root = await Supervisor.start(
    system,
    {
      strategy: 'one_for_one',
      intensity: 50,
      periodMs: 10_000,
      children: [
        // inventory shows its stock through formatStatus; the others show nothing of their state
        GenServer.childSpec({ ...server('inventory'), formatStatus: (n: number) => ({ restocks: n }) }, null, { id: 'inventory', name: 'inventory' }),
        GenServer.childSpec(server('rate_limiter'), null, { id: 'rate_limiter', name: 'rate_limiter' }),
        {
          id: 'audit_log',
          start: (sup) => sup.spawn<string>({ receive: () => gate.promise }, { type: 'audit_log', name: 'audit_log', link: true, mailbox: { capacity: 1000 } }),
        },
        Supervisor.childSpec(
          { strategy: 'one_for_one', intensity: 5, periodMs: 5000, children: [GenServer.childSpec(server('payment'), null, { id: 'payment', name: 'payment' })] },
          { id: 'payments_sup', type: 'payments_sup', name: 'payments_sup' },
        ),
        DynamicSupervisor.childSpec({ maxChildren: 2000 }, { id: 'orders_sup', type: 'orders_sup', name: 'orders_sup' }),
      ],
    },
    { type: 'shop_sup', name: 'shop_sup' },
  );
  const ordersSup = DynamicSupervisor.named(system, 'orders_sup');
  const orders: Pid[] = [];
  for (let i = 0; i < (options.orders ?? 0); i++) {
    const pid = await DynamicSupervisor.startChild(ordersSup, { start: (sup) => GenStatem.start(sup, order, null, { link: true }), restart: 'temporary' });
    if (pid !== null) orders.push(pid);
  }
  for (let i = 0; i < (options.auditBacklog ?? 0); i++) system.send('audit_log', `event ${i}`);
  await system.idle();
  return {
    system,
    telemetry,
    root,
    orders,
    advance: (pid, to) => void GenStatem.ref<OrderEvent>(system, pid).cast({ kind: 'advance', to }),
    crash: (name) => void GenServer.named<never, 'crash'>(system, name).cast('crash'),
    releaseAudit: () => gate.resolve(),
    async stop() {
      gate.resolve();
      await system.shutdown({ timeoutMs: 3000 });
    },
  };
}
