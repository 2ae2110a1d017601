/**
 * Registering providers with the `@opentelemetry/api` globals, and undoing exactly what was done.
 *
 * @module
 */
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, type MeterProvider, metrics, trace, type TracerProvider } from '@opentelemetry/api';

/**
 * What was registered. The API lets the first registration of each global win: when the
 * application already has one (its own SDK, say), that one stays, and this records nothing for it.
 * @internal
 */
export class GlobalRegistration {
  private constructor(
    private readonly tracerProvider: boolean,
    private readonly meterProvider: boolean,
    private readonly contextManager: AsyncLocalStorageContextManager | null,
  ) {}

  /**
   * Registers the tracer provider, an AsyncLocalStorage context manager (joerl's spans follow
   * messages through it: without one, no span has a parent) and the meter provider.
   */
  static register(tracerProvider: TracerProvider | null, meterProvider: MeterProvider | null): GlobalRegistration {
    const tracing = tracerProvider !== null && trace.setGlobalTracerProvider(tracerProvider);
    let manager: AsyncLocalStorageContextManager | null = null;
    if (tracerProvider !== null) {
      manager = new AsyncLocalStorageContextManager().enable();
      if (!context.setGlobalContextManager(manager)) {
        // Another context manager is in place (an SDK's): it propagates as well, keep it.
        manager.disable();
        manager = null;
      }
    }
    const metering = meterProvider !== null && metrics.setGlobalMeterProvider(meterProvider);
    return new GlobalRegistration(tracing, metering, manager);
  }

  /** Unregisters what {@link register} registered, nothing else. */
  unregister(): void {
    if (this.tracerProvider) trace.disable();
    if (this.meterProvider) metrics.disable();
    if (this.contextManager !== null) {
      context.disable();
      this.contextManager.disable();
    }
  }
}
