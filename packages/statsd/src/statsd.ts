/**
 * The StatsD exporter: every `intervalMs` it takes what changed in the telemetry and sends it
 * through a hot-shots client.
 *
 * @module
 */
import { formatValue, NO_NODE } from '@joerl/core';
import { DeltaCollector, type Telemetry } from '@joerl/telemetry';
import { StatsD } from 'hot-shots';
import { BatchEmitter } from './emit-batch.js';
import { BACKEND, statsdErrorHandler } from './error-handler.js';
import { resolveOptions, type ResolvedOptions, type StatsdOptions } from './options.js';

/**
 * A running StatsD exporter, from {@link statsd}.
 *
 * @example
 * ```ts
 * const exporter: StatsdExporter = statsd({ telemetry });
 * await exporter.flush(); // e.g. before a serverless function freezes
 * process.once('SIGTERM', () => void exporter.close());
 * ```
 * @since 0.1.0
 */
export interface StatsdExporter {
  /** The hot-shots client in use: yours, or the one the exporter created. */
  readonly client: StatsD;
  /**
   * Sends what changed since the last flush now, and resolves once hot-shots has handed it to the
   * transport. Never rejects: failures are counted in `joerl_telemetry_export_errors_total`.
   */
  flush(): Promise<void>;
  /**
   * Stops the interval, sends a last flush, and closes the client if the exporter created it (a
   * client you passed stays open). Idempotent; `flush()` afterwards sends nothing.
   */
  close(): Promise<void>;
}

/**
 * Exports a telemetry's metrics to StatsD, DogStatsD or Telegraf through hot-shots.
 *
 * Every `intervalMs` (an unref'd timer: it never keeps the process alive) it sends counters as
 * increments since the previous flush, gauges as their current value, and histograms as timing
 * values (one per observation, inside its bucket) plus exact `<name>.exact.count` and
 * `<name>.exact.sum` counters; hot-shots packs them into datagrams of `maxBufferSize` bytes
 * (default 1432). Times are in milliseconds.
 *
 * It never throws after start-up: client errors are counted in
 * `joerl_telemetry_export_errors_total{backend="statsd"}`. While one export is still being sent
 * (a slow TCP collector), interval ticks are skipped and counted, and their changes go out with
 * the next export: at most one batch is ever in flight. A client the exporter created is replaced
 * after a failed export, so a TCP collector that comes back is reconnected to (once per interval
 * at most).
 *
 * @throws InvalidConfigError for a bad option, naming it.
 * @example
 * ```ts
 * import { ActorSystem } from '@joerl/core';
 * import { createTelemetry } from '@joerl/telemetry';
 * import { statsd } from '@joerl/statsd';
 *
 * const telemetry = createTelemetry();
 * const system = new ActorSystem({ instrumentation: telemetry });
 * const exporter = statsd({ telemetry, host: '127.0.0.1', port: 8125, prefix: 'myapp' });
 * // ... on shutdown:
 * await exporter.close();
 * ```
 * @since 0.1.0
 */
export function statsd(options: StatsdOptions): StatsdExporter {
  return new Exporter(resolveOptions(options));
}

/** The longest `close()` waits for hot-shots to close its socket (it drains in-flight sends for up to 550 ms). */
const CLOSE_WAIT_MS = 2000;

/** The exporter behind {@link statsd}. */
class Exporter implements StatsdExporter {
  private readonly telemetry: Telemetry;
  private readonly options: ResolvedOptions;
  private readonly deltas: DeltaCollector;
  private readonly emitter: BatchEmitter;
  private readonly timer: ReturnType<typeof setInterval>;
  private current: StatsD;
  /** whether the exporter created (and so may replace and close) the client */
  private readonly owned: boolean;
  /** the last export's transport failed: replace an owned client before the next one */
  private failedLast = false;
  private inFlight: Promise<void> | null = null;
  private closing: Promise<void> | null = null;

