/**
 * `@joerl/health`: health checks for joerl actor systems — thresholds on what telemetry and the
 * runtime measure, custom checks, and the liveness / readiness / health probes Kubernetes asks
 * for, over HTTP and as metrics.
 *
 * @packageDocumentation
 */
export { type CheckFunction, type CheckOptions, type CheckVerdict, DEFAULT_CHECK_TIMEOUT_MS, type HealthCheckSpec } from './check.js';
export { DuplicateCheckError, UnknownCheckError } from './errors.js';
export { DEFAULT_HEALTH_HOST, HEALTH_SERVER_LIMITS, type HealthServer, type ListenOptions } from './health-server.js';
export { createHealthHandler, type HealthRequestHandler, MAX_TARGET_LENGTH } from './http-handler.js';
export type { SupervisorTarget } from './lifecycle-checks.js';
export { HEALTH_CHECK_STATUS, HEALTH_STATUS } from './metrics.js';
export type { HeapReading, RuntimeReadings } from './readings.js';
export {
  type CheckResult,
  checkValue,
  type FailedCheck,
  type HealthIssue,
  type HealthReport,
  type HealthStatus,
  type Observed,
  type PassedCheck,
  type Probe,
  PROBES,
  type Severity,
  type SkippedCheck,
  statusValue,
  type WarnedCheck,
} from './report.js';
export type { DrainOptions, ShutdownHookOptions } from './shutdown-hook.js';
export type { LivenessOptions } from './stall-detector.js';
export { DEFAULT_PROBE_CACHE_MS, type ProbeOptions, SystemHealth, type SystemHealthOptions } from './system-health.js';
export {
  type ActorCountThreshold,
  DEFAULT_THRESHOLDS,
  type IntensityThreshold,
  type Levels,
  type MailboxThreshold,
  type RateThreshold,
  type ResolvedLevels,
  type ResolvedThresholds,
  type Thresholds,
} from './thresholds.js';
