/**
 * The tags every metric carries: Datadog's unified service tags (`env`, `service`, `version`)
 * and `DD_TAGS`, as dd-trace reads them for spans.
 *
 * @module
 */
import { tag } from './metric-tags.js';

/** @internal Where global tags come from: options first, then the `DD_*` variables. */
export interface GlobalTagSources {
  readonly env?: string | undefined;
  readonly service?: string | undefined;
  readonly version?: string | undefined;
  readonly tags?: Readonly<Record<string, string>> | undefined;
}

/**
 * @internal
 * `DD_TAGS` (comma- or space-separated `key:value`), then `env` / `service` / `version` (the
 * option, else `DD_ENV` / `DD_SERVICE` / `DD_VERSION`), then the `tags` option; a later key
 * replaces an earlier one, so code wins over the environment as in dd-trace.
 */
export function globalTags(sources: GlobalTagSources, environment: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const byKey = new Map<string, string>();
  const raw = environment.DD_TAGS ?? '';
  for (const item of raw.split(raw.includes(',') ? ',' : /\s+/)) {
    const entry = item.trim();
    if (entry === '') continue;
    const colon = entry.indexOf(':');
    if (colon <= 0) byKey.set(entry, entry);
    else byKey.set(entry.slice(0, colon), tag(entry.slice(0, colon), entry.slice(colon + 1)));
  }
  const unified: [string, string | undefined][] = [
    ['env', sources.env ?? environment.DD_ENV],
    ['service', sources.service ?? environment.DD_SERVICE],
    ['version', sources.version ?? environment.DD_VERSION],
  ];
  for (const [key, value] of unified) if (value !== undefined && value !== '') byKey.set(key, tag(key, value));
  for (const [key, value] of Object.entries(sources.tags ?? {})) byKey.set(key, tag(key, value));
  return [...byKey.values()];
}
