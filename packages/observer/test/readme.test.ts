import { fileURLToPath } from 'node:url';
import { exampleSource, readmeCodeBlocks, runExample } from '@joerl/test-utils';
import { describe, expect, it } from 'vitest';

const examples = fileURLToPath(new URL('../examples', import.meta.url));
const readme = fileURLToPath(new URL('../README.md', import.meta.url));

describe('README', () => {
  it('shows the example verbatim', () => {
    expect(readmeCodeBlocks(readme)).toContain(exampleSource(examples, 'observe.ts'));
  });

  it('the example serves the page on loopback and its API shows the tree', async () => {
    const lines = await runExample(`${examples}/observe.ts`);
    expect(lines[0]).toMatch(/^observer http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(lines[1]).toBe('app ["counter"]');
  });
});
