/**
 * Tag styles: how a sample's labels travel to a StatsD server — as DogStatsD tags, as Telegraf
 * tags, or folded into the metric name for plain StatsD and Graphite.
 *
 * @module
 */
import type { Labels, MetricDef } from '@joerl/telemetry';

/**
 * How labels are sent:
 * - `'dogstatsd'`: tags after the value, `joerl.actors.spawned:3|c|#type:worker` (Datadog agent,
 *   Telegraf with `datadog_extensions`, the OpenTelemetry Collector's StatsD receiver, Etsy
 *   StatsD ≥ 0.9 which turns them into Graphite tags `;type=worker`);
 * - `'telegraf'`: tags in the name, `joerl.actors.spawned,type=worker:3|c` (Telegraf's StatsD input);
 * - `'names'`: values folded into the name, `joerl.actors.spawned.worker:3|c` (plain StatsD,
 *   Graphite without tag support).
 *
 * @example
 * ```ts
 * const style: TagStyle = process.env.STATSD_TAGS === 'telegraf' ? 'telegraf' : 'dogstatsd';
 * statsd({ telemetry, tags: style });
 * ```
 * @since 0.1.0
 */
export type TagStyle = 'dogstatsd' | 'telegraf' | 'names';

/** @internal every tag style, for validation and docs */
export const TAG_STYLES: readonly TagStyle[] = ['dogstatsd', 'telegraf', 'names'];

/** @internal a series' name and tags on the wire */
export interface Series {
  readonly name: string;
  /** `key:value` tags (hot-shots turns them into `key=value` in Telegraf mode), or none. */
  readonly tags: string[] | undefined;
}

// What each style keeps of a label value; everything else becomes `_`.
// DogStatsD: Datadog's own tag alphabet (letters, digits, `_ - : . /`).
const DOGSTATSD_VALUE = /[^A-Za-z0-9_\-:./]/g;
// Telegraf: no `,` `=` `:` or spaces, which delimit tags and the value in its line protocol.
const TELEGRAF_VALUE = /[^A-Za-z0-9_\-./]/g;
// Names: one Graphite path segment, so no dots either.
const NAME_SEGMENT = /[^A-Za-z0-9_-]/g;

/** @internal a label value made safe for one style (an empty value becomes `_`) */
export function sanitizeLabelValue(style: TagStyle, value: string): string {
  if (value.length === 0) return '_';
  switch (style) {
    case 'dogstatsd':
      return value.replace(DOGSTATSD_VALUE, '_');
    case 'telegraf':
      return value.replace(TELEGRAF_VALUE, '_');
    case 'names':
      return value.replace(NAME_SEGMENT, '_');
    default: {
      const never: never = style;
      return never;
    }
  }
}

/**
 * @internal The wire name and tags of one sample: labels in the catalog's order (then any others),
 * each value sanitised for the style.
 */
export function series(style: TagStyle, name: string, def: MetricDef, labels: Labels): Series {
  const keys = labelKeys(def, labels);
  if (keys.length === 0) return { name, tags: undefined };
  if (style === 'names') {
    let folded = name;
    for (const key of keys) folded += `.${sanitizeLabelValue(style, labels[key] ?? '')}`;
    return { name: folded, tags: undefined };
  }
  return { name, tags: keys.map((key) => `${key.replace(NAME_SEGMENT, '_')}:${sanitizeLabelValue(style, labels[key] ?? '')}`) };
}

function labelKeys(def: MetricDef, labels: Labels): string[] {
  const keys = def.labels.filter((key) => key in labels);
  for (const key of Object.keys(labels)) if (!def.labels.includes(key)) keys.push(key);
  return keys;
}
