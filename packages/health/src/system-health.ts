/**
 * `SystemHealth`: the health of one actor system — thresholds, lifecycle and custom checks —
 * answered as three probes (liveness, readiness, overall health), over HTTP and as metrics.
 *
 * @module
 */
import { ActorSystem, type Clock, formatValue, InvalidConfigError, isPid } from '@joerl/core';
import type { MetricFamily, MetricSource, Telemetry } from '@joerl/telemetry';
import type { BuiltinCheck, EvalContext } from './builtin-check.js';
import { type CheckFunction, type CheckOptions, type HealthCheckSpec, UserCheck } from './check.js';
import { DuplicateCheckError, UnknownCheckError } from './errors.js';
import { type HealthServer, type ListenOptions, listenHealth } from './health-server.js';
import { createHealthHandler, type HealthRequestHandler } from './http-handler.js';
import { type Lifecycle, readyCheck, shutdownCheck, stallCheck, type SupervisorTarget, supervisorsCheck, systemCheck } from './lifecycle-checks.js';
import { HEALTH_STATUS, type HealthSnapshot, healthMetricSource } from './metrics.js';
import { ProbeCache } from './probe-cache.js';
import { runtimeReadings, type RuntimeReadings } from './readings.js';
import { type CheckResult, type HealthReport, type Probe, PROBES, skipped, toReport, verdict } from './report.js';
import { checkDrainOptions, type DrainOptions, onSignals, type ShutdownHookOptions } from './shutdown-hook.js';
import { type LivenessOptions, StallDetector } from './stall-detector.js';
import { THRESHOLD_CHECKS, thresholdChecks } from './threshold-checks.js';
import { type ResolvedThresholds, resolveThresholds, type Thresholds } from './thresholds.js';

/**
 * Options of {@link SystemHealth}.
 *
 * @example
 * ```ts
 * new SystemHealth({
 *   system,
 *   telemetry,                                   // for rates, restart intensity, event-loop delay, metrics
 *   thresholds: { heap: { warn: 90 } },
 *   supervisors: ['app'],                        // not ready until the supervisor named 'app' started
 *   checks: [{ name: 'database', check: () => db.ping(), timeoutMs: 500 }],
 * });
 * ```
 * @since 0.1.0
 */
export interface SystemHealthOptions {
  /** The actor system to watch. */
  readonly system: ActorSystem;
  /**
   * The system's telemetry (its instrumentation). Without it, `panic-rate`, `restart-rate`,
   * `restart-intensity` and `event-loop-delay` are reported as skipped, and no metrics are exported.
   */
  readonly telemetry?: Telemetry;
  /** Levels for the threshold checks; see {@link DEFAULT_THRESHOLDS}. */
  readonly thresholds?: Thresholds;
  /** Custom checks, as {@link SystemHealth.addCheck} adds them. */
  readonly checks?: readonly HealthCheckSpec[];
  /** Supervisors readiness waits for, as {@link SystemHealth.requireStarted}. */
  readonly supervisors?: readonly SupervisorTarget[];
  /** When true, readiness fails (check `ready`) until {@link SystemHealth.markReady} is called (default false). */
  readonly awaitReady?: boolean;
  /** Event-loop stall detection for liveness. */
  readonly liveness?: LivenessOptions;
  /** The clock of rate windows, check timeouts and the drain period (default the system's). */
  readonly clock?: Clock;
  /** Replacements for the heap and event-loop readings (for tests). */
  readonly readings?: Partial<RuntimeReadings>;
  /** Export `joerl_health_status` and `joerl_health_check_status` through telemetry (default true when there is one). */
  readonly metrics?: boolean;
  /**
   * How long the HTTP endpoints reuse a readiness or health report, ms, by the health clock
   * (default {@link DEFAULT_PROBE_CACHE_MS}, 1000; 0 evaluates every request). Requests that
   * arrive while an evaluation runs always share it. A change of state made through this object
   * (`beginShutdown`, `markReady`, `addCheck`...) is seen at once. Liveness is never reused.
   */
  readonly probeCacheMs?: number;
}

