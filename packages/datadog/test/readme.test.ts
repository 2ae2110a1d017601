/**
 * The README's example, run as a Datadog user would: configured by `DD_*` variables only (here
 * pointing at a fake agent). It initialises dd-trace, so it runs in a process of its own.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleSource, readmeCodeBlocks, runExample } from '@joerl/test-utils';
import { startFakeAgent } from './fake-agent.js';
import { agentTotal, datadogEnvironment } from './helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const examples = fileURLToPath(new URL('../examples', import.meta.url));
const agent = await startFakeAgent();
// The fake agent's HTTP server shares this process: dd-trace must not trace it.
datadogEnvironment(agent, { DD_SERVICE: 'shop', DD_ENV: 'staging', DD_TRACE_FLUSH_INTERVAL: '20', DD_TRACE_DISABLED_PLUGINS: 'http,net,dns' });

afterAll(() => agent.close());

describe('README example', () => {
  it('is shown verbatim, prints what it claims, and its span and metrics reach the agent', async () => {
    expect(readmeCodeBlocks(`${root}/README.md`)).toContain(exampleSource(examples, 'datadog.ts'));
    expect(await runExample(`${examples}/datadog.ts`)).toEqual(['handled order-1', 'metrics: sent']);

    const spans = await agent.waitForSpans((s) => s.some((x) => x.name === 'joerl.message'), 'the example\'s joerl.message span');
    const span = spans.find((x) => x.name === 'joerl.message')!
    expect(span).toMatchObject({ resource: 'worker', service: 'shop' });
    expect(spans.find((x) => x.span_id === span.parent_id)?.name).toBe('web.request');
    const lines = await agent.waitForLines((l) => agentTotal(l, 'joerl.messages.processed', { actor_type: 'worker' }) >= 1, 'the example\'s metrics');
    expect(agentTotal(lines, 'joerl.messages.processed', { actor_type: 'worker', service: 'shop', env: 'staging' })).toBe(1);
  });
});
