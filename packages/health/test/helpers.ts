import { ActorSystem, type Clock, ExitReason, type Pid, TestClock, type TimerHandle } from '@joerl/core';
import { GenServer, type GenServerDefinition, Supervisor, type SupervisorSpec } from '@joerl/gen';
import { createTelemetry, type Telemetry } from '@joerl/telemetry';
import { SystemHealth, type SystemHealthOptions } from '../src/index.js';

export { deferred, HOSTILE_KINDS, HOSTILE_TARGETS, type Hostile, hostileValue, INTERNAL_TEXT, makeHostile, rawRequest, requestArbitrary, within } from '@joerl/test-utils';

interface LoopTimer {
  at: number;
  callback: (arg: unknown) => void;
  arg: unknown;
}

/**
 * A stand-in for the real event loop, for the heartbeat: `run(ms)` lets time pass with timers
 * firing on time; `stall(ms)` lets it pass with the loop blocked, so timers fire late.
 */
export class FakeLoop implements Clock {
  private time = 0;
  private timers: LoopTimer[] = [];

  now(): number {
    return this.time;
  }
  setTimeout<T>(callback: (arg: T) => void, ms: number, arg: T): TimerHandle {
    const t: LoopTimer = { at: this.time + ms, callback: callback as (arg: unknown) => void, arg };
    this.timers.push(t);
    return t;
  }
  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t !== handle);
  }
  /** Timers set and not yet fired or cleared. */
  get pending(): number {
    return this.timers.length;
  }
  /** Time passes normally: every timer fires when due. */
  run(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (next === undefined) break;
      this.time = next.at;
      this.fire(next);
    }
    this.time = end;
  }
  /** The loop is blocked for `ms`; then whatever fell due fires, late. */
  stall(ms: number): void {
    this.time += ms;
    this.afterStall();
  }
  /** The loop is blocked for `ms`, and nothing has fired yet (we are the first task after it). */
  blockOnly(ms: number): void {
    this.time += ms;
  }
  /** Fires whatever is due now (the loop's next turn after a block). */
  afterStall(): void {
    for (const t of this.timers.filter((x) => x.at <= this.time)) this.fire(t);
  }
  private fire(t: LoopTimer): void {
    this.timers = this.timers.filter((x) => x !== t);
    t.callback(t.arg);
  }
}

/** Everything a health test needs: a test clock, telemetry, a quiet system, and the health. */
export interface Harness {
  readonly clock: TestClock;
  readonly loop: FakeLoop;
  readonly telemetry: Telemetry;
  readonly system: ActorSystem;
  readonly health: SystemHealth;
}

const open: (() => Promise<void>)[] = [];

/**
 * A system (on a TestClock, with telemetry whose event-loop monitor is off) and its health,
 * whose heartbeat runs on a {@link FakeLoop}. `withTelemetry: false` leaves telemetry out.
 */
export function harness(options: Partial<Omit<SystemHealthOptions, 'system'>> & { withTelemetry?: boolean } = {}): Harness {
  const { withTelemetry = true, ...rest } = options;
  const clock = new TestClock(1_000_000);
  const loop = new FakeLoop();
  const telemetry = createTelemetry({ eventLoop: false, logger: null });
  const system = new ActorSystem({ clock, logger: null, ...(withTelemetry ? { instrumentation: telemetry } : {}) });
  const health = new SystemHealth({
    system,
    ...(withTelemetry ? { telemetry } : {}),
    ...rest,
    liveness: { clock: loop, ...rest.liveness },
  });
  open.push(async () => {
    await health.close();
    if (system.status === 'running') {
      const stopping = system.shutdown({ timeoutMs: 0 });
      clock.advance(0);
      await stopping;
    }
  });
  return { clock, loop, telemetry, system, health };
}

/** Closes every harness made since the last call (call it in afterEach). */
export async function closeAll(): Promise<void> {
  const list = open.splice(0);
  for (const close of list) await close();
}

/** Spawns `n` actors of `type` whose handler throws, makes each crash, and waits until all exited. */
export async function panic(system: ActorSystem, n: number, type = 'crasher'): Promise<void> {
  const exits: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const ref = system.spawn<string>(() => {
      throw new Error('boom');
    }, { type });
    exits.push(system.join(ref));
    ref.send('go');
  }
  await Promise.all(exits);
}

/** A worker that does nothing: the child of the supervisors in these tests. */
const worker: GenServerDefinition<null, null, never, never> = { type: 'worker', init: () => GenServer.ok(null) };

/** Starts a one_for_one supervisor with one worker child `w`. */
export async function supervisor(system: ActorSystem, spec: Partial<SupervisorSpec> = {}, name?: string) {
  const sup = await Supervisor.start(
    system,
    { strategy: 'one_for_one', children: [{ id: 'w', start: (s) => GenServer.start(s, worker, null, { link: true }) }], ...spec },
    name === undefined ? {} : { name },
  );
  const child = async (): Promise<Pid> => {
    const c = (await Supervisor.whichChildren(sup)).find((x) => x.id === 'w');
    if (c?.pid == null) throw new Error('child w is not running');
    return c.pid;
  };
  /** Crashes the child and resolves once the supervisor has restarted it. */
  const crashChild = async (): Promise<void> => {
    const pid = await child();
    system.exit(pid, ExitReason.custom('boom'));
    await system.join(pid);
    await child(); // a call is handled after the exit signal it follows: the restart is done
  };
  return { sup, child, crashChild };
}

/** Blocks the event loop for real, synchronously, for `ms` (the behaviour under test, not a wait). */
export function blockEventLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

/** A probe endpoint's JSON body, as the tests read it. */
export interface Body {
  status: string;
  probe: string;
  check?: string;
  issues: { kind: string; check: string; severity: string; message: string; observed: unknown; threshold: unknown; unit: string | null }[];
  checks?: { kind: string; check: string; message: string; line: string }[];
  warnings?: string[];
  error?: string;
  endpoints?: string[];
}

/** Requests a URL and returns the status, headers and parsed JSON body (null if empty). */
export async function request(url: string, method = 'GET'): Promise<{ status: number; headers: Headers; body: Body | null }> {
  const res = await fetch(url, { method });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text.length === 0 ? null : (JSON.parse(text) as Body) };
}
