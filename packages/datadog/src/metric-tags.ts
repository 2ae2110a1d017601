/**
 * Catalog labels as Datadog tags: `key:value` strings, with the actor type under `actor_type`.
 *
 * @module
 */
import type { Labels, MetricDef } from '@joerl/telemetry';

/**
 * Tag keys that differ from the catalog's label names. `type` alone would be ambiguous next to
 * the tags of other integrations, so the actor type is `actor_type`; every other label keeps its
 * name (`reason`, `outcome`, `strategy`, `child_type`, `supervisor_type`, `state`...).
 *
 * @example
 * ```ts
 * import { TAG_KEYS } from '@joerl/datadog';
 *
 * const byType = `sum:joerl.messages.processed{*} by {${TAG_KEYS.type}}.as_count()`;
 * ```
 * @since 0.1.0
 */
export const TAG_KEYS: Readonly<Record<string, string>> = Object.freeze({ type: 'actor_type' });

/**
 * @internal
 * The DogStatsD name of a catalog metric: its OpenTelemetry name (`joerl.actors.spawned`), which
 * already follows Datadog's dotted naming.
 */
export function datadogMetricName(def: MetricDef): string {
  return def.otelName;
}

/** @internal The Datadog tags of a sample's labels. */
export function datadogTags(labels: Labels): string[] {
  const tags: string[] = [];
  for (const key of Object.keys(labels)) tags.push(tag(TAG_KEYS[key] ?? key, labels[key] as string));
  return tags;
}

/**
 * @internal One `key:value` tag. Characters that would break a DogStatsD line (`|`, `,`, `#`,
 * line breaks) become `_`; Datadog itself lowercases tags and maps other characters it does not
 * keep to `_`.
 */
export function tag(key: string, value: string): string {
  return `${clean(key)}:${clean(value)}`;
}

function clean(text: string): string {
  return text.replace(/[|,#\r\n]/g, '_');
}
