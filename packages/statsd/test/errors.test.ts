import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ActorSystem } from '@joerl/core';
import { deferred } from '@joerl/test-utils';
import { StatsD } from 'hot-shots';
import { statsd, statsdErrorHandler, type StatsdExporter } from '../src/index.js';
import { freePort, instrumented, within } from './helpers.js';

const exporters: StatsdExporter[] = [];
const systems: ActorSystem[] = [];
const servers: Server[] = [];
const clients: StatsD[] = [];
/** Releases every stalled client, so a failed test cannot leave close() waiting on one. */
const unstallAll: (() => void)[] = [];

afterEach(async () => {
  vi.useRealTimers();
  for (const unstall of unstallAll.splice(0)) unstall();
  await Promise.all(exporters.splice(0).map((e) => e.close()));
  await Promise.all(systems.splice(0).map((s) => s.shutdown()));
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  for (const c of clients.splice(0)) c.close();
});

function system() {
  const { telemetry, system } = instrumented();
  systems.push(system);
  const failures = () => telemetry.value('joerl_telemetry_export_errors_total', { backend: 'statsd' });
  return { telemetry, system, failures };
}

/** A TCP collector on `port` that resolves once `text` has arrived. */
async function tcpCollector(port: number, text: string) {
  const received = deferred();
  let all = '';
  const server = createServer((socket) =>
    socket.on('data', (chunk) => {
      all += chunk.toString();
      if (all.includes(text)) received.resolve();
    }),
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return received.promise;
}

/** Sends `count` messages to a fresh actor and resolves once it has handled them all. */
async function handled(sys: ActorSystem, count: number) {
  let seen = 0;
  const ref = sys.spawn<number>(() => {
    seen++;
  }, { type: 'busy' });
  for (let i = 0; i < count; i++) ref.send(i);
  await sys.idle();
  return seen;
}

describe('a collector that is down', () => {
  it('refusing TCP connections: flush resolves and the failures are counted', async () => {
    const { telemetry, failures } = system();
    const exporter = statsd({ telemetry, protocol: 'tcp', host: '127.0.0.1', port: await freePort() });
    exporters.push(exporter);
    await expect(exporter.flush()).resolves.toBeUndefined();
    expect(failures()).toBeGreaterThanOrEqual(1);
  });

  it('refusing TCP connections: every later flush fails quietly too, and is counted', async () => {
    const { telemetry, failures } = system();
    const exporter = statsd({ telemetry, protocol: 'tcp', host: '127.0.0.1', port: await freePort() });
    exporters.push(exporter);
    await exporter.flush();
    const after = failures();
    await exporter.flush();
    await exporter.flush();
    expect(failures()).toBeGreaterThanOrEqual(after + 2);
  });

  it('unreachable over UDP: flush resolves and actors go on handling messages', async () => {
    const { telemetry, system: sys } = system();
    // Nobody listens on this port (a free TCP port is almost always a free UDP port too).
    const exporter = statsd({ telemetry, host: '127.0.0.1', port: await freePort() });
    exporters.push(exporter);
    await exporter.flush();
    expect(await handled(sys, 100)).toBe(100);
    await expect(exporter.flush()).resolves.toBeUndefined();
  });

  it('coming back: exports resume with a new connection', async () => {
    const { telemetry, system: sys } = system();
    const port = await freePort();
    const exporter = statsd({ telemetry, protocol: 'tcp', host: '127.0.0.1', port });
    exporters.push(exporter);
    await exporter.flush();
    const arrived = tcpCollector(port, 'joerl.actors.spawned:1|c|#type:busy');
    await handled(sys, 1);
    await exporter.flush();
    await within(arrived, 5000, 'the export after the collector came back');
  });
});

describe('client errors', () => {
  it('of a client you pass are counted through statsdErrorHandler(telemetry)', async () => {
    const { telemetry, failures } = system();
    const reported = deferred();
    let errors = 0;
    // The refused connection is reported on the socket, separately from the failed write: two errors.
    const onError = () => ++errors === 2 && reported.resolve();
    const client = new StatsD({ protocol: 'tcp', host: '127.0.0.1', port: await freePort(), errorHandler: statsdErrorHandler(telemetry, onError) });
    clients.push(client);
    const exporter = statsd({ telemetry, client });
    exporters.push(exporter);
    await exporter.flush();
    await within(reported.promise, 5000, 'two client errors');
    expect(failures()).toBeGreaterThanOrEqual(2);
  });

  it('also reach the errorHandler you give, even one that throws', async () => {
    const { telemetry, failures } = system();
    const seen: string[] = [];
    const heard = deferred();
    const exporter = statsd({
      telemetry,
      protocol: 'tcp',
      host: '127.0.0.1',
      port: await freePort(),
      errorHandler: (error: Error & { code?: string }) => {
        seen.push(error.code ?? error.message);
        heard.resolve();
        throw new Error('a handler bug');
      },
    });
    exporters.push(exporter);
    await exporter.flush();
    await within(heard.promise, 5000, 'the errorHandler to be called');
    expect(seen).toContain('ECONNREFUSED');
    expect(failures()).toBeGreaterThanOrEqual(seen.length);
  });
});

describe('a slow collector', () => {
  /** A client whose flushes stay pending until the test releases them. */
  function stalledClient() {
    const client = new StatsD({ mock: true });
    const pending: (() => void)[] = [];
    let stalled = true;
    const flush = vi.spyOn(client, 'flush').mockImplementation((callback?: (error?: Error) => void) => {
      if (stalled) pending.push(() => callback?.());
      else callback?.();
    });
    const release = () => pending.splice(0).forEach((f) => f());
    /** Releases what is pending and lets later flushes through (so close() can finish). */
    const unstall = () => {
      stalled = false;
      release();
    };
    unstallAll.push(unstall);
    return { client, flush, release, unstall };
  }

  it('makes interval ticks skip and count rather than pile batches up; the next export carries their changes', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { telemetry, system: sys, failures } = system();
    const { client, flush, release, unstall } = stalledClient();
    const exporter = statsd({ telemetry, client, intervalMs: 1000 });
    exporters.push(exporter);
    vi.advanceTimersByTime(1000);
    expect(flush).toHaveBeenCalledTimes(1);
    await handled(sys, 5);
    vi.advanceTimersByTime(2000);
    expect(flush).toHaveBeenCalledTimes(1);
    expect(failures()).toBe(2);
    release();
    await vi.advanceTimersByTimeAsync(1000);
    expect(flush).toHaveBeenCalledTimes(2);
    expect(client.mockBuffer).toContain('joerl.messages.sent:5|c|#type:busy');
    unstall();
  });

  it('never holds up message handling', async () => {
    const { telemetry, system: sys } = system();
    const { client, unstall } = stalledClient();
    const exporter = statsd({ telemetry, client });
    exporters.push(exporter);
    const stuck = exporter.flush();
    expect(await handled(sys, 1000)).toBe(1000);
    unstall();
    await stuck;
  });
});
