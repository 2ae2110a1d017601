import { ActorSystem } from '@joerl/core';
import { countMetricExportFailures, countSpanExportFailures, otlpHistograms, otlpMetrics } from '@joerl/otlp';
import { createTelemetry } from '@joerl/telemetry';
import { trace } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

// Spans go through the global tracer provider; failed exports are counted in this telemetry.
const telemetry = createTelemetry({ tracing: true });

// Your OpenTelemetry setup: providers you create, register and shut down.
const resource = resourceFromAttributes({ 'service.name': 'billing' });
const spanExporter = countSpanExportFailures(new OTLPTraceExporter(), telemetry);
const tracerProvider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(spanExporter)] });
tracerProvider.register(); // the global provider, and the AsyncLocalStorage context joerl's spans follow

// Counters and gauges as observable instruments; histograms through the reader's metricProducers.
const reader = new PeriodicExportingMetricReader({
  exporter: countMetricExportFailures(new OTLPMetricExporter(), telemetry),
  metricProducers: [otlpHistograms({ telemetry })],
});
const meterProvider = new MeterProvider({ resource, readers: [reader] });
otlpMetrics({ telemetry, meterProvider });

const system = new ActorSystem({ instrumentation: telemetry });
const ledger = system.spawn<number>(() => {}, { type: 'ledger' });
trace.getTracer('billing').startActiveSpan('nightly run', (span) => {
  for (let invoice = 1; invoice <= 3; invoice++) ledger.send(invoice);
  span.end();
});
await system.idle();

await Promise.allSettled([meterProvider.forceFlush(), tracerProvider.forceFlush()]);
console.log(`export errors: ${telemetry.value('joerl_telemetry_export_errors_total', { backend: 'otlp' })}`);
await system.shutdown();
await Promise.allSettled([meterProvider.shutdown(), tracerProvider.shutdown()]);
