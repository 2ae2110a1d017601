import { makeDeadPid, makeRemotePid, type Pid, RemoteNode, RemotePid } from '@joerl/core';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { jsonCodec, MalformedFrameError, MAX_DEPTH, type PidTranslator, UnencodableError, type WirePid } from '../src/index.js';
import { hostileValue } from './helpers.js';
import { quietSystem } from '../../test-utils/src/index.js';

/** A translator for one node 'here' (creation 1) that knows one remote node 'there' (creation 2). */
function translator(): PidTranslator & { system: ReturnType<typeof quietSystem> } {
  const system = quietSystem();
  const there = new RemoteNode('there', 2, 3);
  const remote = new Map<number, RemotePid>();
  const local = new Map<number, Pid>();
  return {
    system,
    toWire(pid: Pid): WirePid {
      if (pid instanceof RemotePid) return { node: pid.nodeName, creation: pid.creation, id: pid.id };
      local.set(pid.id, pid);
      return { node: 'here', creation: 1, id: pid.id };
    },
    fromWire(w: WirePid): Pid {
      if (w.node === 'here') return local.get(w.id) ?? makeDeadPid(system, w.id);
      let pid = remote.get(w.id);
      if (pid === undefined) remote.set(w.id, (pid = makeRemotePid(system, w.id, there)));
      return pid;
    },
  };
}

const roundTrip = (value: unknown, pids = translator()): unknown => jsonCodec.decode(jsonCodec.encode(value, pids), pids);

describe('the default codec', () => {
  test.prop([fc.jsonValue()])('round-trips JSON values', (value) => {
    expect(roundTrip(value)).toEqual(value);
  });

  test.prop([fc.dictionary(fc.string(), fc.jsonValue())])('round-trips objects whatever their keys ($ and __proto__ included)', (value) => {
    const back = roundTrip(value) as object;
    expect(back).toEqual(value);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it('round-trips what JSON lacks: undefined, NaN, Infinity, Date, Map, Set, BigInt, typed arrays', () => {
    const value = {
      u: undefined,
      list: [undefined, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
      at: new Date(1234),
      map: new Map<unknown, unknown>([[{ k: 1 }, new Set([1n, -(2n ** 80n)])]]),
      f64: new Float64Array([1.5, -0.25]),
      u8: new Uint8Array([0, 255]),
      i64: new BigInt64Array([-1n]),
      view: new Uint16Array(new Uint8Array([1, 0, 2, 0, 3, 0]).buffer, 2, 2),
    };
    expect(roundTrip(value)).toEqual(value);
  });

  it('keeps an Error as name, message and code', () => {
    const error = Object.assign(new TypeError('bad'), { code: 'E_BAD' });
    const back = roundTrip({ error }) as { error: Error & { code?: string } };
    expect(back.error).toBeInstanceOf(Error);
    expect([back.error.name, back.error.message, back.error.code]).toEqual(['TypeError', 'bad', 'E_BAD']);
  });

  it('carries pids with their node and incarnation, local and remote', () => {
    const pids = translator();
    const local = pids.system.spawn(() => undefined);
    const remote = pids.fromWire({ node: 'there', creation: 2, id: 9 });
    const back = roundTrip({ local, remote }, pids) as { local: Pid; remote: Pid };
    expect(back.local).toBe(local);
    expect(back.remote).toBe(remote);
    expect(String(back.remote)).toBe('<3.9.0>');
  });

  it('refuses functions, symbols and cycles with UnencodableError naming where', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const [value, path] of [
      [{ a: [1, () => 1] }, '$.a[1]'],
      [{ s: Symbol('x') }, '$.s'],
      [cyclic, '$.self'],
    ] as const) {
      const error = (() => {
        try {
          jsonCodec.encode(value, translator());
          return undefined;
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(UnencodableError);
      expect((error as UnencodableError).path).toBe(path);
    }
  });

  it('refuses values nested deeper than MAX_DEPTH, and shared (not cyclic) references are fine', () => {
    let deep: unknown = 0;
    for (let i = 0; i <= MAX_DEPTH; i++) deep = [deep];
    expect(() => jsonCodec.encode(deep, translator())).toThrow(UnencodableError);
    const shared = { x: 1 };
    expect(roundTrip([shared, shared])).toEqual([{ x: 1 }, { x: 1 }]);
  });

  test.prop([hostileValue])('a hostile value is encoded or refused with UnencodableError, never anything else', (box) => {
    const pids = translator();
    let bytes: Uint8Array | undefined;
    try {
      bytes = jsonCodec.encode(box.make(), pids);
    } catch (error) {
      expect(error).toBeInstanceOf(UnencodableError);
    }
    if (bytes !== undefined) expect(() => jsonCodec.decode(bytes, pids)).not.toThrow();
  });

  test.prop([fc.uint8Array({ maxLength: 300 })])('arbitrary bytes decode or fail with MalformedFrameError', (bytes) => {
    try {
      jsonCodec.decode(bytes, translator());
    } catch (error) {
      expect(error).toBeInstanceOf(MalformedFrameError);
    }
  });

  test.prop([fc.jsonValue().map((v) => JSON.stringify({ $: fc.sample(fc.constantFrom('pid', 'ta', 'map', 'set', 'big', 'num', 'err', 'obj', 'date', '?'), 1)[0], v, n: v, c: v, i: v, t: v }))])(
    'forged tags decode or fail with MalformedFrameError',
    (json) => {
      try {
        jsonCodec.decode(new TextEncoder().encode(json), translator());
      } catch (error) {
        expect(error).toBeInstanceOf(MalformedFrameError);
      }
    },
  );

  it('a frame nested deeper than the limit is malformed, not a stack overflow', () => {
    const json = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(() => jsonCodec.decode(new TextEncoder().encode(json), translator())).toThrow(MalformedFrameError);
  });
});
