/**
 * Servers addressed as `{ name, node }` (Erlang's `{Name, Node}`) and `stop` with a timeout
 * (`gen_server:stop/3`), on one node: the cluster tests cover the other node's side.
 */
import { ExitReason, InvalidArgumentError, TestClock } from '@joerl/core';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { CalleeExitedError, CallTimeoutError, GenServer, type GenServerDefinition, GenStatem, NamedServerRef, NoProcError } from '../src/index.js';
import { counter, type CounterCall, deferred, hostileValue, quietSystem } from './helpers.js';

describe('a server named on a node', () => {
  it("{ name, node } of the caller's own node is the local name, as {Name, node()} in Erlang", async () => {
    const system = quietSystem();
    const ref = await GenServer.start(system, counter, 5, { name: 'c' });
    const named = GenServer.named<CounterCall>(system, { name: 'c', node: system.nodeName });
    expect([named.name, named.node, named.whereis()]).toEqual(['c', system.nodeName, ref.pid]);
    await expect(named.call({ kind: 'get' })).resolves.toBe(5);
    await named.stop(ExitReason.shutdown());
    expect(ref.isAlive()).toBe(false);
    await expect(named.call({ kind: 'get' })).rejects.toMatchObject({ code: 'NOPROC', server: 'c' });
  });

  it('without a distribution another node is unreachable: call and stop reject with noconnection at once, cast is false', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const named = GenServer.named<{ kind: 'get' }, { kind: 'inc' }>(system, { name: 'c', node: 'elsewhere' });
    expect(String(named)).toBe('c@elsewhere');
    expect(named.whereis()).toBeUndefined();
    const call = await named.call({ kind: 'get' }, { timeoutMs: 60_000 }).catch((e: unknown) => e);
    expect(call).toBeInstanceOf(CalleeExitedError);
    expect(call).toMatchObject({ server: 'c@elsewhere', reason: ExitReason.noconnection });
    expect(named.cast({ kind: 'inc' })).toBe(false);
    await expect(named.stop()).rejects.toMatchObject({ code: 'CALLEE_EXITED', reason: ExitReason.noconnection });
    expect(clock.now()).toBe(0);
  });

  it('GenStatem.named and NamedServerRef.of take { name, node } too', () => {
    const system = quietSystem();
    expect(GenStatem.named(system, { name: 'door', node: 'n1' }).node).toBe('n1');
    expect(NamedServerRef.of(system, { name: 'c', node: 'n1' }).toString()).toBe('c@n1');
  });

  it('the { name, node } is read once, when the ref is made', async () => {
    const system = quietSystem();
    await GenServer.start(system, counter, 1, { name: 'first' });
    const address = { name: 'first', node: system.nodeName };
    const named = GenServer.named<{ kind: 'get' }>(system, address);
    address.name = 'second';
    await expect(named.call({ kind: 'get' })).resolves.toBe(1);
  });

  test.prop([hostileValue, fc.constantFrom('name', 'node')], { numRuns: 40 })(
    'a hostile name or node in { name, node } throws InvalidArgumentError naming name',
    (bad, field) => {
      const system = quietSystem();
      const value = bad.make();
      if (typeof value === 'string' && value.length > 0) return; // a valid name or node
      const address = field === 'name' ? { name: value, node: 'n1' } : { name: 'c', node: value };
      for (const make of [() => GenServer.named(system, address as never), () => NamedServerRef.of(system, address as never), () => GenServer.named(system, value as never)]) {
        expect(make).toThrow(InvalidArgumentError);
        expect(make).toThrow(expect.objectContaining({ argument: 'name' }) as Error);
      }
    },
  );
});

describe('stop with a timeout (gen_server:stop/3)', () => {
  /** A server whose terminate waits for `release`. */
  function slowTerminate(release: Promise<void>): GenServerDefinition<null, null> {
    return { type: 'slow-terminate', init: () => GenServer.ok(null), terminate: () => release };
  }

  it('a stop that takes longer than timeoutMs rejects with CallTimeoutError, and the server goes on stopping', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const release = deferred<void>();
    const ref = await GenServer.start(system, slowTerminate(release.promise), null);
    let settled = false;
    const exited = system.join(ref.pid);
    const stop = ref
      .stop(ExitReason.shutdown(), { timeoutMs: 100 })
      .catch((e: unknown) => e)
      .finally(() => (settled = true));
    await system.idle();
    clock.advance(99);
    await system.idle();
    expect(settled).toBe(false);
    clock.advance(1);
    const error = await stop;
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(error).toMatchObject({ server: ref.pid, timeoutMs: 100 });
    release.resolve();
    expect(await exited).toEqual(ExitReason.shutdown());
  });

  it('a stop within its timeout resolves once terminate ran, and leaves no timer', async () => {
    const clock = new TestClock();
    const system = quietSystem({ clock });
    const release = deferred<void>();
    const ref = await GenServer.start(system, slowTerminate(release.promise), null);
    let stopped = false;
    const stop = ref.stop(ExitReason.normal, { timeoutMs: 100 }).then(() => (stopped = true));
    await system.idle();
    expect(stopped).toBe(false);
    release.resolve();
    await stop;
    expect([stopped, ref.isAlive(), clock.pending]).toEqual([true, false, 0]);
  });

  it('a stop of a server that is not alive rejects with NoProcError, timeout or not', async () => {
    const system = quietSystem();
    const ref = await GenServer.start(system, counter, 0);
    await ref.stop();
    await expect(ref.stop(ExitReason.normal, { timeoutMs: 10 })).rejects.toBeInstanceOf(NoProcError);
    await expect(GenServer.named(system, 'nobody').stop()).rejects.toBeInstanceOf(NoProcError);
  });

  test.prop([fc.anything().filter((v) => v !== undefined && !(typeof v === 'object' && v !== null && !('timeoutMs' in v)))], { numRuns: 40 })(
    'stop options of the wrong type throw InvalidArgumentError at once',
    async (bad) => {
      const system = quietSystem();
      const ref = await GenServer.start(system, counter, 0);
      const timeoutMs = typeof bad === 'object' && bad !== null ? (bad as { timeoutMs: unknown }).timeoutMs : undefined;
      if (timeoutMs === undefined || (typeof timeoutMs === 'number' && timeoutMs >= 0)) return; // valid options
      expect(() => ref.stop(ExitReason.normal, bad as never)).toThrow(InvalidArgumentError);
      expect(ref.isAlive()).toBe(true);
    },
  );
});
