/**
 * The probe endpoints as a `node:http` request handler, following the conventions of the
 * Kubernetes API server's own `/livez`, `/readyz` and `/healthz`.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { assertNever } from '@joerl/core';
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
 * Creates the probe handler of a {@link SystemHealth} (the same as `health.handler()`).
 *
 * Routes: `GET|HEAD /livez`, `/readyz`, `/healthz`, and `/<endpoint>/<check>` for one check.
 * Answers 200 unless the status is `unhealthy` (503), with a JSON body
 * `{ status, probe, issues }`; `?verbose` adds `checks`, every check with a `[+]`/`[!]`/`[-]`/`[~]`
 * line (pass, warn, fail, skipped); `?exclude=<check>` (repeatable) skips checks. Unknown paths
 * and checks get 404, other methods 405.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * createServer(createHealthHandler(health)).listen(8080);
 * // curl 'localhost:8080/readyz?verbose&exclude=heap'
 * ```
 * @since 0.1.0
 */
export function createHealthHandler(health: SystemHealth): HealthRequestHandler {
  return (req, res, next) => {
    handle(health, req, res, next).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: `health check failed unexpectedly: ${String(error)}` }, req.method === 'HEAD');
      else res.destroy();
    });
  };
}

async function handle(health: SystemHealth, req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://health.invalid');
  const segments = url.pathname.split('/').filter((s) => s.length > 0);
  const first = segments[0];
  const probe = first !== undefined && segments.length <= 2 && Object.hasOwn(ROUTES, first) ? ROUTES[first] : undefined;
  if (probe === undefined) {
    if (next !== undefined) {
      next();
      return;
    }
    send(res, 404, { error: `no such endpoint: ${url.pathname}`, endpoints: Object.keys(ROUTES).map((r) => `/${r}`) }, req.method === 'HEAD');
    return;
  }
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.setHeader('allow', 'GET, HEAD');
    send(res, 405, { error: `method ${req.method} not allowed: use GET or HEAD` }, false);
    return;
  }
  const names = health.checkNames(probe);
  const check = segments[1] === undefined ? undefined : decode(segments[1]);
  if (check !== undefined && !names.includes(check)) {
    send(res, 404, { error: `no check named '${check}' on /${first}`, checks: names }, head);
    return;
  }
  const exclude = url.searchParams.getAll('exclude');
  const report = await health.probe(probe, check === undefined ? { exclude } : { exclude, check });
  const unknown = exclude.filter((name) => !names.includes(name));
  const body: ProbeBody = {
    status: report.status,
    probe,
    ...(check === undefined ? {} : { check }),
    issues: report.issues,
    ...(url.searchParams.has('verbose') ? { checks: report.checks.map((c) => ({ ...c, line: line(c) })) } : {}),
    ...(unknown.length === 0 ? {} : { warnings: unknown.map((name) => `cannot exclude '${name}': no such check on /${first}`) }),
  };
  send(res, report.status === 'unhealthy' ? 503 : 200, body, head);
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
