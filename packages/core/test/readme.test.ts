import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exampleSource, readmeCodeBlocks, runExample } from '../../test-utils/src/index.js'; // by path: test-utils depends on core, not the reverse

const root = fileURLToPath(new URL('..', import.meta.url));
const examples = fileURLToPath(new URL('../examples', import.meta.url));

describe('README examples', () => {
  it('shows the example files verbatim', () => {
    const blocks = readmeCodeBlocks(`${root}/README.md`);
    expect(blocks).toContain(exampleSource(examples, 'basics.ts'));
    expect(blocks).toContain(exampleSource(examples, 'test-clock.ts'));
  });

  it('basics runs and prints what its comments promise', async () => {
    const out = await runExample(`${examples}/basics.ts`);
    expect(out).toEqual(['count = 1', 'worker exited: error', 'counter is down: shutdown']);
  });

  it('test-clock runs and prints what its comments promise', async () => {
    expect(await runExample(`${examples}/test-clock.ts`)).toEqual(['["tick"]']);
  });
});
