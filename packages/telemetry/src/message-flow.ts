/**
 * The message flow: messages counted by sender type → receiver type, for a live graph of who
 * talks to whom (`@joerl/observer` draws it). It counts only while someone watches
 * ({@link Telemetry.watchMessageFlow}): otherwise a send pays one boolean check for it.
 *
 * @module
 */
import type { ActorType } from '@joerl/core';
import { OTHER } from './reserved-labels.js';

/** Edges (sender type → receiver type) counted apart; messages on further edges count on one `(other) → (other)` edge. */
export const MAX_FLOW_EDGES = 200;
/** The sender type of a message sent from outside any actor. */
export const OUTSIDE = '(outside)';

/**
 * One edge of the message flow: messages from actors of one type to actors of another.
 * @since 0.1.0
 */
export interface FlowCount {
  /** The sender's type, {@link OUTSIDE}, or `(other)` for the folded edge. */
  readonly from: string;
  /** The receiver's type, or `(other)` for the folded edge. */
  readonly to: string;
  /** Messages counted on this edge while the flow was watched. */
  readonly count: number;
}

/**
 * The message flow as counted so far.
 * @since 0.1.0
 */
export interface MessageFlowSnapshot {
  /** At most {@link MAX_FLOW_EDGES} edges, plus the `(other) → (other)` edge once anything was folded. */
  readonly edges: readonly FlowCount[];
  /** Messages counted on the `(other) → (other)` edge because {@link MAX_FLOW_EDGES} edges were taken. */
  readonly folded: number;
}

class Edge {
  count = 0;
  constructor(
    readonly from: string,
    readonly to: string,
  ) {}
}

/** @internal the counter */
export class FlowCounter {
  // keyed by the types' records (one object per type and system), never by strings built per message
  private readonly rows = new Map<ActorType | null, Map<ActorType, Edge>>();
  private size = 0;
  private readonly other = new Edge(OTHER, OTHER);

  // hot while watched: every send
  count(from: ActorType | null, to: ActorType): void {
    let row = this.rows.get(from);
    let edge = row === undefined ? undefined : row.get(to);
    if (edge === undefined) {
      if (this.size >= MAX_FLOW_EDGES) {
        this.other.count++;
        return;
      }
      if (row === undefined) {
        row = new Map();
        this.rows.set(from, row);
      }
      edge = new Edge(from === null ? OUTSIDE : from.name, to.name);
      row.set(to, edge);
      this.size++;
    }
    edge.count++;
  }

  snapshot(): MessageFlowSnapshot {
    const edges: FlowCount[] = [];
    for (const row of this.rows.values()) for (const e of row.values()) edges.push({ from: e.from, to: e.to, count: e.count });
    if (this.other.count > 0) edges.push({ from: OTHER, to: OTHER, count: this.other.count });
    return { edges, folded: this.other.count };
  }
}
