/**
 * A trace that crosses two nodes over NATS: the caller's client span in one process, the remote
 * handler's server span in another, both exported over OTLP/protobuf to one local receiver and
 * decoded with the official OTLP definitions.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ActorSystem } from '@joerl/core';
import { type Cluster, joinCluster } from '@joerl/cluster';
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsServer } from '@joerl/test-utils';
import { startOtlp } from '../src/index.js';
import { type DecodedSpan, type Receiver, startReceiver, within } from './helpers.js';

const CLUSTER = `trace${process.pid}`;
let nats: NatsServer;
let receiver: Receiver;
let remote: ChildProcess;

/** Sends `cmd` to the remote node and resolves with its first answer. */
function ask<T>(cmd: string): Promise<T> {
  return new Promise<T>((resolve) => {
    remote.once('message', (m) => resolve(m as T));
    remote.send({ cmd });
  });
}

beforeAll(async () => {
  nats = await NatsServer.start();
  receiver = await startReceiver();
  const script = fileURLToPath(new URL('./support/traced-node.ts', import.meta.url));
  const register = new URL('../../cluster/test/support/register-ts.mjs', import.meta.url).href;
  remote = fork(script, [JSON.stringify({ servers: nats.url, cluster: CLUSTER, node: 'stock', endpoint: receiver.url })], {
    execArgv: ['--conditions=@joerl/source', '--import', register],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, OTEL_TRACES_EXPORTER: '', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' },
  });
  await within(
    new Promise<void>((resolve, reject) => {
      remote.once('message', () => resolve());
      remote.once('exit', (code) => reject(new Error(`the remote node exited (${code})`)));
    }),
    60_000,
    'the remote node to start',
  );
});

afterAll(async () => {
  if (remote.exitCode === null && remote.signalCode === null) remote.kill('SIGKILL');
  await receiver?.close();
  await nats?.dispose();
});

describe('a trace across two nodes', () => {
  it('has one trace id: the caller client span, the remote handler server span as its child, and a plain message handled in a child of its sender', async () => {
    const otlp = await startOtlp({ endpoint: receiver.url, protocol: 'http/protobuf', metrics: false, serviceName: 'shop', node: 'front', telemetry: { eventLoop: false, logger: null } });
    const system = new ActorSystem({ logger: null, instrumentation: otlp.telemetry });
    let me: Cluster | undefined;
    try {
      me = await joinCluster(system, { servers: nats.url, cluster: CLUSTER, node: 'front', heartbeatMs: 100, heartbeatTimeoutMs: 600, logger: null, globalNames: false });
      await me.waitForNode('stock', 20_000);
      const left = await trace.getTracer('shop-http').startActiveSpan('POST /orders', async (span) => {
        try {
          system.send({ name: 'sink', node: 'stock' }, 'order placed');
          return await system.distribution!.call({ name: 'inventory', node: 'stock' }, { kind: 'reserve' }, 5000, null);
        } finally {
          span.end();
        }
      });
      expect(left).toBe(9);
      await otlp.forceFlush();
      expect(await within(ask<{ flushed: boolean }>('flush'), 20_000, 'the remote spans')).toEqual({ flushed: true });

      // both processes exported protobuf, decoded with the official OTLP definitions
      expect(new Set(receiver.requests.filter((r) => r.spans.length > 0).map((r) => r.encoding))).toEqual(new Set(['protobuf']));
      const spans = receiver.spans();
      const find = (name: string, service: string): DecodedSpan => {
        const s = spans.find((x) => x.name === name && x.resource['service.name'] === service);
        if (s === undefined) throw new Error(`no span '${name}' from ${service}; got ${spans.map((x) => `${x.name}@${String(x.resource['service.name'])}`).join(', ')}`);
        return s;
      };
      const root = find('POST /orders', 'shop');
      const client = find('call stock', 'shop');
      const server = find('inventory handle_call', 'inventory');
      expect(new Set([root.traceId, client.traceId, server.traceId]).size).toBe(1);
      expect(client.kind).toBe(3); // CLIENT
      expect(server.kind).toBe(2); // SERVER
      expect(client.parentSpanId).toBe(root.spanId);
      expect(server.parentSpanId).toBe(client.spanId);
      expect(client.attributes['joerl.peer']).toBe('stock');
      expect([client.resource['joerl.node'], server.resource['joerl.node']]).toEqual(['front', 'stock']);
      expect(client.attributes['joerl.call.outcome']).toBe('ok');
      // a plain message continues the trace on the other node too: handled in a child of the sender's span
      const handled = find('process sink', 'inventory');
      expect([handled.traceId, handled.parentSpanId, handled.kind]).toEqual([root.traceId, root.spanId, 5]); // CONSUMER
      // no client span on the serving node: the call there continues the caller's
      expect(spans.filter((s) => s.kind === 3 && s.resource['service.name'] === 'inventory')).toEqual([]);
    } finally {
      await me?.leave();
      await system.shutdown();
      await otlp.shutdown();
    }
  });
});
