import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, InvalidConfigError, MissingBackendError, start, StartFailedError } from '../src/index.js';

const apps: App[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.shutdown();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** Every port on loopback, picked by the OS: tests never collide. */
const quiet = { logger: null, system: { logger: null }, telemetry: { eventLoop: false as const } };
const ports = { prometheus: { port: 0 }, health: { port: 0 } };

async function started(options: Parameters<typeof start>[0]): Promise<App> {
  const app = await start(options);
  apps.push(app);
  return app;
}

describe('start()', () => {
  it('gives a running system with telemetry and health probes, and no backend unless asked', async () => {
    const loaded: string[] = [];
    const app = await started({ ...quiet, ...ports, env: {}, importer: (m) => (loaded.push(m), import(m)) });
    expect(app.backends).toEqual([]);
    expect(loaded).toEqual([]);
    const ref = app.system.spawn<number>(() => {}, { type: 'w' });
    ref.send(1);
    await app.system.idle();
    expect(app.telemetry.value('joerl_messages_processed_total', { type: 'w' })).toBe(1);
    const readyz = await fetch(app.urls.readyz!);
    expect(readyz.status).toBe(200);
    expect(app.urls.metrics).toBeUndefined();
  });

  it('picks backends from JOERL_TELEMETRY, loading only the chosen packages', async () => {
    const loaded: string[] = [];
    const app = await started({ ...quiet, ...ports, env: { JOERL_TELEMETRY: 'prometheus' }, importer: (m) => (loaded.push(m), import(m)) });
    expect(loaded).toEqual(['@joerl/prometheus']);
    expect(app.backends).toEqual(['prometheus']);
    const text = await (await fetch(app.urls.metrics!)).text();
    expect(text).toContain('joerl_actors_spawned_total');
    // health gauges reach every backend through the telemetry
    expect(text).toMatch(/^joerl_health_status\{state="healthy"\} 1$/m);
  });

  it('lets code choose backends and sampling, and code wins over the environment', async () => {
    const app = await started({
      ...quiet,
      ...ports,
      env: { JOERL_TELEMETRY: 'statsd', JOERL_SAMPLING_TIMING: '0.5' },
      telemetry: { ...quiet.telemetry, backends: ['prometheus'], sampling: { calls: 0.25 } },
    });
    expect(app.backends).toEqual(['prometheus']);
    expect(app.telemetry.sampling).toEqual({ timing: 0.5, calls: 0.25, spans: 0 });
  });

  it('fails fast, naming the setting, on an unknown backend, a bad rate or a malformed variable', async () => {
    await expect(start({ ...quiet, env: { JOERL_TELEMETRY: 'prometheus,graphite' } })).rejects.toThrow(/JOERL_TELEMETRY=prometheus,graphite.*'prometheus', 'otlp', 'statsd', 'datadog'/);
    await expect(start({ ...quiet, env: {}, telemetry: { backends: ['influx' as never] } })).rejects.toThrow(/telemetry\.backends\[0\]/);
    await expect(start({ ...quiet, env: { JOERL_SAMPLING_TIMING: '2' } })).rejects.toThrow(/JOERL_SAMPLING_TIMING=2.*between 0 and 1/);
    await expect(start({ ...quiet, env: { JOERL_SAMPLING_SPANS: 'lots' } })).rejects.toThrow(/JOERL_SAMPLING_SPANS/);
    await expect(start({ ...quiet, env: {}, telemetry: { sampling: { timing: -1 } } })).rejects.toThrow(/telemetry\.sampling\.timing/);
    await expect(start({ ...quiet, env: { JOERL_PROMETHEUS_PORT: 'ninety' } })).rejects.toThrow(/JOERL_PROMETHEUS_PORT/);
    await expect(start({ ...quiet, env: { JOERL_HEALTH: 'maybe' } })).rejects.toThrow(/JOERL_HEALTH.*'on' or 'off'/);
    const error = await start({ ...quiet, env: { JOERL_TELEMETRY: 'nope' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as InvalidConfigError).code).toBe('INVALID_CONFIG');
  });

  it('names the packages to install when a chosen backend is missing, before starting anything', async () => {
    const missing = (m: string) => Promise.reject(Object.assign(new Error(`Cannot find package '${m}'`), { code: 'ERR_MODULE_NOT_FOUND' }));
    const error = await start({ ...quiet, ...ports, env: { JOERL_TELEMETRY: 'otlp' }, importer: missing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingBackendError);
    const e = error as MissingBackendError;
    expect(e.code).toBe('MISSING_BACKEND');
    expect(e.install).toMatch(/^pnpm add @joerl\/otlp @opentelemetry\/api /);
    expect(e.message).toContain('JOERL_TELEMETRY');
  });

  it('a port in use fails with the setting to change, and leaves nothing running', async () => {
    const taken = createServer();
    servers.push(taken);
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    const error = await start({ ...quiet, health: { port: 0 }, env: { JOERL_TELEMETRY: 'prometheus', JOERL_PROMETHEUS_PORT: String(port) } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartFailedError);
    expect((error as StartFailedError).message).toMatch(new RegExp(`prometheus could not start: port ${port} on 127.0.0.1 is in use; change JOERL_PROMETHEUS_PORT`));
  });

  it('shutdown fails readiness first, stops the system, and closes the endpoints', async () => {
    const app = await started({ ...quiet, ...ports, env: { JOERL_TELEMETRY: 'prometheus' } });
    const worker = app.system.spawn(() => {}, { type: 'w' });
    await app.shutdown();
    expect(app.health?.shuttingDown).toBe(true);
    expect(app.system.status).toBe('stopped');
    expect(worker.isAlive()).toBe(false);
    await expect(fetch(app.urls.metrics!)).rejects.toThrow();
  });

  it('health: false turns the probes off (or JOERL_HEALTH=off)', async () => {
    const a = await started({ ...quiet, health: false, env: {} });
    const b = await started({ ...quiet, env: { JOERL_HEALTH: 'off' } });
    expect([a.health, b.health]).toEqual([null, null]);
    expect(a.urls.readyz).toBeUndefined();
  });
});

describe('start() with the observer', () => {
  it('is off unless asked for', async () => {
    const app = await started({ ...quiet, ...ports, env: {} });
    expect(app.observer).toBeNull();
    expect(app.urls.observer).toBeUndefined();
  });

  it('observer: { port } mounts the web UI on loopback, with the health status in its overview; shutdown closes it', async () => {
    const app = await started({ ...quiet, ...ports, observer: { port: 0 }, env: {} });
    const url = app.urls.observer as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((await fetch(url)).headers.get('content-security-policy')).toContain("script-src 'self'");
    const overview = (await (await fetch(new URL('/api/overview', url))).json()) as { health: string; actions: boolean };
    expect(overview).toMatchObject({ health: 'healthy', actions: false });
    await app.shutdown();
    await expect(fetch(url)).rejects.toThrow();
  });

  it('JOERL_OBSERVER=1 turns it on when the code says nothing; with actions the URL carries the token', async () => {
    const a = await started({ ...quiet, ...ports, env: { JOERL_OBSERVER: '1', JOERL_OBSERVER_PORT: '0' } });
    expect(a.observer).not.toBeNull();
    const b = await started({ ...quiet, ...ports, observer: { port: 0, actions: true }, env: {} });
    expect(b.urls.observer).toBe(`${new URL(b.urls.observer as string).origin}/#token=${b.observer?.token}`);
    const c = await started({ ...quiet, ...ports, observer: false, env: { JOERL_OBSERVER: '1' } });
    expect(c.observer).toBeNull();
  });

  it('fails fast on a malformed JOERL_OBSERVER or observer option', async () => {
    await expect(start({ ...quiet, ...ports, env: { JOERL_OBSERVER: 'maybe' } })).rejects.toThrow(/JOERL_OBSERVER.*'on' or 'off'/);
    await expect(start({ ...quiet, ...ports, observer: 'yes' as never, env: {} })).rejects.toThrow(InvalidConfigError);
    await expect(start({ ...quiet, ...ports, observer: { port: 0, updatesPerSecond: 100 }, env: {} })).rejects.toThrow(/updatesPerSecond/);
  });
});

describe('start() edge cases', () => {
  it('tracing: false with otlp starts, exporting metrics only', async () => {
    const app = await started({ ...quiet, health: false, env: {}, telemetry: { ...quiet.telemetry, backends: ['otlp'], tracing: false }, otlp: { endpoint: 'http://127.0.0.1:9', timeoutMs: 200 } });
    expect(app.telemetry.tracingEnabled).toBe(false);
  });

  it('checks JOERL_HEALTH even when the code configures health, and tolerates a trailing comma in JOERL_TELEMETRY', async () => {
    await expect(start({ ...quiet, health: { port: 0 }, env: { JOERL_HEALTH: 'bogus' } })).rejects.toThrow(/JOERL_HEALTH/);
    const app = await started({ ...quiet, ...ports, env: { JOERL_TELEMETRY: 'prometheus,' } });
    expect(app.backends).toEqual(['prometheus']);
  });

  it('an unusable host names the host setting, not the port', async () => {
    const error = await start({ ...quiet, health: false, env: { JOERL_TELEMETRY: 'prometheus', JOERL_PROMETHEUS_HOST: 'nonexistent.invalid' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartFailedError);
    expect((error as Error).message).toMatch(/cannot listen on host 'nonexistent.invalid'.*change JOERL_PROMETHEUS_HOST/);
  });
});
