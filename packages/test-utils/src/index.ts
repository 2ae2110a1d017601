/**
 * Test helpers shared by joerl's packages. Private: never published.
 */
import { createServer } from 'node:net';
import { ActorSystem, type ActorRef, type ActorSystemOptions, type Signal, type SpawnOptions } from '@joerl/core';

// Captured before any test installs fake timers: guards must fire in real time.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/** A system whose crash reports stay quiet (tests crash actors on purpose). */
export function quietSystem(options: ActorSystemOptions = {}): ActorSystem {
  return new ActorSystem({ logger: null, ...options });
}

/** A promise with its resolve/reject exposed. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Rejects if `promise` has not settled within `ms` real milliseconds: a guard that turns a hang
 * into a readable failure, never a way to wait for something.
 */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = realSetTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    promise.then(
      (v) => {
        realClearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        realClearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** What a probe has seen, in order. */
export type ProbeEvent<M> = { readonly kind: 'message'; readonly message: M } | { readonly kind: 'signal'; readonly signal: Signal };

/** An actor that records every message and signal it receives, and lets a test wait for them. */
export interface Probe<M = unknown> {
  readonly ref: ActorRef<M>;
  readonly messages: M[];
  readonly signals: Signal[];
  readonly events: ProbeEvent<M>[];
  /** Resolves once `count` messages have arrived in total. */
  waitForMessages(count: number, ms?: number): Promise<M[]>;
  /** Resolves once `count` signals have arrived in total. */
  waitForSignals(count: number, ms?: number): Promise<Signal[]>;
}

/** Spawns a {@link Probe}; it traps exits unless `trapExit: false` is passed. */
export function spawnProbe<M = unknown>(system: ActorSystem, options: SpawnOptions = {}): Probe<M> {
  const messages: M[] = [];
  const signals: Signal[] = [];
  const events: ProbeEvent<M>[] = [];
  const waiters: { check: () => boolean }[] = [];
  const notify = () => {
    for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i]!.check()) waiters.splice(i, 1);
  };
  const ref = system.spawn<M>(
    {
      receive(message) {
        messages.push(message);
        events.push({ kind: 'message', message });
        notify();
      },
      handleSignal(signal) {
        signals.push(signal);
        events.push({ kind: 'signal', signal });
        notify();
      },
    },
    { type: 'probe', trapExit: true, ...options },
  );
  const waitUntil = <T>(done: () => boolean, value: () => T, what: string, ms: number): Promise<T> => {
    if (done()) return Promise.resolve(value());
    const d = deferred<T>();
    waiters.push({
      check: () => {
        if (!done()) return false;
        d.resolve(value());
        return true;
      },
    });
    return within(d.promise, ms, what);
  };
  return {
    ref,
    messages,
    signals,
    events,
    waitForMessages: (count, ms = 5000) =>
      waitUntil(() => messages.length >= count, () => messages.slice(), `${count} message(s) at the probe (got ${messages.length})`, ms),
    waitForSignals: (count, ms = 5000) =>
      waitUntil(() => signals.length >= count, () => signals.slice(), `${count} signal(s) at the probe (got ${signals.length})`, ms),
  };
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export { HOSTILE_KINDS, type Hostile, type HostileKind, hostileValue, makeHostile } from './hostile.js';
export { exampleSource, readmeCodeBlocks, runExample } from './readme.js';
export { namedNode, scriptedClusterTraffic, scriptedWorkload } from './workload.js';
export {
  type LoadedRule,
  poll,
  type PrometheusServer,
  type PrometheusServerOptions,
  promtoolCheckMetrics,
  type QuerySample,
  requireBinary,
  startPrometheus,
} from './prometheus-server.js';
export {
  HOSTILE_TARGETS,
  INTERNAL_TEXT,
  type RawRequest,
  RepeatedBody,
  rawRequest,
  type RawResponse,
  renderRequest,
  requestArbitrary,
  targetArbitrary,
} from './http-fuzz.js';
export { NatsServer, natsServerBinary } from './nats-server.js';
