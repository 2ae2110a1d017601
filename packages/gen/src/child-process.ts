/**
 * Starting and stopping one supervised child, as OTP's supervisor does.
 *
 * @module
 */
import { type ActorContext, type ExitReason, Pid, type TimerHandle } from '@joerl/core';
import type { ResolvedChildSpec, Shutdown } from './child-spec.js';
import { ChildStartError } from './errors.js';

/** @internal A started child: its pid and its own actor type label. */
export interface StartedProcess {
  readonly pid: Pid;
  readonly actorType: string;
}

/**
 * @internal Starts a child from the supervisor and links the supervisor to it (a no-op if the
 * start linked already; if the child died meanwhile, the trapping supervisor receives its exit
 * as `noproc` and handles it as any child exit). Resolves with null if the start was ignored.
 * @throws ChildStartError, whatever the start threw, rejected with or returned
 */
export async function startChildProcess(sup: ActorContext<never>, spec: ResolvedChildSpec): Promise<StartedProcess | null> {
  let pid: unknown;
  try {
    const started: unknown = await spec.start(sup);
    pid = typeof started === 'object' && started !== null ? (started as { pid?: unknown }).pid : undefined;
  } catch (error) {
    throw new ChildStartError(spec.id, error);
  }
  if (pid === null) return null; // IGNORED: OTP's ignore
  if (!(pid instanceof Pid)) throw new ChildStartError(spec.id, new TypeError('start returned no { pid }: return the ref that GenServer.start / ctx.spawn gives'));
  const actorType = sup.system.handle(pid)?.type ?? spec.type;
  sup.link(pid);
  return { pid, actorType };
}

/**
 * @internal Stops a child as its `shutdown` says: `exit(pid, shutdown)` then `kill` after `ms`
 * (any delay, by the system clock, which honours 2^31 ms and more);
 * `brutal_kill` at once; `infinity` waits. Resolves with its exit reason. The supervisor stays
 * linked (so it is never orphaned, even if the supervisor is killed meanwhile); the exit signal
 * that link delivers later names a pid that is no longer a child and is ignored.
 */
export function shutdownChild(sup: ActorContext<never>, pid: Pid, shutdown: Shutdown): Promise<ExitReason> {
  const system = sup.system;
  return new Promise<ExitReason>((resolve) => {
    let timer: TimerHandle = undefined;
    system.monitor(pid, (down) => {
      if (timer !== undefined) system.clock.clearTimeout(timer);
      resolve(down.reason);
    });
    if (shutdown === 'brutal_kill') {
      sup.exit(pid, 'kill');
      return;
    }
    sup.exit(pid, 'shutdown');
    if (typeof shutdown === 'number') {
      timer = system.clock.setTimeout(
        (p: Pid) => {
          timer = undefined;
          sup.exit(p, 'kill');
        },
        shutdown,
        pid,
      );
    }
  });
}
