/**
 * `@joerl/telemetry`: the backend-neutral heart of joerl's observability.
 *
 * `createTelemetry()` gives an instrumentation for one actor system that counts the whole
 * {@link CATALOG} on the hot path with plain number updates, samples timings and spans
 * deterministically, and exposes everything through `collect()` for backends
 * (`@joerl/prometheus`, `@joerl/otlp`, `@joerl/statsd`, `@joerl/datadog`) and custom
 * {@link TelemetryProvider}s.
 *
 * @packageDocumentation
 */
export { type ActorInsight, actorInsight } from './actor-insight.js';
export { MAX_ACTOR_TRACES, type TraceEvent, type Tracer } from './actor-trace.js';
export {
  CALL_BUCKETS,
  CATALOG,
  defineMetric,
  EVENT_LOOP_BUCKETS,
  LIFETIME_BUCKETS,
  MESSAGE_BUCKETS,
  type MetricDef,
  metricDef,
  type MetricGroup,
  type MetricKind,
  type MetricUnit,
  RESTART_BUCKETS,
  STATE_BUCKETS,
} from './catalog.js';
export { type CounterDelta, type DeltaBatch, DeltaCollector, type GaugeValue, type HistogramDelta } from './delta.js';
export { Histogram } from './histogram.js';
export { InMemoryProvider, type RecordedEvent } from './in-memory-provider.js';
export { type FlowCount, MAX_FLOW_EDGES, type MessageFlowSnapshot, OUTSIDE } from './message-flow.js';
export {
  type ActorPanickedEvent,
  type ActorSpawnedEvent,
  type ActorStoppedEvent,
  type MessageReceivedEvent,
  type MessageSentEvent,
  PROVIDER_HOOKS,
  type ProviderHook,
  type SupervisorRestartEvent,
  type TelemetryProvider,
} from './provider.js';
export { OTHER, RESERVED_LABEL_VALUES, SYSTEM_TYPE, UNKNOWN_TYPE } from './reserved-labels.js';
export type { EventLoopDelay, EventLoopOptions, MemoryReading } from './runtime.js';
export { Sampler } from './sampler.js';
export { type HistogramSample, isHistogramSample, type Labels, type MetricFamily, type ValueSample } from './snapshot.js';
export {
  type CollectOptions,
  createTelemetry,
  type MetricSource,
  type SamplingRates,
  Telemetry,
  type TelemetryOptions,
} from './telemetry.js';
export { DEFAULT_MAX_HOPS, type TracingOptions } from './tracing.js';
export type { BucketOverrides } from './type-stats.js';
