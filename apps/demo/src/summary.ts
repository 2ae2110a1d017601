/**
 * The one-screen live summary: actors, message rate, restarts, orders by state, health — redrawn
 * in place on a terminal, one line at a time otherwise (logs, CI).
 */
import type { ActorSystem } from '@joerl/core';
import type { Telemetry } from '@joerl/telemetry';
import type { LoadGenerator } from './load.js';
import { ORDER_STATES } from './orders/order.js';

export interface SummarySource {
  readonly system: ActorSystem;
  readonly telemetry: Telemetry;
  readonly load: LoadGenerator | null;
  /** The current health status, e.g. 'healthy'. */
  health(): Promise<string>;
  /** More lines, after the others (`demo:cluster`: the nodes and what the cluster did). */
  extra?(): string[];
}

export interface Summary {
  stop(): void;
  /** The summary as it would be printed now. */
  render(): Promise<string[]>;
}

const fmt = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : `${Math.round(n)}`);

/** Redraws the summary every `everyMs` (every 5 × `everyMs` when `out` is not a terminal). */
export function startSummary(src: SummarySource, everyMs: number, out: NodeJS.WriteStream): Summary {
  let lastProcessed = src.system.stats().processed;
  let lastAt = Date.now();
  let rate = 0;
  let drawn = 0;
  const tty = out.isTTY === true;

  const render = async (): Promise<string[]> => {
    const { telemetry: t, system } = src;
    const stats = system.stats();
    const now = Date.now();
    rate = ((stats.processed - lastProcessed) * 1000) / Math.max(1, now - lastAt);
    lastProcessed = stats.processed;
    lastAt = now;
    const states = ORDER_STATES.map((s) => `${s} ${fmt(t.value('joerl_gen_statem_current_state', { type: 'order', state: s }))}`).join(' · ');
    const restarts = t.value('joerl_supervisor_restarts_total');
    const gaveUp = t.value('joerl_supervisor_restart_intensity_exceeded_total');
    const panics = t.value('joerl_actors_panicked_total');
    const dropped = t.value('joerl_messages_dropped_total', { reason: 'drop_oldest' });
    const timeouts = t.value('joerl_calls_total', { outcome: 'timeout' });
    const invalid = t.value('joerl_gen_statem_invalid_transitions_total');
    const loop = t.eventLoopDelay();
    const load = src.load?.stats;
    return [
      `actors ${fmt(stats.actors)} · ${fmt(rate)} msg/s · run queue ${stats.runQueueLength} · event loop p99 ${(loop.p99 * 1000).toFixed(1)} ms · health ${await src.health()}`,
      `orders: ${states}`,
      `faults: ${fmt(panics)} crashes · ${fmt(restarts)} restarts · ${fmt(gaveUp)} supervisors gave up · ${fmt(timeouts)} call timeouts · ${fmt(invalid)} invalid transitions · ${fmt(dropped)} audit events dropped`,
      load === undefined ? 'load: off' : `load: ${fmt(load.placed)} placed · ${fmt(load.rejected)} rate-limited · ${fmt(load.queried)} status calls · ${fmt(load.lateCancels)} late cancels`,
      ...(src.extra?.() ?? []),
    ];
  };

  const draw = async (): Promise<void> => {
    const lines = await render();
    if (tty) {
      if (drawn > 0) out.write(`\x1b[${drawn}A`);
      for (const line of lines) out.write(`\x1b[2K${line}\n`);
      drawn = lines.length;
    } else {
      out.write(`${lines.join(' | ')}\n`);
    }
  };

  const timer = setInterval(() => void draw(), tty ? everyMs : everyMs * 5);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    render,
  };
}
