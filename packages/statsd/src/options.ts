/**
 * The options of `statsd()`, and their validation: a bad setting throws `InvalidConfigError`
 * naming it, at start-up, never later.
 *
 * @module
 */
import { InvalidConfigError } from '@joerl/core';
import type { Telemetry } from '@joerl/telemetry';
import type { ClientOptions, StatsD } from 'hot-shots';
import { normalizePrefix } from './stat-name.js';
import { TAG_STYLES, type TagStyle } from './tag-style.js';

/**
 * hot-shots client options `statsd()` passes on when it creates the client: `host`, `port`,
 * `protocol`, `maxBufferSize`, `bufferFlushInterval`, `globalTags`, `errorHandler`, `mock`...
 * `prefix`, `sampleRate` and `telegraf` are the exporter's own (see {@link StatsdOptions}).
 *
 * @example
 * ```ts
 * const client: StatsdClientOptions = { host: 'statsd.internal', port: 8125, maxBufferSize: 8192, globalTags: { region: 'eu' } };
 * statsd({ telemetry, ...client });
 * ```
 * @since 0.1.0
 */
export type StatsdClientOptions = Omit<ClientOptions, 'prefix' | 'sampleRate' | 'telegraf'>;

/**
 * Options of {@link statsd}: the exporter's own settings, plus either your hot-shots `client` or
 * the options to create one with.
 *
 * @example
 * ```ts
 * const options: StatsdOptions = { telemetry, host: '127.0.0.1', port: 8125, tags: 'dogstatsd', prefix: 'myapp', intervalMs: 10_000 };
 * const exporter = statsd(options);
 * ```
 * @since 0.1.0
 */
export interface StatsdOptions extends StatsdClientOptions {
  /** The telemetry whose metrics are exported. */
  readonly telemetry: Telemetry;
  /**
   * Your hot-shots client: it stays yours (`close()` leaves it open). Create it with
   * `errorHandler: statsdErrorHandler(telemetry)` so its failures are counted, and with
   * `telegraf: true` if `tags` is `'telegraf'`. Without it, the exporter creates one from the
   * client options (default UDP to `localhost:8125`).
   */
  readonly client?: StatsD;
  /** How often deltas are sent, ms (default 10 000, Etsy StatsD's flush interval). */
  readonly intervalMs?: number;
  /** How labels are sent (default `'dogstatsd'`). */
  readonly tags?: TagStyle;
  /** Prepended to every name, e.g. `'myapp'` → `myapp.joerl.actors.spawned` (default none). */
  readonly prefix?: string;
  /**
   * The fraction of histogram timing values sent, in (0, 1] (default 1). Sent values carry
   * `|@rate` so the server scales its counts back up. Counters and gauges are pre-aggregated
   * and always sent whole: dropping one would lose its increment for good.
   */
  readonly sampleRate?: number;
  /**
   * Most timing values sent per histogram series per flush (default 500): beyond it, a
   * proportional sample of this size is sent, and the exact `.exact.count` and `.exact.sum`
   * counters keep the totals.
   */
  readonly maxTimingsPerHistogram?: number;
}

/** @internal options after validation and defaults */
export interface ResolvedOptions {
  readonly telemetry: Telemetry;
  readonly client: StatsD | null;
  readonly clientOptions: StatsdClientOptions;
  readonly intervalMs: number;
  readonly tags: TagStyle;
  readonly prefix: string;
  readonly sampleRate: number;
  readonly maxTimingsPerHistogram: number;
}

const PREFIX = /^[A-Za-z0-9_.-]*$/;
const MAX_TIMER_MS = 2_147_483_647;

/** @internal validates `options` and fills in defaults; throws `InvalidConfigError` naming the bad setting */
export function resolveOptions(options: StatsdOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidConfigError('statsd options', options, 'an object with at least `telemetry`');
  }
  const { telemetry, client, intervalMs = 10_000, tags = 'dogstatsd', prefix = '', sampleRate = 1, maxTimingsPerHistogram = 500, ...clientOptions } = options;
  if (typeof telemetry !== 'object' || telemetry === null || typeof telemetry.collect !== 'function' || typeof telemetry.exportFailed !== 'function') {
    throw new InvalidConfigError('telemetry', telemetry, 'the Telemetry from createTelemetry() that the actor system uses');
  }
  if (client !== undefined) {
    if (typeof client !== 'object' || client === null || typeof client.increment !== 'function' || typeof client.flush !== 'function') {
      throw new InvalidConfigError('client', client, 'a hot-shots StatsD client (new StatsD({...}))');
    }
    const given = Object.keys(clientOptions).filter((key) => (clientOptions as Record<string, unknown>)[key] !== undefined);
    if (given.length > 0) {
      throw new InvalidConfigError('client', given.join(', '), 'either `client` or hot-shots client options, not both: set them on the client you pass');
    }
  }
  // Above 2^31 − 1 ms, Node fires a timer after 1 ms instead: a flush storm.
  if (typeof intervalMs !== 'number' || !Number.isFinite(intervalMs) || intervalMs <= 0 || intervalMs > MAX_TIMER_MS) {
    throw new InvalidConfigError('intervalMs', intervalMs, 'a positive number of milliseconds up to 2147483647 (about 24.8 days), e.g. 10000');
  }
  if (!TAG_STYLES.includes(tags)) {
    throw new InvalidConfigError('tags', tags, `one of ${TAG_STYLES.map((s) => `'${s}'`).join(', ')}`);
  }
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
    throw new InvalidConfigError('prefix', prefix, 'letters, digits, `_`, `-` and `.` only, e.g. "myapp"');
  }
  if (typeof sampleRate !== 'number' || !(sampleRate > 0 && sampleRate <= 1)) {
    throw new InvalidConfigError('sampleRate', sampleRate, 'a number in (0, 1], e.g. 0.1 to send one timing in ten');
  }
  if (!Number.isInteger(maxTimingsPerHistogram) || maxTimingsPerHistogram < 1) {
    throw new InvalidConfigError('maxTimingsPerHistogram', maxTimingsPerHistogram, 'a positive integer, e.g. 500');
  }
  return { telemetry, client: client ?? null, clientOptions, intervalMs, tags, prefix: normalizePrefix(prefix), sampleRate, maxTimingsPerHistogram };
}
