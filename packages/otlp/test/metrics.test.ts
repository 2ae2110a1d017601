import { defineMetric, MESSAGE_BUCKETS, metricDef } from '@joerl/telemetry';
import { describe, expect, it } from 'vitest';
import { type OtlpOptions, startOtlp } from '../src/index.js';
import { pointOf, QUIET, quietSystem, type Receiver, useReceiver } from './helpers.js';

let receiver: Receiver;
const after = useReceiver((r) => (receiver = r));

/** A setup exporting metrics only to the test's receiver, and a system instrumented by it. */
async function setup(options: OtlpOptions = {}) {
  const otlp = await startOtlp({ endpoint: receiver.url, traces: false, telemetry: { ...QUIET, sampling: { timing: 1 } }, ...options });
  after.defer(() => otlp.shutdown());
  const system = quietSystem({ instrumentation: otlp.telemetry });
  after.defer(() => system.shutdown());
  return { otlp, system, telemetry: otlp.telemetry };
}

describe('metrics over OTLP/HTTP (protobuf, decoded with the official definitions)', () => {
  it('a counter arrives as a monotonic cumulative sum named after the catalog, with unit, description and a point per actor type', async () => {
    const { otlp, system } = await setup();
    const workers = [0, 1, 2].map(() => system.spawn<number>(() => {}, { type: 'worker' }));
    system.spawn<number>(() => {}, { type: 'clerk' });
    for (let i = 0; i < 7; i++) for (const w of workers) w.send(i);
    await system.idle();

    expect(await otlp.forceFlush()).toBe(true);

    const spawned = receiver.metric('joerl.actors.spawned');
    expect(spawned).toMatchObject({ type: 'sum', monotonic: true, temporality: 2, unit: '1', description: metricDef('joerl_actors_spawned_total').help, scope: '@joerl/telemetry' });
    expect(pointOf(spawned, { type: 'worker' })).toMatchObject({ value: 3, valueField: 'asInt' });
    expect(pointOf(spawned, { type: 'clerk' })?.value).toBe(1);
    expect(pointOf(receiver.metric('joerl.messages.processed'), { type: 'worker' })?.value).toBe(21);
    // a reason has a point once it has occurred: no worker has exited
    expect(pointOf(receiver.metric('joerl.actors.stopped'), { type: 'worker', reason: 'normal' })).toBeUndefined();
  });

  it('a gauge that adds up (actors alive) arrives as a non-monotonic sum, one that does not (fullest mailbox) as a gauge', async () => {
    const { otlp, system } = await setup();
    system.spawn<number>(() => {}, { type: 'idler' });
    system.spawn<number>(() => {}, { type: 'idler' });
    await system.idle();

    await otlp.forceFlush();

    const active = receiver.metric('joerl.actors.active');
    expect(active).toMatchObject({ type: 'sum', monotonic: false, temporality: 2, unit: '1' });
    expect(pointOf(active, { type: 'idler' })?.value).toBe(2);
    expect(receiver.metric('joerl.mailbox.depth.max')).toMatchObject({ type: 'gauge' });
    // a ratio is dimensionless in UCUM: unit 1
    expect(receiver.metric('joerl.mailbox.utilization')).toMatchObject({ type: 'gauge', unit: '1' });
    expect(receiver.metric('joerl.system.memory')).toMatchObject({ type: 'sum', monotonic: false, unit: 'By' });
  });

  it("a histogram arrives with the catalog's bounds and the telemetry's count per bucket, sum and count", async () => {
    const { otlp, system, telemetry } = await setup();
    const worker = system.spawn<number>(() => {}, { type: 'timed' });
    for (let i = 0; i < 5; i++) worker.send(i);
    await system.idle();

    await otlp.forceFlush();

    const metric = receiver.metric('joerl.message.processing.duration');
    expect(metric).toMatchObject({ type: 'histogram', temporality: 2, unit: 's', scope: '@joerl/telemetry' });
    const point = pointOf(metric, { type: 'timed' })!;
    const expected = telemetry.histogram('joerl_message_processing_duration_seconds', { type: 'timed' })!;
    expect(point.bounds).toEqual(MESSAGE_BUCKETS);
    expect(point.count).toBe(5);
    expect(point.bucketCounts).toEqual(expected.cumulative.map((c, i) => c - (i === 0 ? 0 : expected.cumulative[i - 1]!)));
    expect(point.sum).toBeCloseTo(expected.sum, 9);
  });

  it('values stay cumulative: a second export reports the running total from the same start time', async () => {
    const { otlp, system } = await setup();
    const worker = system.spawn<number>(() => {}, { type: 'steady' });
    worker.send(1);
    await system.idle();
    await otlp.forceFlush();
    const first = pointOf(receiver.metric('joerl.messages.processed'), { type: 'steady' })!;
    const firstHistogram = pointOf(receiver.metric('joerl.message.processing.duration'), { type: 'steady' })!;

    worker.send(2);
    worker.send(3);
    await system.idle();
    await otlp.forceFlush();

    const second = pointOf(receiver.metric('joerl.messages.processed'), { type: 'steady' })!;
    const secondHistogram = pointOf(receiver.metric('joerl.message.processing.duration'), { type: 'steady' })!;
    expect([first.value, second.value]).toEqual([1, 3]);
    expect(second.startTimeUnixNano).toBe(first.startTimeUnixNano);
    expect([firstHistogram.count, secondHistogram.count]).toEqual([1, 3]);
    expect(secondHistogram.startTimeUnixNano).toBe(firstHistogram.startTimeUnixNano);
  });

  it('a metric source added to the telemetry after the setup is exported too', async () => {
    const { otlp, telemetry } = await setup();
    const def = defineMetric('joerl_test_queue_backlog', 'gauge', '1', ['queue'], 'runtime', 'collected', 'Jobs waiting in an external queue.');
    telemetry.addMetricSource({ name: 'jobs', defs: [def], collect: () => [{ def, samples: [{ labels: { queue: 'emails' }, value: 42 }] }] });

    await otlp.forceFlush();

    expect(receiver.metric('joerl.test.queue.backlog')).toMatchObject({ type: 'gauge', description: 'Jobs waiting in an external queue.' });
    expect(pointOf(receiver.metric('joerl.test.queue.backlog'), { queue: 'emails' })?.value).toBe(42);
  });

  it('metrics are exported every exportIntervalMs without being asked', async () => {
    await setup({ exportIntervalMs: 100 });

    const [request] = await receiver.waitForRequests(1, '/v1/metrics', 5000);

    expect(request!.metrics.map((m) => m.name)).toContain('joerl.links.created');
  });

  it('the resource names the service and the instance given in the options', async () => {
    const { otlp } = await setup({ serviceName: 'billing', serviceInstanceId: 'billing-7', resourceAttributes: { 'deployment.environment.name': 'test' } });

    await otlp.forceFlush();

    expect(receiver.metric('joerl.links.created')?.resource).toMatchObject({ 'service.name': 'billing', 'service.instance.id': 'billing-7', 'deployment.environment.name': 'test' });
  });

  it('a cluster node is named by joerl.node and, unless one is given, service.instance.id', async () => {
    const { otlp } = await setup({ serviceName: 'orders', node: 'orders-2' });
    await otlp.forceFlush();
    expect(receiver.metric('joerl.links.created')?.resource).toMatchObject({ 'service.name': 'orders', 'service.instance.id': 'orders-2', 'joerl.node': 'orders-2' });
    const own = await setup({ node: 'orders-3', serviceInstanceId: 'pod-17' });
    expect(own.otlp.resource.attributes).toMatchObject({ 'service.instance.id': 'pod-17', 'joerl.node': 'orders-3' });
    await expect(startOtlp({ node: '' })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('without a service.instance.id configured, each setup reports a distinct random one', async () => {
    const a = await setup();
    const b = await setup();

    expect(a.otlp.resource.attributes['service.instance.id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.otlp.resource.attributes['service.instance.id']).not.toBe(a.otlp.resource.attributes['service.instance.id']);
  });

  it('over OTLP/JSON the same metrics arrive, decoded from JSON', async () => {
    const { otlp, system } = await setup({ protocol: 'http/json' });
    const worker = system.spawn<number>(() => {}, { type: 'json_worker' });
    worker.send(1);
    worker.send(2);
    await system.idle();

    await otlp.forceFlush();

    expect(receiver.requests.map((r) => r.encoding)).toEqual(['json']);
    expect(receiver.requests[0]!.contentType).toContain('application/json');
    expect(pointOf(receiver.metric('joerl.messages.processed'), { type: 'json_worker' })?.value).toBe(2);
    expect(pointOf(receiver.metric('joerl.message.processing.duration'), { type: 'json_worker' })).toMatchObject({ count: 2, bounds: MESSAGE_BUCKETS });
  });

  it('with metrics: false nothing is sent to /v1/metrics and there is no meter provider', async () => {
    const { otlp } = await setup({ metrics: false, traces: true });

    expect(await otlp.forceFlush()).toBe(true);

    expect(otlp.meterProvider).toBeNull();
    expect(otlp.targets.metrics).toBeNull();
    expect(receiver.requests.filter((r) => r.path === '/v1/metrics')).toHaveLength(0);
  });
});