/**
 * How long the HTTP endpoints reuse a readiness or health report by default, ms: well under
 * Kubernetes' `periodSeconds` (10 s), so every kubelet probe sees a fresh one, while a burst of
 * requests (several probes, a dashboard, a load balancer) costs one evaluation a second.
 *
 * @example
 * ```ts
 * new SystemHealth({ system, probeCacheMs: DEFAULT_PROBE_CACHE_MS / 2 });
 * ```
 * @since 0.1.0
 */
export const DEFAULT_PROBE_CACHE_MS = 1000;

/**
 * Options of a probe: checks to skip, or the one check to run.
 *
 * @example
 * ```ts
 * await health.readiness({ exclude: ['heap'] });
 * await health.probe('readiness', { check: 'database' });
 * ```
 * @since 0.1.0
 */
export interface ProbeOptions {
  /** Names of checks not to run (reported as skipped). Unknown names are ignored. */
  readonly exclude?: readonly string[];
  /** Run only this check. */
  readonly check?: string;
  /**
   * Accept a report of the same question (probe, check, exclusions) whose evaluation started at
   * most this many ms ago, or is still running (default 0: always evaluate).
   */
  readonly maxAgeMs?: number;
}

/** A check, built in or added, as a probe lists it. */
type Entry =
  | { readonly kind: 'builtin'; readonly name: string; readonly probes: readonly Probe[]; readonly check: BuiltinCheck }
  | { readonly kind: 'user'; readonly name: string; readonly probes: readonly Probe[]; readonly check: UserCheck };

/** Custom checks answer readiness and overall health; never liveness, which must not depend on anything outside the process. */
const USER_PROBES: readonly Probe[] = Object.freeze(['readiness', 'health']);
const LIFECYCLE_CHECKS = ['system', 'event-loop-stall', 'shutdown', 'ready', 'supervisors'];

/**
 * The health of one actor system.
 *
 * Three questions, three probes:
 * - **liveness** (`/livez`, {@link SystemHealth.liveness}): can the process make progress? It
 *   fails only when the event loop stalled recently (`event-loop-stall`) or the system stopped
 *   (`system`). Mere degradation never fails it: restarting a busy pod makes things worse.
 * - **readiness** (`/readyz`, {@link SystemHealth.readiness}): should it get traffic now? It
 *   fails while required supervisors have not started, while `awaitReady` waits for
 *   {@link SystemHealth.markReady}, once shutdown began, and while any critical threshold or
 *   critical custom check fails.
 * - **health** (`/healthz`, {@link SystemHealth.check}): everything but the readiness-only
 *   `shutdown` and `ready` checks; `healthy`, `degraded` or `unhealthy`.
 *
 * @example
 * ```ts
 * import { SystemHealth } from '@joerl/health';
 *
 * const health = new SystemHealth({ system, telemetry });
 * await health.listen({ port: 8080 }); // GET /livez, /readyz, /healthz
 * ```
 * @since 0.1.0
 */
export class SystemHealth {
  /** The watched system. */
  readonly system: ActorSystem;
  /** Its telemetry, or null. */
  readonly telemetry: Telemetry | null;
  /** The thresholds in force, defaults applied. */
  readonly thresholds: ResolvedThresholds;
  /** The clock of windows, timeouts and draining. */
  readonly clock: Clock;
  /** How long the HTTP endpoints reuse a readiness or health report, ms (see {@link SystemHealthOptions.probeCacheMs}). */
  readonly probeCacheMs: number;

  private readonly stall: StallDetector;
  private metricSource: MetricSource | null = null;
  private readonly lifecycle: {
    readonly system: BuiltinCheck;
    readonly stall: BuiltinCheck;
    readonly shutdown: BuiltinCheck;
    readonly ready: BuiltinCheck;
    readonly supervisors: BuiltinCheck;
  };
  private readonly thresholdChecks: readonly BuiltinCheck[];
  private readonly userChecks = new Map<string, UserCheck>();
  private readonly targets: SupervisorTarget[] = [];
  private readonly awaitReady: boolean;
  private marked = false;
  private draining = false;
  private shutdownPromise: Promise<void> | null = null;
  private readonly servers = new Set<HealthServer>();
  private readonly unhooks = new Set<() => void>();
  private readonly recent = new ProbeCache();

