/**
 * Every contender's version of every scenario handles exactly what it was sent, at small sizes:
 * the bench's rows are only worth something if no contender loses or duplicates work.
 */
import { describe, expect, it } from 'vitest';
import { contenderOptions, joerlContenders } from '../src/contenders.js';
import { peers } from '../src/peers/index.js';
import { peerLoaders } from '../src/peers/loaders.js';
import { CountMismatchError, type Run, type Sizes, Tally } from '../src/scenario.js';
import { scenarios } from '../src/scenarios.js';

const sizes: Sizes = { messages: 2_000, roundTrips: 400, spawns: 300, senders: 10, calls: 50, restarts: 20 };

async function runOnce(run: Run): Promise<Tally> {
  const tally = new Tally();
  const { cleanup } = await run(sizes, tally);
  tally.verify();
  await cleanup?.();
  return tally;
}

describe.each(scenarios.map((s) => [s.id, s] as const))('%s', (_id, scenario) => {
  it('the baseline handles every unit it was sent', async () => {
    const tally = await runOnce(scenario.baseline);
    expect(tally.count).toBe(tally.expected);
    expect(tally.count).toBeGreaterThan(0);
  });

  const configurations = scenario.telemetry ? joerlContenders : joerlContenders.filter((c) => c.kind === 'joerl');
  it.each(configurations.map((c) => c.label))('joerl (%s) handles every unit it was sent', async (label) => {
    const tally = await runOnce(scenario.joerl(contenderOptions(label)));
    expect(tally.count).toBe(tally.expected);
  });

  for (const peer of peers) {
    const run = peer.runs[scenario.id];
    if (run === undefined) {
      it(`${peer.label} says why it has no such scenario`, () => {
        expect(peer.notApplicable[scenario.id]?.length ?? 0).toBeGreaterThan(20);
      });
    } else {
      it(`${peer.label} handles every unit it was sent`, async () => {
        const tally = await runOnce(run);
        expect(tally.count).toBe(tally.expected);
      });
    }
  }
});

describe('Tally', () => {
  it('refuses a run that handled fewer units than expected', () => {
    const tally = new Tally();
    tally.expect(3);
    tally.hit();
    tally.hit();
    expect(() => tally.verify()).toThrow(CountMismatchError);
  });

  it('refuses a run that handled more units than expected', () => {
    const tally = new Tally();
    tally.expect(1);
    expect(tally.hit()).toBe(true);
    expect(tally.hit()).toBe(false);
    expect(() => tally.verify()).toThrow(/more than sent/);
  });

  it('resolves done on the last expected unit, not before', async () => {
    const tally = new Tally();
    tally.expect(2);
    let done = false;
    void tally.done.then(() => (done = true));
    tally.hit();
    await Promise.resolve();
    expect(done).toBe(false);
    tally.hit();
    await tally.done;
    expect(done).toBe(true);
  });
});

describe('peer loaders', () => {
  it('load each listed peer by its label, and no other', async () => {
    expect(Object.keys(peerLoaders).sort()).toEqual(peers.map((p) => p.label).sort());
    for (const p of peers) expect(await peerLoaders[p.label]?.()).toBe(p);
  });
});
