/**
 * The exporter: every interval, the telemetry's changes go to DogStatsD; failures of that and of
 * dd-trace's span exports are counted, never thrown.
 *
 * @module
 */
import { formatValue, NO_NODE } from '@joerl/core';
import type { Logger } from '@joerl/core';
import { type DeltaBatch, DeltaCollector, type Telemetry, type TelemetryProvider } from '@joerl/telemetry';
import type { StatsD } from 'hot-shots';
import { ExportTimeoutError } from './errors.js';
import type { ExportResult } from './export-result.js';
import { histogramPoints } from './histogram-points.js';
import { datadogMetricName, datadogTags, tag } from './metric-tags.js';

/** The backend label of `joerl_telemetry_export_errors_total`. */
const BACKEND = 'datadog';

/**
 * How histograms are sent: DogStatsD `distribution` values (`|d`, the default: percentiles are
 * computed by Datadog across every host) or `histogram` values (`|h`: the agent computes
 * `.avg`, `.max`, `.median`, `.95percentile`, `.count` per host).
 *
 * @example
 * ```ts
 * datadog({ telemetry, tracer, histogramType: 'histogram' });
 * ```
 * @since 0.1.0
 */
export type HistogramType = 'distribution' | 'histogram';

/** hot-shots' line-level send: public on every client, though not in its type declarations. */
interface RawSender {
  send(message: string, tags: string[], callback: (error?: Error | null) => void): void;
  readonly prefix?: unknown;
  readonly suffix?: unknown;
}

/** @internal Everything an exporter is made of, resolved and checked by `datadog()`. */
export interface ExporterSettings {
  readonly telemetry: Telemetry;
  readonly client: StatsD;
  /** Whether the exporter created the client (and so closes it). */
  readonly ownsClient: boolean;
  /** Tags added to every line (the tag options, when the client is yours). */
  readonly extraTags: readonly string[];
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly histogramType: HistogramType;
  readonly logger: Logger | null;
}

/**
 * Sends one telemetry's metrics to DogStatsD every `intervalMs`, as `datadog()` set it up: counters
 * as increments, gauges as they are, histograms as one weighted value per non-empty bucket. It is
 * also the telemetry's provider `datadog`, so it sends a last batch when the actor system shuts
 * down.
 *
 * @example
 * ```ts
 * const exporter = datadog({ telemetry, tracer });
 * // ... at exit, or in a test:
 * await exporter.flush(); // { kind: 'sent', lines: 212 }
 * await exporter.shutdown();
 * ```
 * @since 0.1.0
 */
export class DatadogExporter {
  private readonly telemetry: Telemetry;
  /** `node:<name>` while the system is a node of a cluster, for the batch being written; else null. */
  private nodeTag: string | null = null;
  private readonly client: StatsD;
  private readonly raw: RawSender;
  private readonly deltas: DeltaCollector;
  private readonly settings: ExporterSettings;
  private readonly provider: TelemetryProvider;
  private readonly prefix: string;
  private readonly suffix: string;
  private readonly histogramSuffix: string;
  private timer: ReturnType<typeof setInterval> | null = null;
  private round = 0;
  private failedRound = -1;
  private roundError: unknown = undefined;
  private inFlight: Promise<ExportResult> | null = null;
  private closing: Promise<void> | null = null;
  private reported = false;
  private readonly cleanups: (() => void)[] = [];
  /** The one callback every client call gets: a failure fails the round (bound once). */
  private readonly onSent = (error?: Error | null): void => {
    if (error !== undefined && error !== null) this.failed(error);
  };

  /** @internal Use `datadog()`. */
  constructor(settings: ExporterSettings) {
    this.settings = settings;
    this.telemetry = settings.telemetry;
    this.client = settings.client;
    this.raw = settings.client as unknown as RawSender;
    this.deltas = new DeltaCollector(settings.telemetry);
    this.prefix = typeof this.raw.prefix === 'string' ? this.raw.prefix : '';
    this.suffix = typeof this.raw.suffix === 'string' ? this.raw.suffix : '';
    this.histogramSuffix = settings.histogramType === 'distribution' ? '|d' : '|h';
    this.provider = {
      name: BACKEND,
      start: () => this.start(),
      shutdown: () => this.shutdown(),
    };
  }

  /** @internal The `TelemetryProvider` this exporter runs as (added by `datadog()`). */
  get asProvider(): TelemetryProvider {
    return this.provider;
  }