  /**
   * @throws InvalidConfigError for a bad option, naming the setting (e.g. `thresholds.heap.warn`);
   *   DuplicateCheckError for two checks of one name.
   */
  constructor(options: SystemHealthOptions) {
    if (typeof options !== 'object' || options === null) throw new InvalidConfigError('SystemHealth options', options, 'an object { system, telemetry?, thresholds?, checks?, ... }');
    const { system } = options;
    if (!(system instanceof ActorSystem)) throw new InvalidConfigError('system', system, 'the ActorSystem to watch');
    this.system = system;
    const telemetry = options.telemetry ?? null;
    if (telemetry !== null && (typeof telemetry !== 'object' || telemetry.actorSystem !== system)) {
      throw new InvalidConfigError('telemetry', telemetry, 'the telemetry instrumenting this system: new ActorSystem({ instrumentation: telemetry })');
    }
    this.telemetry = telemetry;
    this.thresholds = resolveThresholds(options.thresholds);
    const clock = options.clock ?? system.clock;
    if (typeof clock !== 'object' || clock === null || typeof clock.now !== 'function' || typeof clock.setTimeout !== 'function') {
      throw new InvalidConfigError('clock', clock, 'a Clock { now, setTimeout, clearTimeout }, e.g. a TestClock');
    }
    this.clock = clock;
    const awaitReady = options.awaitReady ?? false;
    if (typeof awaitReady !== 'boolean') throw new InvalidConfigError('awaitReady', awaitReady, 'true or false');
    this.awaitReady = awaitReady;
    const probeCacheMs = options.probeCacheMs ?? DEFAULT_PROBE_CACHE_MS;
    if (typeof probeCacheMs !== 'number' || !(probeCacheMs >= 0) || !Number.isFinite(probeCacheMs)) {
      throw new InvalidConfigError('probeCacheMs', probeCacheMs, 'a non-negative, finite number of milliseconds (0: evaluate every request)');
    }
    this.probeCacheMs = probeCacheMs;
    const metrics = options.metrics ?? true;
    if (typeof metrics !== 'boolean') throw new InvalidConfigError('metrics', metrics, 'true or false');
    if (metrics && telemetry !== null && telemetry.definitions.some((d) => d.name === HEALTH_STATUS.name)) {
      throw new InvalidConfigError('telemetry', 'a telemetry already reporting health metrics', 'one SystemHealth per telemetry (or pass metrics: false to the second)');
    }

    this.stall = new StallDetector(options.liveness);
    const lifecycle: Lifecycle = {
      system,
      stall: this.stall,
      shuttingDown: () => this.draining,
      marked: () => this.marked,
      supervisors: () => this.targets,
    };
    this.lifecycle = {
      system: systemCheck(lifecycle),
      stall: stallCheck(lifecycle),
      shutdown: shutdownCheck(lifecycle),
      ready: readyCheck(lifecycle),
      supervisors: supervisorsCheck(lifecycle),
    };
    const readings = runtimeReadings(telemetry, options.readings);
    this.thresholdChecks = thresholdChecks(system, this.thresholds, readings, telemetry === null ? null : telemetry.collect(), clock.now());
    for (const target of options.supervisors ?? []) this.requireStarted(target);
    for (const spec of options.checks ?? []) {
      if (typeof spec !== 'object' || spec === null) throw new InvalidConfigError('checks', spec, 'an array of { name, check, timeoutMs?, critical? }');
      const { name, check, ...rest } = spec;
      this.addCheck(name, check, rest);
    }
    if (metrics && telemetry !== null) {
      this.metricSource = healthMetricSource(() => this.snapshot());
      telemetry.addMetricSource(this.metricSource);
    }
    this.stall.start();
  }

  // ---------------------------------------------------------------------------------------
  // Probes

