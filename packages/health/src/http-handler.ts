/**
 * The probe endpoints as a `node:http` request handler, following the conventions of the
 * Kubernetes API server's own `/livez`, `/readyz` and `/healthz`.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { assertNever, formatValue } from '@joerl/core';
import type { CheckResult, Probe } from './report.js';
import type { SystemHealth } from './system-health.js';

/**
 * A `node:http` request listener that also works as Connect/Express middleware: a request for
 * any other path goes to `next` when there is one, and gets a 404 otherwise.
 *
 * @example
 * ```ts
 * http.createServer(health.handler()).listen(8080);
 * app.use(health.handler()); // Express: /livez, /readyz, /healthz; the rest goes on
 * ```
 * @since 0.1.0
 */
export type HealthRequestHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

/** The endpoints and the probe each answers. */
const ROUTES: Readonly<Record<string, Probe>> = Object.freeze({ livez: 'liveness', readyz: 'readiness', healthz: 'health' });
const ENDPOINTS: readonly string[] = Object.freeze(Object.keys(ROUTES).map((r) => `/${r}`));

/** What a probe endpoint answers, as JSON. */
interface ProbeBody {
  readonly status: string;
  readonly probe: Probe;
  readonly check?: string;
  readonly issues: readonly CheckResult[];
  readonly checks?: readonly (CheckResult & { readonly line: string })[];
  readonly warnings?: readonly string[];
}

/**
 * The longest request target (path and query) the endpoints read, in characters; a longer one
 * gets 414. Probe URLs are a few dozen characters; this bounds what an `?exclude=` list costs.
 *
 * @example
 * ```ts
 * `/readyz?${'exclude=x&'.repeat(1000)}`.length > MAX_TARGET_LENGTH; // true: 414
 * ```
 * @since 0.1.0
 */
export const MAX_TARGET_LENGTH = 2048;

/**
 * Creates the probe handler of a {@link SystemHealth} (the same as `health.handler()`).
 *
 * Routes: `GET|HEAD /livez`, `/readyz`, `/healthz`, and `/<endpoint>/<check>` for one check.
 * Answers 200 unless the status is `unhealthy` (503), with a JSON body
 * `{ status, probe, issues }`; `?verbose` adds `checks`, every check with a `[+]`/`[!]`/`[-]`/`[~]`
 * line (pass, warn, fail, skipped); `?exclude=<check>` (repeatable) skips checks. Unknown paths
 * and checks get 404, other methods 405, a request target that is not a path (`*`,
 * `http://host/livez`, `//x`) 400, one longer than {@link MAX_TARGET_LENGTH} 414. Readiness and
 * health reports are shared by concurrent requests and reused for `probeCacheMs` (see
 * {@link SystemHealth.probeCacheMs}); liveness is evaluated on every request (it reads
 * two fields). Error bodies name what was wrong with the request, never an internal error.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * createServer(createHealthHandler(health)).listen(8080, '127.0.0.1');
 * // curl 'localhost:8080/readyz?verbose&exclude=heap'
 * ```
 * @since 0.1.0
 */
export function createHealthHandler(health: SystemHealth): HealthRequestHandler {
  return (req, res, next) => {
    handle(health, req, res, next).catch(() => {
      // Checks never reject (see check.ts), so this is a bug of ours: answer without its text.
      if (!res.headersSent) send(res, 500, { error: 'the health evaluation failed unexpectedly' }, req.method === 'HEAD');
      else res.destroy();
    });
  };
}

async function handle(health: SystemHealth, req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): Promise<void> {
  const head = req.method === 'HEAD';
  const raw = req.url ?? '/';
  if (raw.length > MAX_TARGET_LENGTH) {
    send(res, 414, { error: `request target longer than ${MAX_TARGET_LENGTH} characters` }, head);
    return;
  }
  const target = parseTarget(raw);
  if (target === null) {
    if (next !== undefined) {
      next();
      return;
    }
    send(res, 400, { error: "malformed request target: expected a path such as '/readyz'", endpoints: ENDPOINTS }, head);
    return;
  }
  const segments = target.path.split('/').filter((s) => s.length > 0);
  const first = segments[0];
  const probe = first !== undefined && segments.length <= 2 && Object.hasOwn(ROUTES, first) ? ROUTES[first] : undefined;
  if (probe === undefined) {
    if (next !== undefined) {
      next();
      return;
    }
    send(res, 404, { error: `no such endpoint: ${formatValue(target.path, 100)}`, endpoints: ENDPOINTS }, head);
    return;
  }
  if (req.method !== 'GET' && !head) {
    res.setHeader('allow', 'GET, HEAD');
    send(res, 405, { error: `method ${formatValue(req.method, 40)} not allowed: use GET or HEAD` }, false);
    return;
  }
  const names = health.checkNames(probe);
  const check = segments[1] === undefined ? undefined : decode(segments[1]);
  if (check !== undefined && !names.includes(check)) {
    send(res, 404, { error: `no check named '${formatValue(check, 100)}' on /${first}`, checks: names }, head);
    return;
  }
  const query = new URLSearchParams(target.query);
  const exclude = query.getAll('exclude');
  const maxAgeMs = probe === 'liveness' ? 0 : health.probeCacheMs;
  const report = await health.probe(probe, check === undefined ? { exclude, maxAgeMs } : { exclude, check, maxAgeMs });
  const unknown = exclude.filter((name) => !names.includes(name));
  const body: ProbeBody = {
    status: report.status,
    probe,
    ...(check === undefined ? {} : { check }),
    issues: report.issues,
    ...(query.has('verbose') ? { checks: report.checks.map((c) => ({ ...c, line: line(c) })) } : {}),
    ...(unknown.length === 0 ? {} : { warnings: unknown.map((name) => `cannot exclude '${formatValue(name, 100)}': no such check on /${first}`) }),
  };
  send(res, report.status === 'unhealthy' ? 503 : 200, body, head);
}

/**
 * The path and query of an origin-form request target (`/readyz?verbose`), or null for anything
 * else: `*`, absolute-form (`http://host/readyz`), or a path starting with `//`, which URL
 * parsers read as a host.
 */
function parseTarget(raw: string): { readonly path: string; readonly query: string } | null {
  if (!raw.startsWith('/') || raw.startsWith('//')) return null;
  const q = raw.indexOf('?');
  const hash = raw.indexOf('#');
  const end = hash < 0 ? raw.length : hash;
  return q < 0 || q > end ? { path: raw.slice(0, end), query: '' } : { path: raw.slice(0, q), query: raw.slice(q + 1, end) };
}

/** One check as a line of Kubernetes' verbose output: `[+]` pass, `[!]` warn, `[-]` fail, `[~]` skipped. */
function line(c: CheckResult): string {
  switch (c.kind) {
    case 'pass':
      return `[+]${c.check} ok`;
    case 'warn':
      return `[!]${c.check} degraded: ${c.message}`;
    case 'fail':
      return `[-]${c.check} failed: ${c.message}`;
    case 'skip':
      return `[~]${c.check} skipped: ${c.message}`;
    default:
      return assertNever(c);
  }
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // not valid percent-encoding: no check has such a name, so it 404s
  }
}

function send(res: ServerResponse, status: number, body: object, head: boolean): void {
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(json));
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-content-type-options', 'nosniff');
  res.end(head ? undefined : json);
}
