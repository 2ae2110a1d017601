/**
 * An in-memory OpenTelemetry SDK for tracing tests: an exporter, a tracer, and an
 * AsyncLocalStorage context manager that counts how often the active context is looked up.
 */
import { type Context, type ContextManager, context, diag, DiagLogLevel } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** The context manager OTLP registers, counting `active()` calls: each is one context lookup. */
export class CountingContextManager implements ContextManager {
  private readonly inner = new AsyncLocalStorageContextManager();
  lookups = 0;

  active(): Context {
    this.lookups++;
    return this.inner.active();
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.inner.with(ctx, fn, thisArg, ...args);
  }

  bind<T>(ctx: Context, target: T): T {
    return this.inner.bind(ctx, target);
  }

  enable(): this {
    this.inner.enable();
    return this;
  }

  disable(): this {
    this.inner.disable();
    return this;
  }
}

/** Keeps ended spans in memory. (The SDK's SimpleSpanProcessor looks the context up once per span: this one never does.) */
class Collector implements SpanProcessor {
  ended: ReadableSpan[] = [];
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    this.ended.push(span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Registers the SDK for the test file; every test starts with no spans and no diagnostics. */
export function useOtel() {
  const collector = new Collector();
  const provider = new BasicTracerProvider({ spanProcessors: [collector] });
  const tracer = provider.getTracer('test');
  const contextManager = new CountingContextManager();
  /** What the OpenTelemetry API warned about (e.g. "Operation attempted on ended Span"). */
  const warnings: string[] = [];
  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable());
    const record = (message: string) => void warnings.push(message);
    diag.setLogger({ error: record, warn: record, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
  });
  beforeEach(() => {
    collector.ended = [];
    warnings.length = 0;
  });
  afterAll(() => {
    diag.disable();
    contextManager.disable();
    context.disable();
  });
  const spans = (): ReadableSpan[] => collector.ended;
  const named = (name: string): ReadableSpan[] => spans().filter((s) => s.name === name);
  return { tracer, contextManager, warnings, spans, named };
}
