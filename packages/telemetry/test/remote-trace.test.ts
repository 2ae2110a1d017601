/**
 * The W3C trace context that crosses nodes (`telemetry.distribution`): read from any header
 * value without throwing, written so it reads back the same, and continued by the send that
 * delivers a remote message.
 */
import { ActorSystem, type RemoteTrace } from '@joerl/core';
import { fc, test } from '@fast-check/vitest';
import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createTelemetry } from '../src/index.js';
import { readTrace, writeTrace } from '../src/w3c-trace-context.js';
import { hostileValue } from './helpers.js';
import { useOtel } from './otel.js';

const otel = useOtel();

function traced() {
  const telemetry = createTelemetry({ tracing: { tracer: otel.tracer }, eventLoop: false, logger: null });
  return { telemetry, system: new ActorSystem({ instrumentation: telemetry, logger: null }) };
}

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));

describe('W3C trace context across nodes', () => {
  test.prop([hex(32).filter((t) => !/^0+$/.test(t)), hex(16).filter((s) => !/^0+$/.test(s)), fc.integer({ min: 0, max: 255 }), fc.nat({ max: 10_000 })])(
    'what is written reads back: trace id, span id, flags and hops',
    (traceId, spanId, traceFlags, hops) => {
      const read = readTrace(writeTrace({ traceId, spanId, traceFlags }, hops));
      expect(read?.span).toMatchObject({ traceId, spanId, traceFlags, isRemote: true });
      expect(read?.hops).toBe(hops);
    },
  );

  test.prop([hostileValue, hostileValue, fc.boolean()])('any header value is read without throwing, and what is not a trace context is ignored', (parent, state, call) => {
    const { telemetry } = traced();
    const remote = { traceparent: parent.make(), tracestate: state.make() } as unknown as RemoteTrace;
    const previous = telemetry.distribution.traceIn(remote, call);
    telemetry.distribution.traceEnd(previous);
    expect(telemetry.distribution.traceOut(null)).toBeUndefined(); // nothing left active
  });

  it('refuses the invalid ones the spec names: version ff, all-zero ids, extra fields on version 00', () => {
    const ok = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    expect(readTrace({ traceparent: ok, tracestate: undefined })?.span.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    for (const bad of ['ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', '00-00000000000000000000000000000000-b7ad6b7169203331-01', '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01', `${ok}-extra`, 'garbage']) {
      expect(readTrace({ traceparent: bad, tracestate: undefined }), bad).toBeUndefined();
    }
  });

  it('a remote message continues its trace: the send that delivers it carries the remote span as parent', async () => {
    const { telemetry, system } = traced();
    const done = new Promise<string | undefined>((resolve) => {
      const receiver = system.spawn<string>(() => resolve(trace.getActiveSpan()?.spanContext().traceId), { type: 'arrival' });
      const remote: RemoteTrace = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'joerl=3' };
      const previous = telemetry.distribution.traceIn(remote, false);
      system.send(receiver, 'from afar');
      telemetry.distribution.traceEnd(previous);
    });
    expect(await done).toBe('0af7651916cd43dd8448eb211c80319c');
    const span = otel.spans().find((s) => s.name === 'process arrival');
    expect(span?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    await system.shutdown();
  });
});
