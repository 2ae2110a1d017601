import { ActorSystem } from '@joerl/core';
import { createTelemetry } from '@joerl/telemetry';
import { MetricNameTakenError, prometheus } from '@joerl/prometheus';
import { Registry } from 'prom-client';

const orders = createTelemetry();
const billing = createTelemetry();
const ordersSystem = new ActorSystem({ instrumentation: orders });
const billingSystem = new ActorSystem({ instrumentation: billing });

// One registry for two systems: a `system` label tells their series apart.
const registry = new Registry();
prometheus({ telemetry: orders, registry, system: 'orders' });
prometheus({ telemetry: billing, registry, system: 'billing' });

ordersSystem.spawn<string>(() => {}, { type: 'worker' }).send('order 1');
billingSystem.spawn<string>(() => {}, { type: 'worker' }).send('invoice 1');
await Promise.all([ordersSystem.idle(), billingSystem.idle()]);

for (const line of (await registry.metrics()).split('\n')) {
  if (line.startsWith('joerl_messages_sent_total{')) console.log(line);
}

// A third system without a label of its own would be indistinguishable: refused, nothing registered.
try {
  prometheus({ telemetry: createTelemetry(), registry });
} catch (error) {
  if (error instanceof MetricNameTakenError) console.log(`${error.code}: ${error.metric}`);
}

await Promise.all([ordersSystem.shutdown(), billingSystem.shutdown()]);
