/**
 * The order service, as a library: `startDemo()` starts joerl (Prometheus endpoint and health
 * probes on loopback), the supervision tree, the HTTP API, the load generator and the faults;
 * the CLI (main.ts), `demo:stack` and the docs tests all start it this way.
 */
import type { Server } from 'node:http';
import { type App, start } from 'joerl';
import { DEFAULT_FAULTS, type Faults } from './faults.js';
import { apiHandler, listenApi } from './http-api.js';
import { type LoadGenerator, startLoad } from './load.js';
import { type Shop, startShop } from './orders/tree.js';

export { DEFAULT_FAULTS, type Faults } from './faults.js';

export interface DemoOptions {
  /** HTTP API port (default 8080; 0 picks a free one). */
  readonly apiPort?: number;
  /** Prometheus endpoint port (default 9464, or JOERL_PROMETHEUS_PORT). */
  readonly metricsPort?: number;
  /** Health probes port (default 9465, or JOERL_HEALTH_PORT). */
  readonly healthPort?: number;
  /** The observer's port (0 picks a free one); no observer unless given. Actions are on: the URL carries the token. */
  readonly observerPort?: number;
  /** Orders the load generator places per second (default 40; 0 turns it off). */
  readonly ordersPerSecond?: number;
  /** Orders admitted per second by the rate limiter (default 60). */
  readonly admitPerSecond?: number;
  /** Initial faults. */
  readonly faults?: Partial<Faults>;
  /** How long finished orders answer status queries (default 2000 ms). */
  readonly lingerMs?: number;
  /** Timing sampling rate (default 0.05: the demo wants histograms that fill quickly). */
  readonly timingSampling?: number;
  /** Environment for joerl's settings (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface Demo {
  readonly app: App;
  readonly shop: Shop;
  readonly load: LoadGenerator | null;
  readonly faults: Faults;
  readonly urls: {
    readonly api: string;
    readonly metrics: string;
    readonly livez: string;
    readonly readyz: string;
    readonly healthz: string;
    /** The observer's page, with its action token (empty without `observerPort`). */
    readonly observer: string;
  };
  stop(): Promise<void>;
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const faults: Faults = { ...DEFAULT_FAULTS, ...options.faults };
  const env = options.env ?? process.env;
  const app = await start({
    service: 'joerl-demo',
    env: { JOERL_TELEMETRY: 'prometheus', ...env },
    system: { logger: null }, // crashes are injected on purpose: count them, do not print them
    telemetry: { sampling: { timing: options.timingSampling ?? 0.05 } },
    prometheus: { ...(options.metricsPort === undefined ? {} : { port: options.metricsPort }), defaultMetrics: true },
    // a local demo: kill and restart from the page, with the token printed in the URL
    ...(options.observerPort === undefined ? {} : { observer: { port: options.observerPort, actions: true } }),
    health: {
      ...(options.healthPort === undefined ? {} : { port: options.healthPort }),
      supervisors: ['shop_sup'],
      // the demo injects faults: crashes and restarts are expected, up to a point
      thresholds: { panicRate: { warn: 60, critical: 600 }, restartRate: { warn: 60, critical: 600 } },
    },
  });
  let shop: Shop;
  try {
    shop = await startShop(app.system, { faults, admitPerSecond: options.admitPerSecond ?? 60, lingerMs: options.lingerMs ?? 2000 });
  } catch (error) {
    await app.shutdown();
    throw error;
  }
  const api: Server = await listenApi(apiHandler(app.system, shop, faults, () => help(urls)), options.apiPort ?? 8080, '127.0.0.1');
  const apiPort = (api.address() as { port: number }).port;
  const rate = options.ordersPerSecond ?? 40;
  const load = rate > 0 ? startLoad(app.system, shop, faults, rate) : null;
  const urls = {
    api: `http://127.0.0.1:${apiPort}`,
    metrics: app.urls.metrics ?? '',
    livez: app.urls.livez ?? '',
    readyz: app.urls.readyz ?? '',
    healthz: app.urls.healthz ?? '',
    observer: app.urls.observer ?? '',
  };
  let stopping: Promise<void> | null = null;
  return {
    app,
    shop,
    load,
    faults,
    urls,
    stop() {
      stopping ??= (async () => {
        load?.stop();
        await new Promise<void>((resolve) => api.close(() => resolve()));
        await app.shutdown({ timeoutMs: 3000 });
      })();
      return stopping;
    },
  };
}

function help(urls: Demo['urls']): string {
  return `joerl demo: an order service

  POST ${urls.api}/orders              {"sku":"mug","qty":2}
  GET  ${urls.api}/orders/<id>
  POST ${urls.api}/orders/<id>/cancel
  GET  ${urls.api}/faults              POST it {"crashRate":0.2,"slowMs":250,"floodEverySec":3,"lateCancelRate":0.2}

  metrics ${urls.metrics}
  health  ${urls.healthz}?verbose  (${urls.livez}, ${urls.readyz})
`;
}
