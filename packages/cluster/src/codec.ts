/**
 * The codec: how values cross the wire. Pluggable; the default is tagged JSON.
 *
 * @module
 */
import { isPid, type Pid } from '@joerl/core';
import { MalformedFrameError, UnencodableError } from './errors.js';

/** A pid as it travels: its node's name and incarnation, and its id there. */
export interface WirePid {
  readonly node: string;
  readonly creation: number;
  readonly id: number;
}

/** Turns pids into their wire form and back; the node gives one to its codec. */
export interface PidTranslator {
  toWire(pid: Pid): WirePid;
  fromWire(wire: WirePid): Pid;
}

/**
 * How messages become bytes and back. A codec must refuse what it cannot carry by throwing
 * {@link UnencodableError} from `encode`, and must throw {@link MalformedFrameError} (never
 * anything else, never loop or crash) from `decode` for bytes it did not produce.
 *
 * @example
 * ```ts
 * await joinCluster(system, { servers, node: 'a', codec: myMsgpackCodec });
 * ```
 * @since 0.1.0
 */
export interface Codec {
  /** A short name, for logs. */
  readonly name: string;
  /** @throws UnencodableError */
  encode(value: unknown, pids: PidTranslator): Uint8Array;
  /** @throws MalformedFrameError */
  decode(bytes: Uint8Array, pids: PidTranslator): unknown;
}

/** How deep a value may nest (deeper values are refused, so a cycle or a hostile frame cannot blow the stack). */
export const MAX_DEPTH = 100;

const TYPED_ARRAYS = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

function typedArrayName(value: ArrayBufferView): TypedArrayName | undefined {
  for (const name of Object.keys(TYPED_ARRAYS) as TypedArrayName[]) {
    if (value instanceof TYPED_ARRAYS[name]) return name;
  }
  return undefined;
}

function encodeValue(value: unknown, pids: PidTranslator, path: string, depth: number, ancestors: object[]): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (value === 0) return Object.is(value, -0) ? { $: 'num', v: '-0' } : 0;
      return Number.isFinite(value) ? value : { $: 'num', v: String(value) };
    case 'undefined':
      return { $: 'u' };
    case 'bigint':
      return { $: 'big', v: value.toString() };
    case 'function':
      throw new UnencodableError(path, 'a function (closures never cross the wire: register a behaviour and use spawnOn)');
    case 'symbol':
      throw new UnencodableError(path, 'a symbol');
    case 'object':
      break;
    default:
      throw new UnencodableError(path, `a value of type ${typeof value}`);
  }
  if (value === null) return null;
  if (depth >= MAX_DEPTH) throw new UnencodableError(path, `nested deeper than ${MAX_DEPTH} levels`);
  if (ancestors.includes(value)) throw new UnencodableError(path, 'a cycle');
  if (isPid(value)) {
    const w = pids.toWire(value);
    return { $: 'pid', n: w.node, c: w.creation, i: w.id };
  }
  if (value instanceof Date) return { $: 'date', v: value.getTime() };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const t = typedArrayName(value);
    if (t === undefined) throw new UnencodableError(path, 'an unknown typed array');
    return { $: 'ta', t, v: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  }
  ancestors.push(value);
  const next = depth + 1;
  let out: unknown;
  if (Array.isArray(value)) {
    const arr: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) arr[i] = encodeValue(value[i], pids, `${path}[${i}]`, next, ancestors);
    out = arr;
  } else if (value instanceof Map) {
    const entries: unknown[] = [];
    let i = 0;
    for (const [k, v] of value) {
      entries.push([encodeValue(k, pids, `${path}<key ${i}>`, next, ancestors), encodeValue(v, pids, `${path}<value ${i}>`, next, ancestors)]);
      i++;
    }
    out = { $: 'map', v: entries };
  } else if (value instanceof Set) {
    const items: unknown[] = [];
    let i = 0;
    for (const v of value) items.push(encodeValue(v, pids, `${path}<item ${i++}>`, next, ancestors));
    out = { $: 'set', v: items };
  } else if (value instanceof Error) {
    const e = value as Error & { code?: unknown };
    const err: Record<string, unknown> = { $: 'err', name: String(e.name), message: String(e.message) };
    if (typeof e.code === 'string') err.code = e.code;
    out = err;
  } else {
    const obj: Record<string, unknown> = {};
    let escaped = false;
    for (const key of Object.keys(value)) {
      if (key === '$') escaped = true;
      const v = encodeValue((value as Record<string, unknown>)[key], pids, `${path}.${key}`, next, ancestors);
      // An own `__proto__` key must stay a key, not become the prototype.
      if (key === '__proto__') Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
      else obj[key] = v;
    }
    out = escaped ? { $: 'obj', v: obj } : obj;
  }
  ancestors.pop();
  return out;
}

function malformed(why: string): never {
  throw new MalformedFrameError(why);
}

