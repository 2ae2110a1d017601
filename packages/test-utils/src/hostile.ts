/**
 * Values a careless or hostile user can throw, reject with, send, or pass as an argument: each
 * breaks a naive `String(x)`, `${x.message}`, `Array.isArray(x)` or `JSON.stringify(x)`.
 * Built lazily (a revoked Proxy cannot even be inspected by fast-check's own `constant`).
 */
import fc from 'fast-check';

/** The hostile shapes by name, for tests that want one of each. */
export const HOSTILE_KINDS = [
  'null-prototype',
  'throwing-message-getter',
  'throwing-toString',
  'revoked-proxy',
  'error-with-throwing-name',
  'bigint',
  'symbol',
  'cyclic',
  'throwing-then',
] as const;

export type HostileKind = (typeof HOSTILE_KINDS)[number];

/** A fresh value of the given hostile kind. */
export function makeHostile(kind: HostileKind): unknown {
  switch (kind) {
    case 'null-prototype':
      return Object.create(null) as object;
    case 'throwing-message-getter':
      return Object.defineProperty({}, 'message', {
        enumerable: true,
        get() {
          throw new Error('message getter');
        },
      });
    case 'throwing-toString':
      return {
        toString() {
          throw new Error('toString');
        },
        valueOf() {
          throw new Error('valueOf');
        },
      };
    case 'revoked-proxy': {
      const r = Proxy.revocable({}, {});
      r.revoke();
      return r.proxy;
    }
    case 'error-with-throwing-name': {
      const e = new Error('x');
      Object.defineProperty(e, 'name', {
        get() {
          throw new Error('name getter');
        },
      });
      return e;
    }
    case 'bigint':
      return 12345678901234567890n;
    case 'symbol':
      return Symbol('hostile');
    case 'cyclic': {
      const o: Record<string, unknown> = {};
      o.self = o;
      return o;
    }
    case 'throwing-then':
      return Object.defineProperty({}, 'then', {
        get() {
          throw new Error('then getter');
        },
      });
  }
}

/**
 * One value to throw, send or pass, made on demand: fast-check itself cannot hold a revoked
 * Proxy as a generated value (it probes every value for a clone method), so properties receive
 * this box and call `make()` for a fresh value each time.
 */
export interface Hostile {
  /** The hostile kind, or `'anything'` for a value from fast-check's `anything()`. */
  readonly kind: HostileKind | 'anything';
  make(): unknown;
}

function box(kind: Hostile['kind'], make: () => unknown, shown: string): Hostile {
  return { kind, make, [fc.toStringMethod]: () => shown } as Hostile;
}

/** Any value at all: fast-check's `anything()` or one of the hostile kinds, boxed ({@link Hostile}). */
export const hostileValue: fc.Arbitrary<Hostile> = fc.oneof(
  fc.anything().map((v) => box('anything', () => v, `anything(${fc.stringify(v)})`)),
  fc.constantFrom(...HOSTILE_KINDS).map((k) => box(k, () => makeHostile(k), k)),
);