  /**
   * Overall health (what `/healthz` answers): every check but the readiness-only `shutdown`
   * and `ready`. Never rejects: a check that throws or times out is an issue.
   *
   * @example
   * ```ts
   * const report = await health.check();
   * if (report.status !== 'healthy') for (const i of report.issues) console.warn(i.check, i.message);
   * ```
   */
  check(options: Omit<ProbeOptions, 'check'> = {}): Promise<HealthReport> {
    return this.probe('health', options);
  }

  /**
   * Liveness (what `/livez` answers): `unhealthy` only if the event loop stalled within the
   * stall window or the system stopped.
   *
   * @example
   * ```ts
   * if ((await health.liveness()).status === 'unhealthy') process.exit(1);
   * ```
   */
  liveness(options: Omit<ProbeOptions, 'check'> = {}): Promise<HealthReport> {
    return this.probe('liveness', options);
  }

  /**
   * Readiness (what `/readyz` answers): `unhealthy` while not started, shutting down, or with
   * any critical issue; `degraded` still counts as ready.
   *
   * @example
   * ```ts
   * const ready = (await health.readiness()).status !== 'unhealthy';
   * ```
   */
  readiness(options: Omit<ProbeOptions, 'check'> = {}): Promise<HealthReport> {
    return this.probe('readiness', options);
  }

  /**
   * Runs the checks of one probe (or one of them, with `check`) and folds them into a report.
   * Checks run concurrently; custom checks start before this returns.
   *
   * @throws (rejects) UnknownCheckError if `check` is not one of the probe's checks.
   * @example
   * ```ts
   * const { status } = await health.probe('readiness', { check: 'supervisors' });
   * ```
   */
  async probe(probe: Probe, options: ProbeOptions = {}): Promise<HealthReport> {
    if (!PROBES.includes(probe)) throw new InvalidConfigError('probe', probe, `one of ${PROBES.join(', ')}`);
    let entries = this.entries().filter((e) => e.probes.includes(probe));
    if (options.check !== undefined) {
      const one = entries.find((e) => e.name === options.check);
      if (one === undefined) throw new UnknownCheckError(options.check, probe, entries.map((e) => e.name));
      entries = [one];
    }
    const exclude = new Set(options.exclude ?? []);
    const maxAgeMs = options.maxAgeMs ?? 0;
    if (typeof maxAgeMs !== 'number' || !(maxAgeMs >= 0)) throw new InvalidConfigError('maxAgeMs', maxAgeMs, 'a non-negative number of milliseconds');
    if (maxAgeMs === 0) return this.runChecks(probe, entries, exclude);
    const key = [probe, options.check ?? '', ...[...exclude].sort()].join('\0');
    return this.recent.get(key, this.clock.now(), maxAgeMs, () => this.runChecks(probe, entries, exclude));
  }

  /**
   * The names of a probe's checks, in order.
   *
   * @example
   * ```ts
   * health.checkNames('liveness'); // ['system', 'event-loop-stall']
   * ```
   */
  checkNames(probe: Probe): string[] {
    return this.entries()
      .filter((e) => e.probes.includes(probe))
      .map((e) => e.name);
  }

  // ---------------------------------------------------------------------------------------
  // Custom checks

  /**
   * Adds a check to readiness and overall health (never to liveness). It may be sync or async;
   * returning nothing or `true` passes, `false` fails, and `{ kind, message?, observed? }` says
   * more. A throw, a rejection or a timeout is a failure with the reason; a failure of a
   * non-critical check (`critical: false`) only degrades.
   *
   * @throws InvalidConfigError for a bad name (lowercase letters, digits and dashes) or option;
   *   DuplicateCheckError if the name is taken.
   * @example
   * ```ts
   * health.addCheck('database', async (signal) => {
   *   await db.query('select 1', { signal });
   * }, { timeoutMs: 500 });
   * ```
   */
  addCheck(name: string, check: CheckFunction, options: CheckOptions = {}): void {
    const c = new UserCheck(name, check, options);
    if (this.userChecks.has(name) || LIFECYCLE_CHECKS.includes(name) || (THRESHOLD_CHECKS as readonly string[]).includes(name)) {
      throw new DuplicateCheckError(name);
    }
    this.userChecks.set(name, c);
    this.recent.clear();
  }

