/**
 * The actors table: filtered, sorted and paged on the server, so a page costs one pass over the
 * live actors and a sort of the matching ones, however many there are.
 *
 * @module
 */
import type { ActorHandle, ActorSystem } from '@joerl/core';
import type { MessageRates } from './message-rates.js';
import { finite } from './supervision-tree.js';

/** Columns the table sorts by. */
export const SORT_KEYS = ['pid', 'type', 'name', 'mailbox', 'processed', 'rate', 'age'] as const;
/** A column the table sorts by. */
export type SortKey = (typeof SORT_KEYS)[number];
/** Rows per page at most. */
export const MAX_PAGE_SIZE = 500;

/**
 * A page request (from the query string: `?sort=mailbox&order=desc&offset=0&limit=50&filter=order`).
 * @since 0.1.0
 */
export interface ActorsQuery {
  readonly sort: SortKey;
  readonly order: 'asc' | 'desc';
  readonly offset: number;
  readonly limit: number;
  /** Case-insensitive substring of the type or name; empty for all. */
  readonly filter: string;
}

/**
 * One row of the actors table.
 * @since 0.1.0
 */
export interface ActorRow {
  readonly pid: string;
  readonly pidId: number;
  readonly type: string;
  readonly name: string | null;
  readonly mailbox: number;
  readonly capacity: number | null;
  readonly processed: number;
  /** Messages handled per second, between the last two passes over the actors (one per update). */
  readonly rate: number;
  readonly ageMs: number;
}

/**
 * A page of the actors table.
 * @since 0.1.0
 */
export interface ActorsPage {
  /** Actors matching the filter. */
  readonly total: number;
  readonly offset: number;
  readonly rows: readonly ActorRow[];
}

/** @internal reads a query string leniently: anything unknown falls back to the default */
export function parseActorsQuery(params: URLSearchParams): ActorsQuery {
  const sortParam = params.get('sort');
  const sort: SortKey = (SORT_KEYS as readonly string[]).includes(sortParam ?? '') ? (sortParam as SortKey) : 'pid';
  const order = params.get('order') === 'desc' ? 'desc' : 'asc';
  return { sort, order, offset: intParam(params.get('offset'), 0, 0, Number.MAX_SAFE_INTEGER), limit: intParam(params.get('limit'), 50, 1, MAX_PAGE_SIZE), filter: (params.get('filter') ?? '').slice(0, 200).toLowerCase() };
}

function intParam(text: string | null, fallback: number, min: number, max: number): number {
  const n = text === null ? Number.NaN : Number(text);
  return Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

/** @internal one page of the table */
export function actorsPage(system: ActorSystem, rates: MessageRates, query: ActorsQuery): ActorsPage {
  rates.refresh();
  const now = system.clock.now();
  const matching: ActorHandle[] = [];
  const f = query.filter;
  for (const h of system.handles()) {
    if (f === '' || h.type.toLowerCase().includes(f) || (h.name !== undefined && h.name.toLowerCase().includes(f))) matching.push(h);
  }
  const dir = query.order === 'desc' ? -1 : 1;
  const cmp = comparator(query.sort, rates);
  // ties fall back to spawn order, so paging is stable while values hold still
  matching.sort((a, b) => dir * cmp(a, b) || a.pid.id - b.pid.id);
  const rows = matching.slice(query.offset, query.offset + query.limit).map((h) => ({
    pid: h.pid.toString(),
    pidId: h.pid.id,
    type: h.type,
    name: h.name ?? null,
    mailbox: h.mailboxDepth,
    capacity: finite(h.mailboxCapacity),
    processed: h.messagesProcessed,
    rate: Math.round(rates.rateOf(h) * 10) / 10,
    ageMs: Math.max(0, now - h.spawnedAt),
  }));
  return { total: matching.length, offset: query.offset, rows };
}

function comparator(key: SortKey, rates: MessageRates): (a: ActorHandle, b: ActorHandle) => number {
  switch (key) {
    case 'pid':
      return (a, b) => a.pid.id - b.pid.id;
    case 'type':
      return (a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0);
    case 'name':
      return (a, b) => {
        const x = a.name ?? '';
        const y = b.name ?? '';
        return x < y ? -1 : x > y ? 1 : 0;
      };
    case 'mailbox':
      return (a, b) => a.mailboxDepth - b.mailboxDepth;
    case 'processed':
      return (a, b) => a.messagesProcessed - b.messagesProcessed;
    case 'rate':
      return (a, b) => rates.rateOf(a) - rates.rateOf(b);
    case 'age':
      // older first ascending: an earlier spawn is an older actor
      return (a, b) => b.spawnedAt - a.spawnedAt;
    default: {
      const never: never = key;
      return never;
    }
  }
}
