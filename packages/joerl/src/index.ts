/**
 * `joerl`: Erlang/OTP-style actors for Node.js — everything in one import, and `start()` to get
 * an actor system with telemetry, health probes and the backends your configuration picks.
 *
 * @packageDocumentation
 */
// The meta-package re-exports its parts whole: that is its job.
export * from '@joerl/core';
export * from '@joerl/gen';
export * from '@joerl/telemetry';
export * from '@joerl/health';
export * from '@joerl/observer';
export { BACKEND_PACKAGES, type Importer } from './backends.js';
export type { ClusterMembership, ClusterStartOptions } from './cluster.js';
export { type PackageManager } from './package-manager.js';
export { BACKENDS, type BackendName, DEFAULT_HEALTH_PORT, DEFAULT_OBSERVER_PORT, DEFAULT_PROMETHEUS_PORT, ENV } from './config.js';
export { MissingBackendError, StartFailedError } from './errors.js';
export { type App, type ShutdownOnSignalsOptions, start, type StartOptions } from './start.js';