  /** @internal Runs `cleanup` at shutdown (e.g. stop watching dd-trace's failures). */
  onShutdown(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  /**
   * Sends what changed since the last export now (the interval calls this too). Resolves with
   * what happened, never rejects; while an export is in flight, another one is skipped rather
   * than queued.
   */
  flush(): Promise<ExportResult> {
    if (this.closing !== null) return Promise.resolve({ kind: 'skipped', reason: 'shut_down' });
    return this.exportOnce();
  }

  /**
   * Stops the interval, sends a last batch, and closes the DogStatsD client if the exporter
   * created it. Idempotent; the actor system's shutdown calls it too.
   */
  shutdown(): Promise<void> {
    this.closing ??= this.close();
    return this.closing;
  }

  /** @internal A span payload dd-trace could not deliver: one failed export each. */
  traceExportFailed(message: string): void {
    this.count(message);
  }

  /** @internal An error the DogStatsD client reported outside a call (its socket, a buffer flush). */
  clientFailed(error: unknown): void {
    this.failed(error);
  }

  /** @internal Undoes a construction `datadog()` could not finish: no export, the client closed if ours. */
  async discard(): Promise<void> {
    this.closing ??= (async () => {
      if (this.timer !== null) clearInterval(this.timer);
      this.timer = null;
      this.runCleanups();
      if (this.settings.ownsClient) await this.closeClient();
    })();
    await this.closing;
  }

  private start(): void {
    if (this.timer !== null || this.closing !== null) return;
    // Its export-errors series reads 0 from the start, so no query needs `or vector(0)`.
    this.telemetry.exporterStarted(BACKEND);
    this.timer = setInterval(() => void this.flush(), this.settings.intervalMs);
    // Metrics never keep a process alive.
    this.timer.unref();
  }

  private exportOnce(): Promise<ExportResult> {
    if (this.inFlight !== null) return Promise.resolve({ kind: 'skipped', reason: 'in_flight' });
    const running = this.export().finally(() => {
      this.inFlight = null;
    });
    this.inFlight = running;
    return running;
  }

  private async export(): Promise<ExportResult> {
    const round = ++this.round;
    let lines = 0;
    try {
      lines = this.write(this.deltas.next());
    } catch (error) {
      this.failed(error);
      return { kind: 'failed', lines, error };
    }
    const error = await this.flushClient();
    if (error !== undefined) this.failed(error);
    return this.failedRound === round ? { kind: 'failed', lines, error: this.roundError } : { kind: 'sent', lines };
  }

  /** Hands a batch to the client; returns the number of lines. */
  private write(batch: DeltaBatch): number {
    const client = this.client;
    const node = this.telemetry.actorSystem?.nodeName;
    this.nodeTag = node === undefined || node === NO_NODE ? null : tag('node', node);
    let lines = 0;
    // Rate 1 explicitly: a client configured with a default sample rate would otherwise drop lines.
    for (const c of batch.counters) {
      client.increment(datadogMetricName(c.def), c.delta, 1, this.tags(c.labels), this.onSent);
      lines++;
    }
    for (const g of batch.gauges) {
      client.gauge(datadogMetricName(g.def), g.value, 1, this.tags(g.labels), this.onSent);
      lines++;
    }
    for (const h of batch.histograms) {
      const head = `${this.prefix}${datadogMetricName(h.def)}${this.suffix}:`;
      const tags = this.tags(h.labels);
      for (const p of histogramPoints(h)) {
        // hot-shots samples client-side whenever a rate < 1 is given: these values are already
        // complete, so the line (with its rate, for the agent's weighting) is written as is.
        this.raw.send(`${head}${p.value}${this.histogramSuffix}${p.rate === '1' ? '' : `|@${p.rate}`}`, tags, this.onSent);
        lines++;
      }
    }
    return lines;
  }

  private tags(labels: DeltaBatch['counters'][number]['labels']): string[] {
    const tags = datadogTags(labels);
    for (const t of this.settings.extraTags) tags.push(t);
    if (this.nodeTag !== null) tags.push(this.nodeTag);
    return tags;
  }

  /** Flushes the client's buffer; resolves with its error, a timeout, or undefined. */
  private flushClient(): Promise<unknown> {
    return new Promise((resolve) => {
      const timeoutMs = this.settings.timeoutMs;
      const timer = setTimeout(() => resolve(new ExportTimeoutError(timeoutMs)), timeoutMs);
      timer.unref();
      try {
        this.client.flush((error) => {
          clearTimeout(timer);
          resolve(error ?? undefined);
        });
      } catch (error) {
        clearTimeout(timer);
        resolve(error);
      }
    });
  }

  /** Fails the current round: counted once per round, however many lines failed. */
  private failed(error: unknown): void {
    if (this.failedRound === this.round) return;
    this.failedRound = this.round;
    this.roundError = error;
    this.count(error);
  }

  /**
   * Counts one failed export in `joerl_telemetry_export_errors_total{backend="datadog"}`; the
   * first is also reported through the logger.
   */
  private count(error: unknown): void {
    this.telemetry.exportFailed(BACKEND);
    if (this.reported || this.settings.logger === null) return;
    this.reported = true;
    try {
      this.settings.logger.warn(
        `datadog: an export failed; telemetry goes on and the next export retries (counted in joerl_telemetry_export_errors_total{backend="datadog"}; reported once): ${formatValue(error)}`,
        { error },
      );
    } catch {
      // A logger that throws must not turn a counted failure into an exception.
    }
  }

  private async close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.inFlight !== null) await this.inFlight;
    await this.exportOnce();
    this.runCleanups();
    if (this.settings.ownsClient) await this.closeClient();
    // Not awaited: removing the provider calls its shutdown, i.e. this.
    void this.telemetry.removeProvider(this.provider);
  }

  private runCleanups(): void {
    for (const cleanup of this.cleanups.splice(0)) {
      try {
        cleanup();
      } catch {
        // Shutting down goes on whatever a cleanup does.
      }
    }
  }

  private closeClient(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.settings.timeoutMs);
      timer.unref();
      try {
        this.client.close(() => {
          clearTimeout(timer);
          resolve();
        });
      } catch {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}
