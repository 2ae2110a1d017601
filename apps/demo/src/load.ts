/**
 * The built-in load generator: places orders at a steady rate through the rate limiter, asks for
 * the status of recent and long-gone orders (noproc calls), sends late notices to finished orders
 * (noproc sends), cancels some orders late (invalid transitions), and floods the audit log now and
 * then (drop-oldest at work).
 */
import type { ActorSystem, Pid } from '@joerl/core';
import { type Call, GenServer, GenStatem, MaxChildrenError } from '@joerl/gen';
import type { Faults } from './faults.js';
import { SKUS } from './orders/inventory.js';
import type { OrderEvent } from './orders/order.js';
import type { Shop } from './orders/tree.js';

export interface LoadStats {
  placed: number;
  rejected: number;
  full: number;
  queried: number;
  lateCancels: number;
}

export interface LoadGenerator {
  readonly stats: LoadStats;
  setRate(ordersPerSecond: number): void;
  stop(): void;
}

let nextOrder = 1;

/** A fresh order id. */
export function orderId(): string {
  return `o-${nextOrder++}`;
}

export function startLoad(system: ActorSystem, shop: Shop, faults: Faults, ordersPerSecond: number): LoadGenerator {
  const stats: LoadStats = { placed: 0, rejected: 0, full: 0, queried: 0, lateCancels: 0 };
  const limiter = GenServer.named<Call<{ kind: 'acquire' }, boolean>>(system, 'rate_limiter');
  const recent: string[] = [];
  const pids: Pid[] = [];
  let rate = ordersPerSecond;
  let ticks = 0;
  const tickMs = 100;

  const placeOne = async (): Promise<void> => {
    if (!(await limiter.call({ kind: 'acquire' }).catch(() => false))) {
      stats.rejected++;
      return;
    }
    const id = orderId();
    try {
      await shop.startOrder({ id, sku: SKUS[Math.floor(Math.random() * SKUS.length)] ?? 'mug', qty: 1 + Math.floor(Math.random() * 3) });
      stats.placed++;
      recent.push(id);
      if (recent.length > 500) recent.shift();
      const pid = system.whereis(id);
      if (pid !== undefined) pids.push(pid);
      if (pids.length > 500) pids.shift();
    } catch (error) {
      if (error instanceof MaxChildrenError) stats.full++;
    }
  };

  const poke = (id: string, event: OrderEvent): void => {
    const order = GenStatem.named<OrderEvent>(system, id);
    void order.call(event as never, { timeoutMs: 500 }).catch(() => undefined);
  };

  const timer = setInterval(() => {
    ticks++;
    let n = (rate * tickMs) / 1000;
    for (; n >= 1 || (n > 0 && Math.random() < n); n--) void placeOne();
    // status of a recent order, and of an old one that has stopped (noproc)
    const some = recent[Math.floor(Math.random() * recent.length)];
    if (some !== undefined) {
      stats.queried++;
      poke(some, { kind: 'status' });
      if (Math.random() < faults.lateCancelRate * 10) {
        stats.lateCancels++;
        poke(some, { kind: 'cancel' });
      }
    }
    // a late notice to the oldest order, once it has finished: a send to a dead pid (noproc)
    const oldest = pids[0];
    if (oldest !== undefined && !system.isAlive(oldest)) {
      pids.shift();
      system.send(oldest, { kind: 'status' });
    }
    if (faults.floodEverySec > 0 && ticks % Math.round((faults.floodEverySec * 1000) / tickMs) === 0) {
      for (let i = 0; i < 2000; i++) system.send('audit_log', { kind: 'noise', n: i });
    }
  }, tickMs);
  timer.unref();

  return {
    stats,
    setRate(r: number) {
      rate = r;
    },
    stop() {
      clearInterval(timer);
    },
  };
}
