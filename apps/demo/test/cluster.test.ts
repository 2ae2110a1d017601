/**
 * `pnpm demo:cluster`, end to end: nats-server on loopback, the front end here and the stock and
 * pay nodes as processes (run from the TypeScript sources). An order goes through across nodes;
 * the fault switch kills pay; the front end sees node-down, calls to pay fail with noconnection
 * at once, nodes_sup restarts pay's keeper, which brings a new incarnation up; orders ship again;
 * stop ends every process, nats-server included. Everything waits on events, never on time.
 */
import { once } from 'node:events';
import type { NodeEvent } from '@joerl/cluster';
import { ExitReason } from '@joerl/core';
import { CalleeExitedError, GenServer, Supervisor } from '@joerl/gen';
import { natsServerBinary, within } from '@joerl/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterDemo, startClusterDemo } from '../src/cluster/front.js';
import type { InventoryCall } from '../src/orders/inventory.js';
import type { PaymentCall } from '../src/orders/payment.js';

const nodeProgram = {
  entry: new URL('../src/cluster/node-main.ts', import.meta.url),
  // The cluster tests' loader: child processes run the workspace's TypeScript sources.
  execArgv: ['--conditions=@joerl/source', '--import', new URL('../../../packages/cluster/test/support/register-ts.mjs', import.meta.url).href],
};

let demo: ClusterDemo;
beforeAll(async () => {
  natsServerBinary(); // fails loudly where nats-server is missing
  demo = await startClusterDemo({ apiPort: 0, metricsPorts: { front: 0, stock: 0, pay: 0 }, ordersPerSecond: 0, faults: { crashRate: 0, slowMs: 1 }, nodeProgram });
}, 120_000);
afterAll(async () => {
  await demo?.stop();
});

/** Places an order through the API and resolves with its final state (shipped or cancelled). */
async function order(): Promise<{ id: string; state: string }> {
  const res = await fetch(`${demo.urls.api}/orders`, { method: 'POST', body: JSON.stringify({ sku: 'mug', qty: 1 }) });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  return new Promise((resolve) => {
    const listener = (orderId: string, state: string): void => {
      if (orderId !== id || (state !== 'shipped' && state !== 'cancelled')) return;
      demo.events.off('order', listener);
      resolve({ id, state });
    };
    demo.events.on('order', listener);
  });
}

/** The next event of `node` of this kind. */
function nodeEvent(node: string, kind: NodeEvent['kind']): Promise<NodeEvent> {
  return new Promise((resolve) => {
    const listener = (event: NodeEvent): void => {
      if (event.node !== node || event.kind !== kind) return;
      demo.events.off('node', listener);
      resolve(event);
    };
    demo.events.on('node', listener);
  });
}