  /**
   * Removes a custom check; returns false if there was none of that name.
   *
   * @example
   * ```ts
   * health.removeCheck('database');
   * ```
   */
  removeCheck(name: string): boolean {
    this.recent.clear();
    return this.userChecks.delete(name);
  }

  // ---------------------------------------------------------------------------------------
  // Readiness

  /**
   * Makes readiness (and overall health) require a supervisor to be alive and done starting
   * its children. By name, it may be called before the supervisor starts.
   *
   * @throws InvalidConfigError if `target` is not a pid, a name, or a ref with a pid.
   * @example
   * ```ts
   * health.requireStarted('app');
   * await Supervisor.start(system, spec, { name: 'app' }); // readiness turns green once this resolves
   * ```
   */
  requireStarted(target: SupervisorTarget): void {
    const ok = typeof target === 'string' ? target.length > 0 : isPid(target) || (typeof target === 'object' && target !== null && isPid(target.pid));
    if (!ok) throw new InvalidConfigError('supervisors', target, 'a supervisor pid, registered name, or ref ({ pid })');
    this.targets.push(target);
    this.recent.clear();
  }

  /**
   * Tells readiness the application finished starting (with `awaitReady: true`, readiness
   * fails until this is called).
   *
   * @example
   * ```ts
   * const health = new SystemHealth({ system, awaitReady: true });
   * await warmCaches();
   * health.markReady();
   * ```
   */
  markReady(): void {
    this.marked = true;
    this.recent.clear();
  }

  /**
   * Turns readiness to 503 (check `shutdown`) without stopping anything: from now on load
   * balancers drain traffic away. {@link SystemHealth.drainAndShutdown} calls it.
   *
   * @example
   * ```ts
   * health.beginShutdown();
   * ```
   */
  beginShutdown(): void {
    this.draining = true;
    this.recent.clear();
  }

  /** Whether shutdown began (readiness fails). */
  get shuttingDown(): boolean {
    return this.draining;
  }

