/**
 * The message flow as the page shows it: telemetry's flow counter (messages by sender type →
 * receiver type), turned into rates between two updates. Telemetry counts only while the
 * observer watches, which it does only while a page is open, so a system nobody watches pays
 * one boolean check per send for it.
 *
 * @module
 */
import type { MessageFlowSnapshot } from '@joerl/telemetry';

export { MAX_FLOW_EDGES, OUTSIDE } from '@joerl/telemetry';

/**
 * One edge of the message flow.
 * @since 0.1.0
 */
export interface FlowEdge {
  /** The sender's type, `(outside)` from outside any actor, or `(other)` for the folded edge. */
  readonly from: string;
  /** The receiver's type, or `(other)` for the folded edge. */
  readonly to: string;
  /** Messages per second since the previous update. */
  readonly perSecond: number;
  /** Messages counted while pages were open. */
  readonly total: number;
}

/**
 * The message flow of one update.
 * @since 0.1.0
 */
export interface FlowView {
  /** Busiest first. */
  readonly edges: readonly FlowEdge[];
  /** Messages counted on the `(other) → (other)` edge: edges past `MAX_FLOW_EDGES` fold into it. */
  readonly folded: number;
}

/** @internal rates from successive counts (once per update, never per message) */
export class FlowRates {
  private previous = new Map<string, number>();
  private lastAt = 0;

  sample(flow: MessageFlowSnapshot, now: number): FlowView {
    const seconds = this.lastAt === 0 ? 0 : (now - this.lastAt) / 1000;
    this.lastAt = now;
    const next = new Map<string, number>();
    const edges: FlowEdge[] = [];
    for (const e of flow.edges) {
      const key = `${e.from}\u0000${e.to}`;
      const before = this.previous.get(key) ?? 0; // counts only grow: an edge not seen before is new since then
      next.set(key, e.count);
      edges.push({ from: e.from, to: e.to, perSecond: seconds > 0 ? Math.round((e.count - before) / seconds) : 0, total: e.count });
    }
    this.previous = next;
    return { edges: edges.sort((a, b) => b.perSecond - a.perSecond || b.total - a.total), folded: flow.folded };
  }
}
