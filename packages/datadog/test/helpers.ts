import type { ActorSystem } from '@joerl/core';
import type { DdTracer } from '../src/index.js';
import type { StatsdLine } from './fake-agent.js';

export { deferred, freePort, within } from '@joerl/test-utils';

/**
 * The `DD_*` variables a Datadog user sets, pointing at the fake agent; telemetry, remote
 * configuration and crash tracking off (nothing here answers them usefully). Set before dd-trace
 * is imported.
 */
export function datadogEnvironment(agent: { url: string; statsdPort: number }, extra: Record<string, string> = {}): void {
  Object.assign(process.env, {
    DD_TRACE_AGENT_URL: agent.url,
    DD_AGENT_HOST: '127.0.0.1',
    DD_DOGSTATSD_PORT: String(agent.statsdPort),
    DD_INSTRUMENTATION_TELEMETRY_ENABLED: 'false',
    DD_REMOTE_CONFIGURATION_ENABLED: 'false',
    DD_CRASHTRACKING_ENABLED: 'false',
    DD_TRACE_STARTUP_LOGS: 'false',
    ...extra,
  });
}

/**
 * A stand-in for dd-trace where no span is exported (metrics-only tests, `traces: false`): its
 * provider hands out no-op tracers and registers nothing.
 */
export const noTracer: DdTracer = {
  TracerProvider: class {
    register(): void {}
    getTracer(): never {
      throw new Error('no tracing in this test');
    }
  },
} as unknown as DdTracer;

/** Tags of a line as an object (`actor_type:worker` → `{ actor_type: 'worker' }`). */
export function tagsOf(line: StatsdLine): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of line.tags) {
    const colon = t.indexOf(':');
    out[colon < 0 ? t : t.slice(0, colon)] = colon < 0 ? '' : t.slice(colon + 1);
  }
  return out;
}

/** Whether a line carries every tag of `wanted`. */
export function hasTags(line: StatsdLine, wanted: Record<string, string>): boolean {
  const tags = tagsOf(line);
  return Object.entries(wanted).every(([k, v]) => tags[k] === v);
}

/**
 * What the agent makes of the lines of `name` with `tags`: the sum of counts, or the number of
 * observations of a distribution/histogram (each value weighed 1/rate, as the agent does).
 */
export function agentTotal(lines: readonly StatsdLine[], name: string, tags: Record<string, string> = {}): number {
  let total = 0;
  for (const l of lines) {
    if (l.name !== name || !hasTags(l, tags)) continue;
    if (l.type === 'c') total += l.value / l.rate;
    else if (l.type === 'd' || l.type === 'h') total += 1 / l.rate;
  }
  return Math.round(total * 1e6) / 1e6;
}

/** The last gauge value of `name` with `tags`. */
export function lastGauge(lines: readonly StatsdLine[], name: string, tags: Record<string, string> = {}): number | undefined {
  let value: number | undefined;
  for (const l of lines) if (l.name === name && l.type === 'g' && hasTags(l, tags)) value = l.value;
  return value;
}

/** Runs `count` messages through a one-actor system and waits until they are handled. */
export async function handleMessages(system: ActorSystem, count: number, type = 'worker'): Promise<void> {
  const worker = system.spawn<number>(() => {}, { type });
  for (let i = 0; i < count; i++) worker.send(i);
  await system.idle();
}
