import {
  type ActorHandle,
  type ActorSystem,
  type ActorType,
  type CallOutcome,
  ExitReason,
  NoopInstrumentation,
  type Pid,
  type SupervisorProbe,
} from '@joerl/core';
import { type ChildSpec, GenServer, type GenServerDefinition, ServerRef, type Call } from '../src/index.js';

export { deferred, type Hostile, hostileValue, quietSystem, spawnProbe, within } from '@joerl/test-utils';

/** One instrumentation event, as the recorder saw it. */
export type Recorded =
  | { readonly hook: 'callStarted'; readonly server: string; readonly caller: string | null }
  | { readonly hook: 'callEnded'; readonly server: string; readonly token: unknown; readonly outcome: CallOutcome }
  | { readonly hook: 'castSent'; readonly server: string }
  | { readonly hook: 'callRefused'; readonly kind: 'call' | 'cast'; readonly server: string | null; readonly caller: string | null }
  | { readonly hook: 'stateMachineStarted'; readonly actor: string; readonly states: readonly string[]; readonly initial: string }
  | { readonly hook: 'stateChanged'; readonly actor: string; readonly from: string; readonly to: string }
  | { readonly hook: 'invalidTransition'; readonly actor: string; readonly state: string; readonly event: string }
  | { readonly hook: 'supervisorStarted'; readonly actor: string; readonly probe: SupervisorProbe }
  | { readonly hook: 'supervisorRestarted'; readonly actor: string; readonly strategy: string; readonly childType: string; readonly durationMs: number }
  | { readonly hook: 'supervisorIntensityExceeded'; readonly actor: string };

/** Records the behaviour hooks (by actor type), and can hand out call tokens. */
export class Recorder extends NoopInstrumentation {
  readonly events: Recorded[] = [];
  /** When set, callStarted returns it, so requests are sent through invoke. */
  token: unknown = undefined;
  readonly invoked: unknown[] = [];

  of<H extends Recorded['hook']>(hook: H): Extract<Recorded, { hook: H }>[] {
    return this.events.filter((e): e is Extract<Recorded, { hook: H }> => e.hook === hook);
  }

  override callStarted(server: ActorHandle, caller: ActorHandle | null): unknown {
    this.events.push({ hook: 'callStarted', server: server.type, caller: caller === null ? null : caller.type });
    return this.token;
  }
  override callEnded(server: ActorHandle, token: unknown, outcome: CallOutcome): void {
    this.events.push({ hook: 'callEnded', server: server.type, token, outcome });
  }
  override callRefused(kind: 'call' | 'cast', serverType: ActorType | null, caller: ActorHandle | null): void {
    this.events.push({ hook: 'callRefused', kind, server: serverType === null ? null : serverType.name, caller: caller === null ? null : caller.type });
  }
  override castSent(server: ActorHandle): void {
    this.events.push({ hook: 'castSent', server: server.type });
  }
  override invoke<A, B, R>(token: unknown, fn: (a: A, b: B) => R, thisArg: unknown, a: A, b: B): R {
    this.invoked.push(token);
    return fn.call(thisArg, a, b);
  }
  override stateMachineStarted(actor: ActorHandle, states: readonly string[], initial: string): void {
    this.events.push({ hook: 'stateMachineStarted', actor: actor.type, states, initial });
  }
  override stateChanged(actor: ActorHandle, from: string, to: string): void {
    this.events.push({ hook: 'stateChanged', actor: actor.type, from, to });
  }
  override invalidTransition(actor: ActorHandle, state: string, event: string): void {
    this.events.push({ hook: 'invalidTransition', actor: actor.type, state, event });
  }
  override supervisorStarted(actor: ActorHandle, probe: SupervisorProbe): void {
    this.events.push({ hook: 'supervisorStarted', actor: actor.type, probe });
  }
  override supervisorRestarted(actor: ActorHandle, strategy: string, childType: string, durationMs: number): void {
    this.events.push({ hook: 'supervisorRestarted', actor: actor.type, strategy, childType, durationMs });
  }
  override supervisorIntensityExceeded(actor: ActorHandle): void {
    this.events.push({ hook: 'supervisorIntensityExceeded', actor: actor.type });
  }
}

/** A counter server: the GenServer most tests need. */
export type CounterCall =
  | Call<{ kind: 'get' }, number>
  | Call<{ kind: 'add'; n: number }, number>
  | Call<{ kind: 'crash' }, never>
  | Call<{ kind: 'never' }, string>;
export type CounterCast = { kind: 'inc' } | { kind: 'crash' };

export const counter: GenServerDefinition<number, number, CounterCall, CounterCast, string> = {
  type: 'counter',
  init: (n) => GenServer.ok(n),
  handleCall(req, _from, n) {
    switch (req.kind) {
      case 'get':
        return GenServer.reply(n, n);
      case 'add':
        return GenServer.reply(n + req.n, n + req.n);
      case 'crash':
        throw new Error('boom');
      case 'never':
        return GenServer.noreply(n);
    }
  },
  handleCast(req, n) {
    if (req.kind === 'crash') throw new Error('boom');
    return GenServer.noreply(n + 1);
  },
};

/**
 * A supervised worker that logs `start:id` and `stop:id` into `log` (terminate runs on a
 * shutdown exit signal), with actor type `type`.
 */
export function loggingWorker(log: string[], id: string, extra: Partial<ChildSpec> = {}, type = 'worker'): ChildSpec {
  const def: GenServerDefinition<null, null, never, never> = {
    type,
    init() {
      log.push(`start:${id}`);
      return GenServer.ok(null);
    },
    terminate() {
      log.push(`stop:${id}`);
    },
  };
  return { id, start: (sup) => GenServer.start(sup, def, null, { link: true }), ...extra };
}

/** Exits `pid` abnormally (as a crash would) and waits until it is gone. */
export async function crash(system: ActorSystem, pid: Pid, reason: ExitReason = ExitReason.custom('boom')): Promise<void> {
  system.exit(pid, reason);
  await system.join(pid);
}

/** Makes `pid` exit by itself with `reason` (normal, shutdown...) and waits until it is gone. */
export async function exitItself(system: ActorSystem, pid: Pid, reason: ExitReason): Promise<void> {
  await ServerRef.of(system, pid).stop(reason);
}

/** Types of every live actor, sorted. */
export function liveTypes(system: ActorSystem): string[] {
  return system
    .actors()
    .map((a) => a.type)
    .sort();
}

/** The pid of a child start that must not have been ignored. */
export function started(pid: Pid | null): Pid {
  if (pid === null) throw new Error('the child start was ignored');
  return pid;
}
