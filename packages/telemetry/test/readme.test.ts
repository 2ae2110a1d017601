import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exampleSource, readmeCodeBlocks, runExample } from '@joerl/test-utils';

const root = fileURLToPath(new URL('..', import.meta.url));
const examples = fileURLToPath(new URL('../examples', import.meta.url));

describe('README example', () => {
  it('is shown verbatim and prints what it claims', async () => {
    expect(readmeCodeBlocks(`${root}/README.md`)).toContain(exampleSource(examples, 'basics.ts'));
    const out = await runExample(`${examples}/basics.ts`);
    expect(out).toEqual(['sent: 10', 'processed: 10', 'active: 1', expect.stringMatching(/^\d+ metric families, e.g. joerl_actors_spawned_total$/), 'panics seen by the provider: 1']);
  });
});
