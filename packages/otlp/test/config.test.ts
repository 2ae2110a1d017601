import { InvalidConfigError } from '@joerl/core';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_ENDPOINT, MissingExporterError, type OtlpOptions, startOtlp } from '../src/index.js';
import { resolveTarget } from '../src/endpoint.js';
import { asMissing } from '../src/exporters.js';
import { QUIET, type Receiver, useReceiver } from './helpers.js';

let receiver: Receiver;
const after = useReceiver((r) => (receiver = r));

async function start(options: OtlpOptions = {}) {
  const otlp = await startOtlp({ telemetry: { ...QUIET, sampling: { spans: 1 } }, ...options });
  after.defer(() => otlp.shutdown());
  return otlp;
}

/** Exports one span and the metrics, and returns the requests the receiver got. */
async function exportOnce(otlp: Awaited<ReturnType<typeof start>>) {
  otlp.tracerProvider?.getTracer('test').startSpan('one').end();
  await otlp.forceFlush();
  return receiver.requests;
}

describe('configuration: explicit options, then OTEL_* variables, then defaults', () => {
  it('by default both signals go to http://127.0.0.1:4318 over http/protobuf', () => {
    // Resolved without starting: nothing in a test may talk to a real collector on 4318.
    const none = {};

    expect([resolveTarget('metrics', {}, none), resolveTarget('traces', {}, none)]).toEqual([
      { url: 'http://127.0.0.1:4318/v1/metrics', protocol: 'http/protobuf' },
      { url: 'http://127.0.0.1:4318/v1/traces', protocol: 'http/protobuf' },
    ]);
    expect(DEFAULT_ENDPOINT).toBe('http://127.0.0.1:4318');
  });

  it('OTEL_EXPORTER_OTLP_ENDPOINT sends both signals to that collector', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', `${receiver.url}/`);
    const otlp = await start();

    const requests = await exportOnce(otlp);

    expect(requests.map((r) => r.path).sort()).toEqual(['/v1/metrics', '/v1/traces']);
  });

  it('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT is used as is and wins over OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', 'http://127.0.0.1:9/');
    vi.stubEnv('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', `${receiver.url}/tenant-a/v1/metrics`);
    const otlp = await start({ traces: false });

    const requests = await exportOnce(otlp);

    expect(requests.map((r) => r.path)).toEqual(['/tenant-a/v1/metrics']);
  });

  it('the endpoint option wins over every variable', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', 'http://127.0.0.1:9');
    vi.stubEnv('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'http://127.0.0.1:9/v1/traces');
    const otlp = await start({ endpoint: receiver.url });

    const requests = await exportOnce(otlp);

    expect(requests.map((r) => r.path).sort()).toEqual(['/v1/metrics', '/v1/traces']);
  });

  it('OTEL_EXPORTER_OTLP_PROTOCOL=http/json switches to JSON, the per-signal variable and the option win over it', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/json');
    vi.stubEnv('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'http/protobuf');
    const fromEnv = await start({ endpoint: receiver.url });
    const fromOption = await start({ endpoint: receiver.url, protocol: 'http/protobuf', traces: false });

    expect([fromEnv.targets.metrics?.protocol, fromEnv.targets.traces?.protocol, fromOption.targets.metrics?.protocol]).toEqual(['http/json', 'http/protobuf', 'http/protobuf']);
    const requests = await exportOnce(fromEnv);
    expect(requests.map((r) => `${r.path} ${r.encoding}`).sort()).toEqual(['/v1/metrics json', '/v1/traces protobuf']);
  });

  it('OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES describe the resource; serviceName wins over them', async () => {
    vi.stubEnv('OTEL_SERVICE_NAME', 'from-env');
    vi.stubEnv('OTEL_RESOURCE_ATTRIBUTES', 'service.instance.id=pod-3,deployment.environment.name=staging,team=payments%20core');
    const fromEnv = await start({ endpoint: receiver.url, metrics: false });
    const explicit = await start({ endpoint: receiver.url, metrics: false, serviceName: 'from-option' });

    const [span] = (await exportOnce(fromEnv)).flatMap((r) => r.spans);

    expect(span!.resource).toMatchObject({ 'service.name': 'from-env', 'service.instance.id': 'pod-3', 'deployment.environment.name': 'staging', team: 'payments core' });
    expect(explicit.resource.attributes).toMatchObject({ 'service.name': 'from-option', 'service.instance.id': 'pod-3' });
  });

  it('OTEL_METRIC_EXPORT_INTERVAL sets how often metrics are exported', async () => {
    vi.stubEnv('OTEL_METRIC_EXPORT_INTERVAL', '100');
    await start({ endpoint: receiver.url, traces: false });

    const [request] = await receiver.waitForRequests(1, '/v1/metrics', 5000);

    expect(request!.metrics.length).toBeGreaterThan(0);
  });

  it('OTEL_BSP_SCHEDULE_DELAY sets how soon ended spans are sent', async () => {
    vi.stubEnv('OTEL_BSP_SCHEDULE_DELAY', '50');
    const otlp = await start({ endpoint: receiver.url, metrics: false });

    otlp.tracerProvider?.getTracer('test').startSpan('soon').end();
    const [request] = await receiver.waitForRequests(1, '/v1/traces', 5000);

    expect(request!.spans.map((s) => s.name)).toEqual(['soon']);
  });

  it('temporality stays cumulative even when OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE asks for delta', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', 'delta');
    const otlp = await start({ endpoint: receiver.url, traces: false });

    await otlp.forceFlush();

    const links = receiver.metric('joerl.links.created');
    expect(links).toMatchObject({ type: 'sum', monotonic: true, temporality: 2 });
  });

  it('gRPC is refused with INVALID_CONFIG naming the variable that asked for it', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc');

    const error = await startOtlp({ telemetry: QUIET }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', setting: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'grpc' });
    expect((error as Error).message).toContain('4318');
  });

  it.each([
    ['endpoint', { endpoint: 'collector:4318' }],
    ['exportIntervalMs', { exportIntervalMs: 0 }],
    ['timeoutMs', { timeoutMs: -1 }],
    ['serviceName', { serviceName: ' ' }],
    ['traces', { traces: 'yes' as unknown as boolean }],
    ['sampling.timing', { telemetry: { sampling: { timing: 2 } } }],
  ] as const)('a bad %s option is refused with INVALID_CONFIG naming it', async (setting, options) => {
    await expect(startOtlp({ endpoint: receiver.url, telemetry: QUIET, ...options })).rejects.toMatchObject({ code: 'INVALID_CONFIG', setting });
  });

  it('an exporter package that is not installed is reported as MISSING_EXPORTER naming the package; other errors pass through', () => {
    const notFound = Object.assign(new Error("Cannot find package '@opentelemetry/exporter-metrics-otlp-proto' imported from /app"), { code: 'ERR_MODULE_NOT_FOUND' });
    const other = new Error('boom');

    const missing = asMissing(notFound, '@opentelemetry/exporter-metrics-otlp-proto', 'http/protobuf');

    expect(missing).toBeInstanceOf(MissingExporterError);
    expect(missing).toMatchObject({ code: 'MISSING_EXPORTER', packageName: '@opentelemetry/exporter-metrics-otlp-proto', cause: notFound });
    expect(asMissing(other, '@opentelemetry/exporter-metrics-otlp-proto', 'http/protobuf')).toBe(other);
  });
});
