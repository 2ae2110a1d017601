/**
 * The message flow: messages counted by sender type → receiver type, for a live graph of who
 * talks to whom. It listens to telemetry's `onMessageSent` only while a page is open (the
 * observer adds it when the first live-update client connects and removes it with the last), so
 * a system nobody watches pays nothing per message for it.
 *
 * @module
 */
import type { MessageSentEvent, TelemetryProvider } from '@joerl/telemetry';

/** Edges (sender type → receiver type) counted; messages on further edges are counted as `overflow`. */
export const MAX_FLOW_EDGES = 200;
/** The sender of a message sent from outside any actor. */
export const OUTSIDE = '(outside)';

/**
 * One edge of the message flow.
 * @since 0.1.0
 */
export interface FlowEdge {
  readonly from: string;
  readonly to: string;
  /** Messages per second since the previous update. */
  readonly perSecond: number;
  /** Messages counted while pages were open. */
  readonly total: number;
}

class Edge {
  count = 0;
  last = 0;
  constructor(
    readonly from: string,
    readonly to: string,
  ) {}
}

/** @internal */
export class MessageFlow implements TelemetryProvider {
  // keyed by the types' own strings (interned by core), never by strings built per message
  private readonly edges = new Map<string, Map<string, Edge>>();
  private size = 0;
  /** Messages on edges past {@link MAX_FLOW_EDGES}. */
  overflow = 0;
  private lastAt = 0;

  constructor(readonly name: string) {}

  // hot while a page is open: every message sent
  onMessageSent(event: MessageSentEvent): void {
    const from = event.senderType ?? OUTSIDE;
    let row = this.edges.get(from);
    if (row === undefined) {
      if (this.size >= MAX_FLOW_EDGES) {
        this.overflow++;
        return;
      }
      row = new Map();
      this.edges.set(from, row);
    }
    let edge = row.get(event.type);
    if (edge === undefined) {
      if (this.size >= MAX_FLOW_EDGES) {
        this.overflow++;
        return;
      }
      edge = new Edge(from, event.type);
      row.set(event.type, edge);
      this.size++;
    }
    edge.count++;
  }

  /** The edges with their rates since the previous call, busiest first. */
  sample(now: number): FlowEdge[] {
    const seconds = this.lastAt === 0 ? 0 : (now - this.lastAt) / 1000;
    this.lastAt = now;
    const out: FlowEdge[] = [];
    for (const row of this.edges.values()) {
      for (const e of row.values()) {
        out.push({ from: e.from, to: e.to, perSecond: seconds > 0 ? Math.round((e.count - e.last) / seconds) : 0, total: e.count });
        e.last = e.count;
      }
    }
    return out.sort((a, b) => b.perSecond - a.perSecond || b.total - a.total);
  }
}