describe('pnpm demo:cluster', () => {
  it('runs inventory and payment on nodes other than the front end, each serving its own metrics', async () => {
    expect(demo.cluster.nodes()).toEqual(['pay', 'stock']);
    expect(demo.app.system.whereis('inventory')).toBeUndefined();
    expect(demo.app.system.whereis('payment')).toBeUndefined();
    const urls = [demo.urls.metrics.front, demo.urls.metrics.stock, demo.urls.metrics.pay];
    expect(new Set(urls).size).toBe(3);
    for (const url of urls) {
      expect(new URL(url).hostname).toBe('127.0.0.1');
      const text = await (await fetch(url)).text();
      expect(text).toContain('joerl_actors');
    }
    expect(await (await fetch(demo.urls.metrics.pay)).text()).toMatch(/joerl_calls_total|joerl_actors_spawned_total\{[^}]*type="payment"/);
  });

  it('an order goes through across nodes: reserved on stock, paid on pay, shipped', async () => {
    // inventory and payment live only on the other nodes (first test), so a shipped order was
    // reserved on stock and paid on pay; the stock is read back from its node. (Its count is not
    // compared: the inventory restocks itself every second, concurrently with the order.)
    expect(await within(order(), 20_000, 'the order to finish')).toMatchObject({ state: 'shipped' });
    const stock = GenServer.named<InventoryCall>(demo.app.system, { name: 'inventory', node: 'stock' });
    const mugs = ((await stock.call({ kind: 'stock' })) as Record<string, number>).mug;
    expect(mugs).toBeGreaterThanOrEqual(0);
  });

  it('the fault switch kills pay: node-down, noconnection at once, nodes_sup restarts its keeper, a new incarnation takes orders', async () => {
    const payment = GenServer.named<PaymentCall>(demo.app.system, { name: 'payment', node: 'pay' });
    const oldPid = demo.nodes().find((n) => n.node === 'pay')!.pid;
    // At the node-down, a call to pay fails at once with noconnection (decided before any restart can happen).
    const refused = new Promise<unknown>((resolve) => {
      const listener = (event: NodeEvent): void => {
        if (event.node !== 'pay' || event.kind !== 'nodedown') return;
        demo.events.off('node', listener);
        resolve(payment.call({ kind: 'charge', order: 'o-0', amount: 1 }, { timeoutMs: 60_000 }).catch((e: unknown) => e));
      };
      demo.events.on('node', listener);
    });
    const down = nodeEvent('pay', 'nodedown');
    const up = nodeEvent('pay', 'nodeup');
    const restarted = new Promise<number>((resolve) => {
      const listener = (node: string, pid: number): void => {
        if (node !== 'pay') return;
        demo.events.off('started', listener);
        resolve(pid);
      };
      demo.events.on('started', listener);
    });

    const res = await fetch(`${demo.urls.api}/nodes/pay/kill`, { method: 'POST' });
    expect(res.status).toBe(202);
    expect(await within(down, 10_000, 'pay to go down')).toEqual({ kind: 'nodedown', node: 'pay', reason: 'heartbeat_timeout' });
    const error = await refused;
    expect(error).toBeInstanceOf(CalleeExitedError);
    expect((error as CalleeExitedError).reason).toEqual(ExitReason.noconnection);

    // nodes_sup restarts the keeper; its init starts a new pay process and waits for it to come up.
    const newPid = await within(restarted, 60_000, 'nodes_sup to bring pay back');
    await up;
    // nodes_sup handles nothing else until the restart is done: its answer comes after it.
    const children = await Supervisor.whichChildren(Supervisor.named(demo.app.system, 'nodes_sup'));
    expect(children.map((c) => c.id)).toEqual(['keeper_stock', 'keeper_pay']);
    const pay = demo.nodes().find((n) => n.node === 'pay')!;
    expect([pay.up, pay.incarnations, pay.lastDown, pay.pid]).toEqual([true, 2, 'heartbeat_timeout', newPid]);
    expect(newPid).not.toBe(oldPid);
    expect(demo.app.telemetry.value('joerl_supervisor_restarts_total', { strategy: 'one_for_one', child_type: 'node_keeper' })).toBe(1);
    expect(demo.counters.nodeDowns).toBe(1);
    expect(await within(order(), 20_000, 'an order after the restart')).toMatchObject({ state: 'shipped' });
  });

  it('GET /nodes lists the service nodes, and killing an unknown node is a 404', async () => {
    const nodes = (await (await fetch(`${demo.urls.api}/nodes`)).json()) as { node: string; up: boolean }[];
    expect(nodes.map((n) => [n.node, n.up])).toEqual([
      ['stock', true],
      ['pay', true],
    ]);
    expect((await fetch(`${demo.urls.api}/nodes/front/kill`, { method: 'POST' })).status).toBe(404);
  });

  it('stop ends the node processes and nats-server', async () => {
    const pids = demo.nodes().map((n) => n.pid);
    const nats = demo.urls.nats;
    await demo.stop();
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
    const { connect } = await import('node:net');
    const socket = connect(Number(new URL(nats).port), '127.0.0.1');
    const [error] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
  });
});
