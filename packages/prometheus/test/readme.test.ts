import { fileURLToPath } from 'node:url';
import { exampleSource, readmeCodeBlocks, runExample } from '@joerl/test-utils';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const examples = fileURLToPath(new URL('../examples', import.meta.url));
const readme = `${root}/README.md`;

describe('README examples', () => {
  it('shows the two lines a service adds, and they are the ones the service example runs', () => {
    const [twoLines] = readmeCodeBlocks(readme);
    const lines = (twoLines ?? '').trim().split('\n');
    expect(lines).toHaveLength(2);
    const service = exampleSource(examples, 'service.ts');
    for (const line of lines) expect(service).toContain(line);
  });

  it('service.ts is shown verbatim and serves /metrics on port 9464', async () => {
    expect(readmeCodeBlocks(readme)).toContain(exampleSource(examples, 'service.ts'));
    expect(await runExample(`${examples}/service.ts`)).toEqual(['hello, world', 'joerl_messages_processed_total{type="greeter"} 1']);
  });

  it('own-registry.ts is shown verbatim and prints what it claims', async () => {
    expect(readmeCodeBlocks(readme)).toContain(exampleSource(examples, 'own-registry.ts'));
    expect(await runExample(`${examples}/own-registry.ts`)).toEqual(['shop_orders_total 2', 'buckets: 0.001, 0.01, 0.1, +Inf', 'default metrics: true']);
  });

  it('two-systems.ts is shown verbatim and prints what it claims', async () => {
    expect(readmeCodeBlocks(readme)).toContain(exampleSource(examples, 'two-systems.ts'));
    expect(await runExample(`${examples}/two-systems.ts`)).toEqual([
      'joerl_messages_sent_total{system="orders",type="worker"} 1',
      'joerl_messages_sent_total{system="billing",type="worker"} 1',
      'METRIC_NAME_TAKEN: joerl_actors_spawned_total',
    ]);
  });
});
