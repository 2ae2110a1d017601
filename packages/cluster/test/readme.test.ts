import { fileURLToPath } from 'node:url';
import { exampleSource, readmeCodeBlocks, runExample } from '../../test-utils/src/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsServer } from './helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const examples = `${root}/examples`;
let nats: NatsServer;

beforeAll(async () => {
  nats = await NatsServer.start();
  process.env.NATS_URL = nats.url;
});

afterAll(async () => {
  delete process.env.NATS_URL;
  await nats?.dispose();
});

describe('README examples', () => {
  it('ping-pong.ts is shown verbatim and prints what it claims against a real nats-server', async () => {
    expect(readmeCodeBlocks(`${root}/README.md`)).toContain(exampleSource(examples, 'ping-pong.ts'));
    expect(await runExample(`${examples}/ping-pong.ts`)).toEqual(['pong 1', 'b counts 1', 'counter@b counts 2']);
  });
});
