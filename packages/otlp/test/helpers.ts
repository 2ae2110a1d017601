/**
 * Test helpers: an OTLP/HTTP receiver on 127.0.0.1 that decodes what it is sent — protobuf with the
 * official OTLP definitions (the generated root of `@opentelemetry/otlp-transformer@0.52.1`,
 * installed as `otlp-decoder`), JSON as OTLP/JSON — into plain metrics and spans.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import otlpRoot from 'otlp-decoder/build/src/generated/root.js';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { deferred, within } from '@joerl/test-utils';

export { deferred, freePort, scriptedWorkload, within } from '@joerl/test-utils';

type AttributeValue = string | number | boolean;
export type DecodedAttributes = Record<string, AttributeValue>;

/** One data point, whatever the metric type. */
export interface DecodedPoint {
  readonly attributes: DecodedAttributes;
  /** Sums and gauges. */
  readonly value?: number;
  /** Which field carried the value. */
  readonly valueField?: 'asInt' | 'asDouble';
  /** Histograms. */
  readonly count?: number;
  readonly sum?: number;
  readonly bounds?: number[];
  readonly bucketCounts?: number[];
  readonly startTimeUnixNano: string;
  readonly timeUnixNano: string;
}

export interface DecodedMetric {
  readonly name: string;
  readonly unit: string;
  readonly description: string;
  readonly type: 'sum' | 'gauge' | 'histogram' | 'other';
  readonly monotonic: boolean;
  /** OTLP AggregationTemporality: 1 delta, 2 cumulative (0 for gauges). */
  readonly temporality: number;
  readonly points: DecodedPoint[];
  readonly scope: string;
  readonly resource: DecodedAttributes;
}

export interface DecodedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Empty for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  readonly attributes: DecodedAttributes;
  readonly events: string[];
  readonly statusCode: number;
  readonly scope: string;
  readonly resource: DecodedAttributes;
}

export interface ReceivedRequest {
  readonly path: string;
  readonly contentType: string;
  readonly encoding: 'protobuf' | 'json';
  readonly metrics: DecodedMetric[];
  readonly spans: DecodedSpan[];
}

/** How the receiver answers. */
export type Answer = { readonly kind: 'ok' } | { readonly kind: 'status'; readonly status: number; readonly headers?: Record<string, string> } | { readonly kind: 'hold' };

