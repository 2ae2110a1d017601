import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exampleSource, readmeCodeBlocks, runExample } from '@joerl/test-utils';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const examples = fileURLToPath(new URL('../examples', import.meta.url));

describe('the root README', () => {
  it('opens with the two commands of a fresh machine: set up and run the demo, set up and run the tests', () => {
    const text = exampleSource(root, 'README.md');
    const commands = [...text.matchAll(/^(npx -y pnpm@[\d.]+ install --frozen-lockfile && npx -y pnpm@[\d.]+ (\S+))/gm)].map((m) => m[2]);
    expect(commands.slice(0, 2)).toEqual(['demo', 'test']);
    const pinned = JSON.parse(exampleSource(root, 'package.json')) as { packageManager: string };
    expect(text).toContain(`npx -y pnpm@${pinned.packageManager.replace('pnpm@', '')} install`);
  });

  it('shows its example verbatim, and the example prints what it claims', async () => {
    expect(readmeCodeBlocks(`${root}/README.md`)[0]).toBe(exampleSource(examples, 'taste.ts'));
    expect(await runExample(`${examples}/taste.ts`)).toEqual(['2']);
  });
});
