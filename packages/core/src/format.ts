/**
 * One safe way to turn any user value into text: for logs, exit reasons, error messages, span
 * attributes and JSON bodies.
 *
 * User code can throw or send anything: `Object.create(null)`, an object whose `message` or
 * `toString` getter throws, a revoked Proxy (on which even `Array.isArray` throws), a BigInt, a
 * cyclic object. {@link formatValue} never throws on any of them and bounds its output, so a
 * hostile value can cost a log line its detail but never the process or the actor system.
 *
 * @module
 */

/** The default bound on {@link formatValue}'s output, in UTF-16 code units. */
export const DEFAULT_FORMAT_LIMIT = 1000;

const MAX_DEPTH = 3;
const MAX_ENTRIES = 20;

/**
 * Renders any value as a bounded, single-string description, and never throws.
 *
 * Strings come back as they are; errors as `Name: message`; plain objects and arrays as a
 * compact JSON-like rendering (three levels deep, twenty entries each, cycles as `[Circular]`);
 * a property whose getter throws as `[getter threw]`; anything that cannot be inspected at all
 * (a revoked Proxy) as `[unprintable object]`. Output longer than `maxLength` is cut and ends
 * with `…`.
 *
 * @param value - anything, including values that throw when touched
 * @param maxLength - the longest result (default {@link DEFAULT_FORMAT_LIMIT}; at least 1)
 * @example
 * ```ts
 * formatValue(new TypeError('bad'));            // 'TypeError: bad'
 * formatValue(Object.create(null));             // '{}'
 * formatValue({ get message() { throw 1; } });  // '{message: [getter threw]}'
 * ```
 * @since 0.2.0
 */
export function formatValue(value: unknown, maxLength: number = DEFAULT_FORMAT_LIMIT): string {
  const limit = Number.isFinite(maxLength) && maxLength >= 1 ? Math.floor(maxLength) : DEFAULT_FORMAT_LIMIT;
  let text: string;
  try {
    text = render(value, 0, [], true);
  } catch {
    text = unprintable(value);
  }
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

function unprintable(value: unknown): string {
  try {
    return `[unprintable ${typeof value}]`;
  } catch {
    return '[unprintable]';
  }
}

/** `top`: a string at the top level is returned as-is, nested ones are quoted. */
function render(value: unknown, depth: number, seen: unknown[], top: boolean): string {
  switch (typeof value) {
    case 'string':
      return top ? value : JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return `${value.toString()}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return `[Function ${safeString(read(value, 'name')) || 'anonymous'}]`;
    case 'object':
      return value === null ? 'null' : renderObject(value, depth, seen);
    default:
      return unprintable(value);
  }
}

function renderObject(value: object, depth: number, seen: unknown[]): string {
  if (seen.includes(value)) return '[Circular]';
  if (isError(value)) return renderError(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof Map) return `Map(${value.size})`;
  if (value instanceof Set) return `Set(${value.size})`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as { length?: number }).length ?? value.byteLength})`;
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? '[Array]' : '[Object]';
  seen.push(value);
  try {
    if (Array.isArray(value)) {
      const items: string[] = [];
      const n = Math.min(value.length, MAX_ENTRIES);
      for (let i = 0; i < n; i++) items.push(renderEntry(value, i, depth, seen));
      if (value.length > n) items.push(`… ${value.length - n} more`);
      return `[${items.join(', ')}]`;
    }
    const keys = Object.keys(value);
    const items: string[] = [];
    const n = Math.min(keys.length, MAX_ENTRIES);
    for (let i = 0; i < n; i++) {
      const key = keys[i] as string;
      items.push(`${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ${renderEntry(value, key, depth, seen)}`);
    }
    if (keys.length > n) items.push(`… ${keys.length - n} more`);
    return `{${items.join(', ')}}`;
  } finally {
    seen.pop();
  }
}

function renderEntry(owner: object, key: string | number, depth: number, seen: unknown[]): string {
  let v: unknown;
  try {
    v = (owner as Record<string | number, unknown>)[key];
  } catch {
    return '[getter threw]';
  }
  try {
    return render(v, depth + 1, seen, false);
  } catch {
    return unprintable(v);
  }
}

function isError(value: object): boolean {
  try {
    return value instanceof Error;
  } catch {
    return false;
  }
}

function renderError(error: object): string {
  const name = safeString(read(error, 'name')) || 'Error';
  const message = safeString(read(error, 'message'));
  return message === '' ? name : `${name}: ${message}`;
}

/** Reads `obj[key]`, turning a throwing getter into a marker. */
function read(obj: object, key: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return '[getter threw]';
  }
}

/** A property that should be text (an error's name or message), rendered without trusting it. */
function safeString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  try {
    return render(v, MAX_DEPTH - 1, [], false);
  } catch {
    return unprintable(v);
  }
}