export interface Receiver {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Requests held unanswered (answer `hold`). */
  readonly held: number;
  answer(answer: Answer): void;
  /** Answers every held request with 200. */
  release(): void;
  /** Resolves once `count` requests (matching `path`, if given) have arrived; rejects after `ms`. */
  waitForRequests(count: number, path?: string, ms?: number): Promise<ReceivedRequest[]>;
  /** Every metric received, in order of arrival. */
  metrics(): DecodedMetric[];
  /** The most recently received metric of this name. */
  metric(name: string): DecodedMetric | undefined;
  spans(): DecodedSpan[];
  /** Forgets what was received and answers `ok` again. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 on a port of the system's choosing. */
export async function startReceiver(): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const held: ServerResponse[] = [];
  let answer: Answer = { kind: 'ok' };
  const waiters: { check: () => boolean }[] = [];
  const notify = () => {
    for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i]!.check()) waiters.splice(i, 1);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? '';
      const contentType = req.headers['content-type'] ?? '';
      const encoding = contentType.includes('json') ? 'json' : 'protobuf';
      let decoded: Pick<ReceivedRequest, 'metrics' | 'spans'>;
      try {
        decoded = decode(path, encoding, body);
      } catch (error) {
        res.writeHead(400).end(String(error));
        return;
      }
      requests.push({ path, contentType, encoding, ...decoded });
      const current = answer;
      switch (current.kind) {
        case 'ok':
          res.writeHead(200, { 'content-type': encoding === 'json' ? 'application/json' : 'application/x-protobuf' }).end(encoding === 'json' ? '{}' : '');
          break;
        case 'status':
          res.writeHead(current.status, current.headers ?? {}).end();
          break;
        case 'hold':
          held.push(res);
          break;
      }
      notify();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get held() {
      return held.length;
    },
    answer(next) {
      answer = next;
    },
    release() {
      for (const res of held.splice(0)) if (!res.destroyed) res.writeHead(200).end();
    },
    waitForRequests(count, path, ms = 5000) {
      const matching = () => requests.filter((r) => path === undefined || r.path === path);
      if (matching().length >= count) return Promise.resolve(matching());
      const d = deferred<ReceivedRequest[]>();
      waiters.push({
        check: () => {
          if (matching().length < count) return false;
          d.resolve(matching());
          return true;
        },
      });
      return within(d.promise, ms, `${count} request(s)${path === undefined ? '' : ` to ${path}`} at the receiver (got ${matching().length})`);
    },
    metrics: () => requests.flatMap((r) => r.metrics),
    metric: (name) => requests.flatMap((r) => r.metrics).filter((m) => m.name === name).pop(),
    spans: () => requests.flatMap((r) => r.spans),
    reset() {
      requests.length = 0;
      answer = { kind: 'ok' };
    },
    async close() {
      for (const res of held.splice(0)) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Decoding

interface MessageType {
  decode(buffer: Uint8Array): object;
  toObject(message: object, options: Record<string, unknown>): unknown;
}

/** The generated root is a namespace tree of message classes (its .d.ts says `Root`, which it is not). */
const proto = (otlpRoot as unknown as { opentelemetry: { proto: { collector: Record<'metrics' | 'trace', { v1: Record<string, MessageType> }> } } }).opentelemetry.proto.collector;
const MetricsRequest = proto.metrics.v1.ExportMetricsServiceRequest!;
const TraceRequest = proto.trace.v1.ExportTraceServiceRequest!;

/** int64 as strings (then numbers), bytes as base64, enums as numbers: the same shape OTLP/JSON has. */
const TO_OBJECT = { longs: String, bytes: String, enums: Number, defaults: false, arrays: true };

// The OTLP documents as both decoders deliver them (only the fields the tests read).
type Int64 = string | number;
interface OtlpKeyValue {
  readonly key: string;
  readonly value?: { readonly stringValue?: string; readonly intValue?: Int64; readonly doubleValue?: number; readonly boolValue?: boolean };
}
interface OtlpResource {
  readonly attributes?: OtlpKeyValue[];
}
interface OtlpScope {
  readonly name?: string;
}
interface OtlpNumberPoint {
  readonly attributes?: OtlpKeyValue[];
  readonly asInt?: Int64;
  readonly asDouble?: number;
  readonly startTimeUnixNano?: Int64;
  readonly timeUnixNano?: Int64;
}
interface OtlpHistogramPoint {
  readonly attributes?: OtlpKeyValue[];
  readonly count?: Int64;
  readonly sum?: number;
  readonly explicitBounds?: number[];
  readonly bucketCounts?: Int64[];
  readonly startTimeUnixNano?: Int64;
  readonly timeUnixNano?: Int64;
}
interface OtlpMetric {
  readonly name: string;
  readonly unit?: string;
  readonly description?: string;
  readonly sum?: { readonly dataPoints?: OtlpNumberPoint[]; readonly aggregationTemporality?: number; readonly isMonotonic?: boolean };
  readonly gauge?: { readonly dataPoints?: OtlpNumberPoint[] };
  readonly histogram?: { readonly dataPoints?: OtlpHistogramPoint[]; readonly aggregationTemporality?: number };
}
interface OtlpMetricsRequest {
  readonly resourceMetrics?: { readonly resource?: OtlpResource; readonly scopeMetrics?: { readonly scope?: OtlpScope; readonly metrics?: OtlpMetric[] }[] }[];
}
interface OtlpSpan {
  readonly traceId?: string;
  readonly spanId?: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind?: number;
  readonly attributes?: OtlpKeyValue[];
  readonly events?: { readonly name: string }[];
  readonly status?: { readonly code?: number };
}
interface OtlpTraceRequest {
  readonly resourceSpans?: { readonly resource?: OtlpResource; readonly scopeSpans?: { readonly scope?: OtlpScope; readonly spans?: OtlpSpan[] }[] }[];
}

function decode(path: string, encoding: 'protobuf' | 'json', body: Buffer): Pick<ReceivedRequest, 'metrics' | 'spans'> {
  const isMetrics = path.endsWith('/v1/metrics');
  if (!isMetrics && !path.endsWith('/v1/traces')) throw new Error(`unexpected path ${path}`);
  const type = isMetrics ? MetricsRequest : TraceRequest;
  const doc: unknown = encoding === 'json' ? JSON.parse(body.toString('utf8')) : type.toObject(type.decode(body), TO_OBJECT);
  // OTLP/JSON spells ids in hex; protobuf carries bytes (base64 here).
  const id = encoding === 'json' ? (s: string | undefined) => s ?? '' : (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('hex');
  return isMetrics ? { metrics: decodeMetrics(doc as OtlpMetricsRequest), spans: [] } : { metrics: [], spans: decodeSpans(doc as OtlpTraceRequest, id) };
}

function decodeMetrics(doc: OtlpMetricsRequest): DecodedMetric[] {
  const out: DecodedMetric[] = [];
  for (const rm of doc.resourceMetrics ?? []) {
    const resource = attributes(rm.resource?.attributes);
    for (const sm of rm.scopeMetrics ?? []) {
      for (const m of sm.metrics ?? []) {
        const base = { name: m.name, unit: m.unit ?? '', description: m.description ?? '', scope: sm.scope?.name ?? '', resource };
        if (m.sum !== undefined) {
          out.push({ ...base, type: 'sum', monotonic: m.sum.isMonotonic === true, temporality: m.sum.aggregationTemporality ?? 0, points: (m.sum.dataPoints ?? []).map(numberPoint) });
        } else if (m.gauge !== undefined) {
          out.push({ ...base, type: 'gauge', monotonic: false, temporality: 0, points: (m.gauge.dataPoints ?? []).map(numberPoint) });
        } else if (m.histogram !== undefined) {
          out.push({ ...base, type: 'histogram', monotonic: false, temporality: m.histogram.aggregationTemporality ?? 0, points: (m.histogram.dataPoints ?? []).map(histogramPoint) });
        } else {
          out.push({ ...base, type: 'other', monotonic: false, temporality: 0, points: [] });
        }
      }
    }
  }
  return out;
}

function numberPoint(p: OtlpNumberPoint): DecodedPoint {
  const valueField = p.asInt !== undefined ? 'asInt' : 'asDouble';
  return { attributes: attributes(p.attributes), value: Number(p[valueField] ?? 0), valueField, startTimeUnixNano: String(p.startTimeUnixNano), timeUnixNano: String(p.timeUnixNano) };
}

function histogramPoint(p: OtlpHistogramPoint): DecodedPoint {
  return {
    attributes: attributes(p.attributes),
    count: Number(p.count ?? 0),
    sum: Number(p.sum ?? 0),
    bounds: (p.explicitBounds ?? []).map(Number),
    bucketCounts: (p.bucketCounts ?? []).map(Number),
    startTimeUnixNano: String(p.startTimeUnixNano),
    timeUnixNano: String(p.timeUnixNano),
  };
}

function decodeSpans(doc: OtlpTraceRequest, id: (s: string | undefined) => string): DecodedSpan[] {
  const out: DecodedSpan[] = [];
  for (const rs of doc.resourceSpans ?? []) {
    const resource = attributes(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          traceId: id(s.traceId),
          spanId: id(s.spanId),
          parentSpanId: id(s.parentSpanId),
          name: s.name,
          kind: Number(s.kind ?? 0),
          attributes: attributes(s.attributes),
          events: (s.events ?? []).map((e) => e.name),
          statusCode: Number(s.status?.code ?? 0),
          scope: ss.scope?.name ?? '',
          resource,
        });
      }
    }
  }
  return out;
}

