import { fileURLToPath } from 'node:url';
import { exampleSource, readmeCodeBlocks, runExample } from '@joerl/test-utils';
import { context, propagation, trace } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { OTEL_VARIABLES, pointOf, type Receiver, startReceiver } from './helpers.js';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
const examples = fileURLToPath(new URL('../examples', import.meta.url));

let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  // own-providers.ts registers its tracer provider, context manager and propagator for good, as an application would.
  trace.disable();
  context.disable();
  propagation.disable();
  await receiver.close();
});
beforeEach(() => {
  receiver.reset();
  for (const name of OTEL_VARIABLES) vi.stubEnv(name, undefined);
  vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', receiver.url);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('README examples', () => {
  it('the quick start is shown verbatim; run against a collector, its trace and metrics arrive', async () => {
    expect(readmeCodeBlocks(readme)).toContain(exampleSource(examples, 'quick-start.ts'));

    const out = await runExample(`${examples}/quick-start.ts`);

    expect(out).toEqual([`metrics go to ${receiver.url}/v1/metrics`, 'exported: true']);
    const spans = receiver.spans();
    const [root, front, router, warehouse] = ['POST /orders', 'process front', 'process router', 'process warehouse'].map((n) => spans.find((s) => s.name === n));
    expect([front?.parentSpanId, router?.parentSpanId, warehouse?.parentSpanId]).toEqual([root?.spanId, front?.spanId, router?.spanId]);
    expect(warehouse?.resource['service.name']).toBe('shop');
    expect(pointOf(receiver.metric('joerl.actors.spawned'), { type: 'warehouse' })?.value).toBe(1);
  });

  it("bringing your own providers is shown verbatim; run against a collector, the ledger's spans and metrics arrive", async () => {
    expect(readmeCodeBlocks(readme)).toContain(exampleSource(examples, 'own-providers.ts'));

    const out = await runExample(`${examples}/own-providers.ts`);

    expect(out).toEqual(['export errors: 0']);
    const spans = receiver.spans();
    const root = spans.find((s) => s.name === 'nightly run');
    expect(spans.filter((s) => s.name === 'process ledger').map((s) => s.parentSpanId)).toEqual([root?.spanId, root?.spanId, root?.spanId]);
    expect(pointOf(receiver.metric('joerl.messages.processed'), { type: 'ledger' })?.value).toBe(3);
    // a histogram (through the reader's metricProducers) that always has a point: event-loop delay
    expect(receiver.metric('joerl.event_loop.delay')?.resource['service.name']).toBe('billing');
  });
});
