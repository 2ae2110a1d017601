/**
 * One telemetry snapshot per scrape, shared by every metric family of the scrape.
 *
 * @module
 */
import { formatValue, NO_NODE } from '@joerl/core';
import type { Logger } from '@joerl/core';
import type { MetricFamily, Telemetry } from '@joerl/telemetry';

/**
 * @internal
 * Reads `telemetry.collect()` at most once per scrape. prom-client renders a registry by calling
 * every metric's `get()` in one synchronous pass (each runs up to its first `await`); the first
 * family read collects, and the snapshot is dropped in a microtask, after that pass. So a scrape
 * costs one collect whatever the number of families, and every family of one scrape is read at
 * the same instant, while the next scrape is always fresh.
 */
export class ScrapeSnapshot {
  private families: Map<string, MetricFamily> | null = null;
  /** This scrape's node label (name and value), or null. */
  private nodeLabels: Readonly<Record<string, string>> | null = null;
  private readonly reported = new Set<string>();

  constructor(
    private readonly telemetry: Telemetry,
    private readonly logger: Logger | null,
    private readonly label: string,
    /** The label naming the node, or null for none. */
    private readonly nodeLabel: string | null = null,
  ) {}

  /**
   * `{ [nodeLabel]: node }` while the system is a node of a cluster, read once per scrape; null
   * for a single node or with the node label off.
   */
  node(): Readonly<Record<string, string>> | null {
    if (this.families === null) this.family('');
    return this.nodeLabels;
  }

  /** The family named `name` (a telemetry name, unprefixed) in this scrape's snapshot. */
  family(name: string): MetricFamily | undefined {
    if (this.families === null) {
      this.families = this.read();
      const node = this.nodeLabel === null ? NO_NODE : (this.telemetry.actorSystem?.nodeName ?? NO_NODE);
      this.nodeLabels = node === NO_NODE || this.nodeLabel === null ? null : { [this.nodeLabel]: node };
      queueMicrotask(() => {
        this.families = null;
      });
    }
    return this.families.get(name);
  }

  /** Reports a failure while exporting: logged the first time `what` fails, never thrown. */
  failed(what: string, error: unknown): void {
    if (this.reported.has(what)) return;
    this.reported.add(what);
    this.logger?.warn(`${this.label}: ${what} threw; scrapes return what they can without it (reported once): ${formatValue(error)}`, { error });
  }

  private read(): Map<string, MetricFamily> {
    const out = new Map<string, MetricFamily>();
    try {
      for (const family of this.telemetry.collect()) out.set(family.def.name, family);
    } catch (error) {
      // Never let telemetry break the scrape (or reach an actor): the families are just empty.
      this.failed('telemetry.collect()', error);
    }
    return out;
  }
}