  constructor(options: ResolvedOptions) {
    this.options = options;
    this.telemetry = options.telemetry;
    // Its export-errors series reads 0 from the start, so no query needs `or vector(0)`.
    this.telemetry.exporterStarted(BACKEND);
    this.deltas = new DeltaCollector(options.telemetry);
    this.emitter = new BatchEmitter(options.tags, options.prefix, options.sampleRate, options.maxTimingsPerHistogram);
    this.owned = options.client === null;
    this.current = options.client ?? this.createClient();
    this.timer = setInterval(() => this.tick(), options.intervalMs);
    this.timer.unref();
  }

  get client(): StatsD {
    return this.current;
  }

  flush(): Promise<void> {
    return this.closing === null ? this.export() : Promise.resolve();
  }

  close(): Promise<void> {
    if (this.closing !== null) return this.closing;
    clearInterval(this.timer);
    const last = this.export();
    this.closing = last.then(() => {
      if (!this.owned) return;
      // A client whose transport just failed may never report its close (hot-shots waits for a
      // 'close' event a destroyed TCP socket has already emitted): close it without waiting.
      if (this.failedLast) void this.closeClient(this.current);
      else return this.closeClient(this.current);
    });
    return this.closing;
  }

  private tick(): void {
    if (this.inFlight !== null) {
      // The previous export is still being sent: skip rather than pile batches up behind it.
      // Nothing is lost: the next export's deltas include this interval's changes.
      this.telemetry.exportFailed(BACKEND);
      return;
    }
    void this.export();
  }

  private export(): Promise<void> {
    if (this.owned && this.failedLast) this.replaceClient();
    const client = this.current;
    try {
      this.emitter.emit(client, this.deltas.next(), nodeOf(this.telemetry));
    } catch {
      // hot-shots throws synchronously only without an errorHandler (e.g. a cached DNS error).
      this.telemetry.exportFailed(BACKEND);
    }
    const sent = new Promise<void>((resolve) => {
      const done = (error?: Error) => {
        if (error) this.telemetry.exportFailed(BACKEND);
        this.failedLast = error !== undefined && error !== null;
        resolve();
      };
      try {
        client.flush(done);
      } catch (error) {
        done(error instanceof Error ? error : new Error(formatValue(error)));
      }
    });
    const tracked: Promise<void> = sent.then(() => {
      if (this.inFlight === tracked) this.inFlight = null;
    });
    this.inFlight = tracked;
    return tracked;
  }

  private createClient(): StatsD {
    const o = this.options;
    const names = o.tags === 'names';
    const protocol = o.clientOptions.protocol;
    return new StatsD({
      // One Ethernet MTU less headers, as Datadog recommends, for UDP and TCP; hot-shots' own default (8 KiB) for Unix sockets.
      ...(protocol === 'uds' || protocol === 'stream' ? {} : { maxBufferSize: 1432 }),
      // Plain StatsD servers choke on `|#`: no DD_ENV/DD_SERVICE/DD_TAGS tags in 'names' style unless asked.
      ...(names ? { includeDataDogTags: false, datadog: false } : {}),
      ...o.clientOptions,
      telegraf: o.tags === 'telegraf',
      errorHandler: statsdErrorHandler(this.telemetry, o.clientOptions.errorHandler),
    });
  }

  private replaceClient(): void {
    const old = this.current;
    try {
      this.current = this.createClient();
    } catch {
      this.telemetry.exportFailed(BACKEND);
      return;
    }
    void this.closeClient(old);
  }

  /** Closes `client`, resolving when it reports back or after {@link CLOSE_WAIT_MS} at most. */
  private closeClient(client: StatsD): Promise<void> {
    return new Promise((resolve) => {
      const bound = setTimeout(resolve, CLOSE_WAIT_MS);
      bound.unref();
      const done = () => {
        clearTimeout(bound);
        resolve();
      };
      try {
        client.close(done);
      } catch {
        done();
      }
    });
  }
}

/** The name of the cluster node the telemetry's system is, or null for a single node. */
function nodeOf(telemetry: Telemetry): string | null {
  const node = telemetry.actorSystem?.nodeName;
  return node === undefined || node === NO_NODE ? null : node;
}
