/**
 * A fake Datadog agent on 127.0.0.1: the trace intake (`/v0.4/traces`, msgpack) over HTTP and
 * DogStatsD over UDP, decoded so tests can assert on what a real agent would have received.
 */
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decode } from '@msgpack/msgpack';
import { within } from '@joerl/test-utils';

/** A span as the agent receives it (v0.4 msgpack). Ids are unsigned 64-bit. */
export interface AgentSpan {
  readonly trace_id: bigint;
  readonly span_id: bigint;
  readonly parent_id: bigint;
  readonly name: string;
  readonly resource: string;
  readonly service: string;
  readonly type: string | undefined;
  readonly error: number;
  readonly meta: Readonly<Record<string, string>>;
  readonly metrics: Readonly<Record<string, number>>;
}

/** One DogStatsD line: `name:value|type|@rate|#tag:value,...`. */
export interface StatsdLine {
  readonly name: string;
  readonly value: number;
  /** `c` count, `g` gauge, `d` distribution, `h` histogram, `ms` timing, `s` set. */
  readonly type: string;
  /** The sample rate (1 when absent). */
  readonly rate: number;
  /** Tags as `key:value` strings, in order. */
  readonly tags: readonly string[];
  readonly raw: string;
}

export interface FakeAgent {
  /** `http://127.0.0.1:<port>`: the trace agent URL (`url` / `DD_TRACE_AGENT_URL`). */
  readonly url: string;
  readonly port: number;
  /** The UDP port DogStatsD listens on. */
  readonly statsdPort: number;
  readonly spans: AgentSpan[];
  readonly lines: StatsdLine[];
  /** `METHOD path` of every HTTP request, in order. */
  readonly requests: string[];
  /** The status `/v0.4/traces` answers with (200 unless a test says otherwise; 0: never answers). */
  traceStatus: number;
  /** Resolves with all spans so far once `done(spans)` holds. */
  waitForSpans(done: (spans: readonly AgentSpan[]) => boolean, what: string, ms?: number): Promise<AgentSpan[]>;
  /** Resolves with all lines so far once `done(lines)` holds. */
  waitForLines(done: (lines: readonly StatsdLine[]) => boolean, what: string, ms?: number): Promise<StatsdLine[]>;
  close(): Promise<void>;
}

/** Starts a fake agent on free ports of 127.0.0.1. */
export async function startFakeAgent(): Promise<FakeAgent> {
  const spans: AgentSpan[] = [];
  const lines: StatsdLine[] = [];
  const requests: string[] = [];
  const waiters: (() => boolean)[] = [];
  const notify = () => {
    for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i]!()) waiters.splice(i, 1);
  };
  const state = { traceStatus: 200 };

  const server: Server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push(`${req.method} ${path}`);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (path === '/v0.4/traces') {
      if (state.traceStatus === 0) return; // a stalled agent: the request hangs until close()
      if (state.traceStatus !== 200) return answer(res, state.traceStatus, '{}');
      for (const trace of decode(body, { useBigInt64: true }) as unknown[][]) for (const span of trace) spans.push(toSpan(span));
      notify();
      return answer(res, 200, '{"rate_by_service":{}}');
    }
    // No DogStatsD over HTTP here: dd-trace falls back to UDP.
    if (path === '/dogstatsd/v2/proxy') return answer(res, 404, '{}');
    if (path === '/info') return answer(res, 200, JSON.stringify({ version: 'fake', endpoints: ['/v0.4/traces'] }));
    // Telemetry, remote configuration and anything else: accepted and ignored.
    return answer(res, 200, '{}');
  }

  const udp: Socket = createSocket('udp4');
  udp.on('message', (msg) => {
    for (const raw of msg.toString('utf8').split('\n')) if (raw.length > 0) lines.push(parseLine(raw));
    notify();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const statsdPort = udp.address().port;

  const waitFor = <T>(list: T[], done: (items: readonly T[]) => boolean, what: string, ms: number): Promise<T[]> => {
    if (done(list)) return Promise.resolve(list.slice());
    return within(
      new Promise<T[]>((resolve) => {
        waiters.push(() => {
          if (!done(list)) return false;
          resolve(list.slice());
          return true;
        });
      }),
      ms,
      what,
    );
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    statsdPort,
    spans,
    lines,
    requests,
    get traceStatus() {
      return state.traceStatus;
    },
    set traceStatus(status: number) {
      state.traceStatus = status;
    },
    waitForSpans: (done, what, ms = 10_000) => waitFor(spans, done, what, ms),
    waitForLines: (done, what, ms = 10_000) => waitFor(lines, done, what, ms),
    close: async () => {
      server.closeAllConnections();
      await Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), new Promise<void>((resolve) => udp.close(() => resolve()))]);
    },
  };
}

function answer(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body);
}

function toSpan(value: unknown): AgentSpan {
  const s = value as Record<string, unknown>;
  const id = (v: unknown): bigint => (typeof v === 'bigint' ? v : BigInt(v as number));
  const metrics: Record<string, number> = {};
  for (const [k, v] of Object.entries((s.metrics ?? {}) as Record<string, unknown>)) metrics[k] = Number(v);
  return {
    trace_id: id(s.trace_id),
    span_id: id(s.span_id),
    parent_id: id(s.parent_id),
    name: String(s.name),
    resource: String(s.resource),
    service: String(s.service),
    type: typeof s.type === 'string' ? s.type : undefined,
    error: Number(s.error ?? 0),
    meta: (s.meta ?? {}) as Record<string, string>,
    metrics,
  };
}

/** Parses one DogStatsD line (protocol v1.1: one value per line, as hot-shots writes them). */
export function parseLine(raw: string): StatsdLine {
  const [head = '', ...fields] = raw.split('|');
  const colon = head.lastIndexOf(':');
  const name = head.slice(0, colon);
  const value = Number(head.slice(colon + 1));
  const type = fields[0] ?? '';
  let rate = 1;
  let tags: string[] = [];
  for (const f of fields.slice(1)) {
    if (f.startsWith('@')) rate = Number(f.slice(1));
    else if (f.startsWith('#')) tags = f.slice(1).split(',');
  }
  return { name, value, type, rate, tags, raw };
}