function decodeValue(value: unknown, pids: PidTranslator, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH + 2) malformed('nested too deep');
  const next = depth + 1;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decodeValue(value[i], pids, next);
    return value;
  }
  const obj = value as Record<string, unknown>;
  if (!Object.hasOwn(obj, '$')) return decodeMembers(obj, pids, next);
  const tag = obj.$;
  switch (tag) {
    case 'u':
      return undefined;
    case 'num': {
      const v = obj.v;
      if (v !== 'NaN' && v !== 'Infinity' && v !== '-Infinity' && v !== '-0') malformed('a bad number tag');
      return Number(v);
    }
    case 'big':
      if (typeof obj.v !== 'string' || !/^-?\d{1,10000}$/.test(obj.v)) malformed('a bad bigint');
      return BigInt(obj.v);
    case 'date':
      if (typeof obj.v !== 'number') malformed('a bad date');
      return new Date(obj.v);
    case 'pid': {
      const { n, c, i } = obj;
      if (typeof n !== 'string' || !Number.isSafeInteger(c) || !Number.isSafeInteger(i) || (i as number) < 0) malformed('a bad pid');
      return pids.fromWire({ node: n, creation: c as number, id: i as number });
    }
    case 'ta': {
      const { t, v } = obj;
      if (typeof t !== 'string' || !Object.hasOwn(TYPED_ARRAYS, t) || typeof v !== 'string') malformed('a bad typed array');
      const Ctor = TYPED_ARRAYS[t as TypedArrayName];
      const bytes = Buffer.from(v, 'base64');
      if (bytes.length % Ctor.BYTES_PER_ELEMENT !== 0) malformed('a typed array of a bad length');
      const copy = new Uint8Array(bytes.length);
      copy.set(bytes);
      return new Ctor(copy.buffer);
    }
    case 'map': {
      if (!Array.isArray(obj.v)) malformed('a bad map');
      const map = new Map<unknown, unknown>();
      for (const entry of obj.v as unknown[]) {
        if (!Array.isArray(entry) || entry.length !== 2) malformed('a bad map entry');
        map.set(decodeValue(entry[0], pids, next), decodeValue(entry[1], pids, next));
      }
      return map;
    }
    case 'set': {
      if (!Array.isArray(obj.v)) malformed('a bad set');
      const set = new Set<unknown>();
      for (const item of obj.v as unknown[]) set.add(decodeValue(item, pids, next));
      return set;
    }
    case 'err': {
      const { name, message, code } = obj;
      if (typeof name !== 'string' || typeof message !== 'string') malformed('a bad error');
      const error = new Error(message) as Error & { code?: string };
      error.name = name;
      if (typeof code === 'string') error.code = code;
      return error;
    }
    case 'obj':
      if (typeof obj.v !== 'object' || obj.v === null || Array.isArray(obj.v)) malformed('a bad escaped object');
      return decodeMembers(obj.v as Record<string, unknown>, pids, next);
    default:
      return malformed('an unknown tag');
  }
}

function decodeMembers(obj: Record<string, unknown>, pids: PidTranslator, depth: number): Record<string, unknown> {
  // JSON.parse made `__proto__` an own data property: assigning to it sets that property, not the prototype.
  for (const key of Object.keys(obj)) obj[key] = decodeValue(obj[key], pids, depth);
  return obj;
}

/**
 * The default codec: JSON with tags for what JSON lacks. It round-trips JSON values, `undefined`,
 * `NaN`/`±Infinity`/`-0`, {@link Pid} (local and remote, with their node and incarnation), `Error`
 * (name, message, `code`), `Date`, `Map`, `Set`, `BigInt` and typed arrays. Class instances
 * travel as plain objects of their own enumerable fields (prototypes, like closures, stay home).
 * Functions, symbols, cycles and values nested deeper than {@link MAX_DEPTH} are refused with
 * {@link UnencodableError}.
 *
 * @example
 * ```ts
 * const bytes = jsonCodec.encode({ at: new Date(0), tags: new Set(['a']) }, pids);
 * jsonCodec.decode(bytes, pids); // { at: Date(0), tags: Set { 'a' } }
 * ```
 * @since 0.1.0
 */
export const jsonCodec: Codec = Object.freeze({
  name: 'json',
  encode(value: unknown, pids: PidTranslator): Uint8Array {
    let tree: unknown;
    try {
      tree = encodeValue(value, pids, '$', 0, []);
    } catch (error) {
      if (error instanceof UnencodableError) throw error;
      // A throwing getter, a revoked Proxy: the value cannot be read, so it cannot be sent.
      throw new UnencodableError('$', `reading it threw (${error instanceof Error ? error.message : 'a non-error'})`);
    }
    return Buffer.from(JSON.stringify(tree));
  },
  decode(bytes: Uint8Array, pids: PidTranslator): unknown {
    let tree: unknown;
    try {
      tree = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    } catch {
      return malformed('not JSON');
    }
    try {
      return decodeValue(tree, pids, 0);
    } catch (error) {
      if (error instanceof MalformedFrameError) throw error;
      return malformed(error instanceof Error ? error.message : 'undecodable');
    }
  },
});