  /**
   * Graceful shutdown: readiness turns 503 at once, the system keeps serving for `drainMs`
   * (by the health clock) so traffic drains away, then `system.shutdown()` runs. Calling it
   * again returns the shutdown under way.
   *
   * @throws InvalidConfigError for a bad `drainMs`.
   * @example
   * ```ts
   * process.once('SIGTERM', () => void health.drainAndShutdown({ drainMs: 10_000 }));
   * ```
   */
  drainAndShutdown(options: DrainOptions = {}): Promise<void> {
    if (this.shutdownPromise !== null) return this.shutdownPromise;
    const drainMs = checkDrainOptions(options);
    this.beginShutdown();
    const drained =
      drainMs === 0 ? Promise.resolve() : new Promise<void>((resolve) => this.clock.setTimeout(resolve, drainMs, undefined));
    this.shutdownPromise = drained.then(() => this.system.shutdown(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }));
    return this.shutdownPromise;
  }

  /**
   * On SIGTERM or SIGINT (by default): {@link SystemHealth.drainAndShutdown}, then
   * {@link SystemHealth.close}, then `process.exit` (unless `exit: false`). Returns a function
   * that removes the signal handlers.
   *
   * @throws InvalidConfigError for a bad option.
   * @example
   * ```ts
   * health.installShutdownHook({ drainMs: 5000 });
   * ```
   */
  installShutdownHook(options: ShutdownHookOptions = {}): () => void {
    const remove = onSignals(options, async () => {
      await this.drainAndShutdown(options);
      await this.close();
    });
    const unhook = (): void => {
      remove();
      this.unhooks.delete(unhook);
    };
    this.unhooks.add(unhook);
    return unhook;
  }

  // ---------------------------------------------------------------------------------------
  // HTTP

  /**
   * The probe endpoints as a `node:http` handler (or Express/Connect middleware); see
   * {@link createHealthHandler}.
   *
   * @example
   * ```ts
   * http.createServer(health.handler()).listen(8080);
   * ```
   */
  handler(): HealthRequestHandler {
    return createHealthHandler(this);
  }

  /**
   * Serves the probe endpoints on their own HTTP server: `/livez`, `/readyz`, `/healthz`
   * (200, or 503 when unhealthy; JSON; `?verbose`, `?exclude=<check>`, `/readyz/<check>`).
   *
   * @throws (rejects) InvalidConfigError for a bad port or host; the server's error (e.g.
   *   `EADDRINUSE`) if it cannot listen.
   * @example
   * ```ts
   * const server = await health.listen({ port: 8080 });
   * // later: await server.close(); (or health.close())
   * ```
   */
  async listen(options: ListenOptions): Promise<HealthServer> {
    const server = await listenHealth(this.handler(), options, (s) => this.servers.delete(s));
    this.servers.add(server);
    return server;
  }

  /**
   * Stops the heartbeat, closes the servers {@link SystemHealth.listen} opened and removes
   * installed signal handlers. Does not stop the actor system.
   *
   * @example
   * ```ts
   * await health.close();
   * ```
   */
  async close(): Promise<void> {
    this.stall.stop();
    if (this.metricSource !== null) {
      this.telemetry?.removeMetricSource(this.metricSource);
      this.metricSource = null;
    }
    for (const unhook of [...this.unhooks]) unhook();
    await Promise.all([...this.servers].map((s) => s.close()));
  }

  // ---------------------------------------------------------------------------------------
  // Internals

  /** Runs `entries` (but those excluded) into a report. */
  private async runChecks(probe: Probe, entries: readonly Entry[], exclude: ReadonlySet<string>): Promise<HealthReport> {
    const ctx = this.context();
    // Everything up to here is synchronous: custom checks have started (and set their timers) when probe() returns.
    const results = entries.map((e): Promise<CheckResult> => {
      if (exclude.has(e.name)) return Promise.resolve(skipped(e.name, 'excluded'));
      return e.kind === 'builtin' ? Promise.resolve(evaluate(e.check, ctx)) : e.check.run(this.clock);
    });
    return toReport(probe, await Promise.all(results));
  }

  /** Every check, in report order. */
  private entries(): Entry[] {
    const l = this.lifecycle;
    const builtin = (check: BuiltinCheck): Entry => ({ kind: 'builtin', name: check.name, probes: check.probes, check });
    const out: Entry[] = [builtin(l.system), builtin(l.stall), builtin(l.shutdown)];
    if (this.awaitReady) out.push(builtin(l.ready));
    if (this.targets.length > 0) out.push(builtin(l.supervisors));
    for (const c of this.thresholdChecks) out.push(builtin(c));
    for (const c of this.userChecks.values()) out.push({ kind: 'user', name: c.name, probes: USER_PROBES, check: c });
    return out;
  }

  /** One evaluation's shared context: the clock read once, telemetry collected at most once. */
  private context(): EvalContext {
    const telemetry = this.telemetry;
    let families: readonly MetricFamily[] | undefined;
    return {
      now: this.clock.now(),
      families: () => {
        if (telemetry === null) return null;
        families ??= telemetry.collect();
        return families;
      },
    };
  }

  /** What the metrics report, synchronously: built-in checks now, custom checks as last run. */
  private snapshot(): HealthSnapshot {
    const ctx = this.context();
    const checks: CheckResult[] = [];
    const overall: CheckResult[] = [];
    for (const e of this.entries()) {
      const result = e.kind === 'builtin' ? evaluate(e.check, ctx) : (e.check.last ?? skipped(e.name, 'has not run yet'));
      checks.push(result);
      if (e.probes.includes('health')) overall.push(result);
    }
    return { status: toReport('health', overall).status, checks };
  }
}

/** A built-in check that throws (a bad injected reading, say) is a failure, not a crash. */
function evaluate(check: BuiltinCheck, ctx: EvalContext): CheckResult {
  try {
    return check.evaluate(ctx);
  } catch (error) {
    return verdict(check.name, 'fail', `the check threw: ${formatValue(error, 500)}`, null, null, null);
  }
}