function attributes(list: readonly OtlpKeyValue[] | undefined): DecodedAttributes {
  const out: DecodedAttributes = {};
  for (const kv of list ?? []) {
    const v = kv.value ?? {};
    if (v.stringValue !== undefined) out[kv.key] = v.stringValue;
    else if (v.intValue !== undefined) out[kv.key] = Number(v.intValue);
    else if (v.doubleValue !== undefined) out[kv.key] = Number(v.doubleValue);
    else if (v.boolValue !== undefined) out[kv.key] = v.boolValue;
  }
  return out;
}

/** The point of a metric whose attributes are exactly these. */
export function pointOf(metric: DecodedMetric | undefined, attrs: DecodedAttributes): DecodedPoint | undefined {
  const keys = Object.keys(attrs);
  return metric?.points.find((p) => Object.keys(p.attributes).length === keys.length && keys.every((k) => p.attributes[k] === attrs[k]));
}

/** Things to undo after each test, last first (setups to shut down, systems to stop). */
export function cleanups(): { defer(fn: () => unknown): void; run(): Promise<void> } {
  const fns: (() => unknown)[] = [];
  return {
    defer: (fn) => void fns.push(fn),
    async run() {
      for (const fn of fns.splice(0).reverse()) await fn();
    },
  };
}

/** The OTEL_* variables startOtlp and the exporters read: unset for every test unless it stubs them. */
export const OTEL_VARIABLES = [
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TIMEOUT',
  'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE',
  'OTEL_SERVICE_NAME',
  'OTEL_RESOURCE_ATTRIBUTES',
  'OTEL_METRIC_EXPORT_INTERVAL',
  'OTEL_BSP_SCHEDULE_DELAY',
  'OTEL_BSP_MAX_QUEUE_SIZE',
  'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
  'OTEL_BSP_EXPORT_TIMEOUT',
] as const;

/** Telemetry options for tests: no event-loop monitor (its values drift), no console. */
export const QUIET = { eventLoop: false, logger: null } as const;

export { quietSystem } from '@joerl/test-utils';

/**
 * The setup every suite shares: one receiver for the file (reset before each test, with the
 * `OTEL_*` variables cleared), and cleanups run after each test. `onReceiver` gets the receiver
 * once it listens; `beforeCleanup` runs after each test before the cleanups.
 */
export function useReceiver(onReceiver: (receiver: Receiver) => void, beforeCleanup?: () => void): ReturnType<typeof cleanups> {
  const after = cleanups();
  let receiver: Receiver | undefined;
  beforeAll(async () => {
    receiver = await startReceiver();
    onReceiver(receiver);
  });
  afterAll(async () => {
    await receiver?.close();
  });
  beforeEach(() => {
    receiver?.reset();
    for (const name of OTEL_VARIABLES) vi.stubEnv(name, undefined);
  });
  afterEach(async () => {
    beforeCleanup?.();
    await after.run();
    vi.unstubAllEnvs();
  });
  return after;
}
