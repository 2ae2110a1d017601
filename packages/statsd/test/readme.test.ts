import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exampleSource, readmeCodeBlocks, runExample } from '@joerl/test-utils';

const root = fileURLToPath(new URL('..', import.meta.url));
const examples = fileURLToPath(new URL('../examples', import.meta.url));

describe('README examples', () => {
  it('basics.ts is shown verbatim and prints the lines the server received', async () => {
    expect(readmeCodeBlocks(`${root}/README.md`)).toContain(exampleSource(examples, 'basics.ts'));
    const out = await runExample(`${examples}/basics.ts`);
    expect(out).toEqual([
      'hello, Joe',
      'hello, Robert',
      'myapp.joerl.actors.spawned:1|c|#type:greeter',
      'myapp.joerl.messages.sent:2|c|#type:greeter',
      'myapp.joerl.messages.processed:2|c|#type:greeter',
      'myapp.joerl.actors.active:1|g|#type:greeter',
    ]);
  });

  it('own-client.ts is shown verbatim and shows a down collector costing nothing', async () => {
    expect(readmeCodeBlocks(`${root}/README.md`)).toContain(exampleSource(examples, 'own-client.ts'));
    const out = await runExample(`${examples}/own-client.ts`);
    expect(out).toEqual(['handled: 100', 'failed exports counted: true']);
  });
});
