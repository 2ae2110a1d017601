import { fileURLToPath } from 'node:url';
import { exampleSource, readmeCodeBlocks, runExample } from '@joerl/test-utils';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const examples = fileURLToPath(new URL('../examples', import.meta.url));

describe('README examples', () => {
  it('shows every example file verbatim', () => {
    const blocks = readmeCodeBlocks(`${root}/README.md`);
    for (const file of ['gen-server.ts', 'gen-statem.ts', 'supervisor.ts', 'dynamic-supervisor.ts']) {
      expect(blocks).toContain(exampleSource(examples, file));
    }
  });

  it('the GenServer example runs and prints what it promises', async () => {
    expect(await runExample(`${examples}/gen-server.ts`)).toEqual([
      'balance: 100',
      'withdraw 150: insufficient',
      'deposit seen by the waiting caller: 150',
      'timed out: CALL_TIMEOUT',
    ]);
  });

  it('the GenStatem example runs and prints what it promises', async () => {
    expect(await runExample(`${examples}/gen-statem.ts`)).toEqual([
      'door: locked -> closed',
      'unlock: ok',
      'door: closed -> open',
      'invalid: unlock in open',
      'door: open -> closed',
      'door: closed -> locked',
      'after 30 s: locked',
    ]);
  });

  it('the Supervisor example runs and prints what it promises', async () => {
    expect(await runExample(`${examples}/supervisor.ts`)).toEqual([
      'a = 1',
      'cache: terminating',
      'call failed: CalleeExitedError',
      'cache:cache, clock:clock',
      'restarted with a new pid: true',
      'a after restart = undefined',
      'clock: terminating',
      'cache: terminating',
    ]);
  });

  it('the DynamicSupervisor example runs and prints what it promises', async () => {
    expect(await runExample(`${examples}/dynamic-supervisor.ts`)).toEqual([
      'session of alice started',
      'session of bob started',
      'no room for carol: MAX_CHILDREN',
      'running: 1',
    ]);
  });
});
