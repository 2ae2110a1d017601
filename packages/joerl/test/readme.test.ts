import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exampleSource, readmeCodeBlocks, runExample } from '@joerl/test-utils';

const root = fileURLToPath(new URL('..', import.meta.url));
const examples = fileURLToPath(new URL('../examples', import.meta.url));

describe('README example', () => {
  it('is shown verbatim and prints what it claims', async () => {
    expect(readmeCodeBlocks(`${root}/README.md`)).toContain(exampleSource(examples, 'start.ts'));
    const out = await runExample(`${examples}/start.ts`);
    expect(out).toEqual(['metrics at http://127.0.0.1:<port>/metrics', 'hello, world', 'joerl_messages_processed_total{type="greeter"} 1', 'ready: 200']);
  });
});
