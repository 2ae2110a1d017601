/**
 * GenStatem: a state machine process, as Erlang's `gen_statem` (handle_event_function mode,
 * with state enter calls), with declared states and an optional transition table.
 *
 * @module
 */
import { type ActorSystem, type ExitReason, ExitReason as Exit, InvalidArgumentError, InvalidConfigError, type Pid, type RemoteName } from '@joerl/core';
import { From } from './call-table.js';
import { type ChildSpec, linkedChildSpec } from './child-spec.js';
import { asError, checkExitReason, checkServerName, checkPid, checkStarter, checkStartOptions, checkSystem, isInstance } from './arguments.js';
import type { ServerChildOptions } from './gen-server.js';
import { NamedServerRef, ServerRef } from './server-ref.js';
import { IGNORE, type Ignored, type IgnoreResult, type StartOptions, type Starter, startProcess } from './start.js';
import { StatemProcess } from './statem-process.js';
import type { GenStatemDefinition, StatemAction, StatemEvent, StatemInit, StatemResult } from './statem-types.js';

const POSTPONE: StatemAction<never> = Object.freeze({ kind: 'postpone' });

/**
 * The timeout of a GenStatem call without `timeoutMs`: none, as `gen_statem:call/2`
 * (`infinity`). A GenServer call keeps `gen_server:call/2`'s 5000 ms.
 *
 * @example
 * ```ts
 * await machine.call({ kind: 'read' }); // waits until it replies (or exits)
 * await machine.call({ kind: 'read' }, { timeoutMs: 1000 }); // or at most 1 s
 * ```
 * @since 0.1.1
 */
export const DEFAULT_STATEM_CALL_TIMEOUT_MS = Number.POSITIVE_INFINITY;

/** Checks a timeout action's delay: a non-negative number of milliseconds, or Infinity (which cancels). */
function checkDelay(fn: string, ms: unknown): void {
  if (typeof ms !== 'number' || !(ms >= 0)) throw new InvalidArgumentError(fn, 'ms', ms, 'a non-negative number of milliseconds, or Infinity (cancels the timeout)');
}

/**
 * Starting state machines, and the results and actions their callbacks return.
 *
 * @example
 * ```ts
 * import { ActorSystem } from '@joerl/core';
 * import { type Call, GenStatem, type GenStatemDefinition } from '@joerl/gen';
 *
 * type LightEvent = { kind: 'toggle' } | Call<{ kind: 'read' }, 'on' | 'off'>;
 * const light: GenStatemDefinition<'off' | 'on', number, LightEvent> = {
 *   type: 'light',
 *   states: ['off', 'on'],
 *   transitions: { off: { toggle: 'on', read: [] }, on: { toggle: 'off', read: [] } },
 *   init: () => GenStatem.init('off', 0),
 *   handleEvent(event, state, flips, { from }) {
 *     if (event.kind === 'read') return GenStatem.keepState(flips, [GenStatem.reply(from, state)]);
 *     return GenStatem.nextState(state === 'off' ? 'on' : 'off', flips + 1);
 *   },
 * };
 *
 * const system = new ActorSystem();
 * const ref = await GenStatem.start(system, light, undefined);
 * ref.cast({ kind: 'toggle' });
 * console.log(await ref.call({ kind: 'read' })); // 'on'
 * await system.shutdown();
 * ```
 * @since 0.1.0
 */
export const GenStatem = Object.freeze({
  /**
   * Starts a state machine and resolves with a typed ref once `init` returned `ok` (its
   * initial `onEnter` runs right after). From a `ctx`, the machine is that actor's child (and
   * that actor its parent, as for a GenServer). Calls through the ref wait without a timeout
   * unless given `timeoutMs` (OTP's `infinity`).
   *
   * @throws InvalidArgumentError (synchronously) for a starter that is neither a system nor a
   *   ctx, or options of the wrong type.
   * @throws (rejects) InitFailedError if init threw, rejected or returned `stop`;
   *   InvalidConfigError for a bad definition; NameTakenError for a taken name.
   */
  start: startStatem as {
    <S extends string, D, E extends StatemEvent, A, Info>(
      starter: Starter,
      definition: GenStatemDefinition<S, D, E, A, Info>,
      arg: A,
      options?: StartOptions,
    ): Promise<ServerRef<E, E>>;
    <S extends string, D, E extends StatemEvent, A, Info>(
      starter: Starter,
      definition: GenStatemDefinition<S, D, E, A, Info, true>,
      arg: A,
      options?: StartOptions,
    ): Promise<ServerRef<E, E> | Ignored>;
  },

  /**
   * A typed ref to the state machine registered as `name`, resolved at each call (calls wait
   * without a timeout unless given `timeoutMs`).
   * @throws InvalidArgumentError for a `system` that is not an ActorSystem or an empty or non-string `name`.
   */
  named<E extends StatemEvent>(system: ActorSystem, name: string | RemoteName): NamedServerRef<E, E> {
    checkSystem('GenStatem.named', system);
    const checked = checkServerName('GenStatem.named', name);
    return new NamedServerRef<E, E>(system, checked, DEFAULT_STATEM_CALL_TIMEOUT_MS);
  },

  /**
   * A typed ref to an existing state machine by pid (e.g. a supervised child's pid); calls wait
   * without a timeout unless given `timeoutMs`.
   * @throws InvalidArgumentError for a `system` that is not an ActorSystem or a `pid` that is not a Pid.
   * @example
   * ```ts
   * const door = GenStatem.ref<DoorEvent>(system, pid);
   * ```
   */
  ref<E extends StatemEvent>(system: ActorSystem, pid: Pid): ServerRef<E, E> {
    checkSystem('GenStatem.ref', system);
    checkPid('GenStatem.ref', 'pid', pid);
    return new ServerRef<E, E>(system, pid, DEFAULT_STATEM_CALL_TIMEOUT_MS);
  },

  /** A supervisor child spec that starts this state machine linked to the supervisor. */
  childSpec<S extends string, D, E extends StatemEvent, A, Info, Ignorable extends boolean = false>(
    definition: GenStatemDefinition<S, D, E, A, Info, Ignorable>,
    arg: A,
    options: ServerChildOptions = {},
  ): ChildSpec {
    checkDefinition(definition);
    return linkedChildSpec(definition.type, options, (sup, startOptions) => startStatem(sup, definition, arg, startOptions));
  },

  /** `init` result: start in `state` with `data` (actions: timeouts). */
  init<S extends string, D, E = never>(state: S, data: D, actions?: readonly StatemAction<E>[]): StatemInit<S, D, E> {
    return actions === undefined ? { kind: 'ok', state, data } : { kind: 'ok', state, data, actions };
  },

  /**
   * `init` result of an ignorable definition: do not start, and do not fail either (OTP's
   * `ignore`); the start resolves with `IGNORED`. See {@link IgnoreResult}.
   */
  ignore(): IgnoreResult {
    return IGNORE;
  },

  /** `init` result: do not start; the start rejects with InitFailedError carrying `reason`. */
  stopInit(reason: ExitReason = Exit.normal): StatemInit<never, never, never> {
    checkExitReason('GenStatem.stopInit', reason);
    return { kind: 'stop', reason };
  },

  /** Result: go to `state` (a state change if it differs from the current one). */
  nextState<S extends string, D, E = never>(state: S, data: D, actions?: readonly StatemAction<E>[]): StatemResult<S, D, E> {
    return actions === undefined ? { kind: 'next_state', state, data } : { kind: 'next_state', state, data, actions };
  },

  /** Result: stay in the current state. */
  keepState<D, E = never>(data: D, actions?: readonly StatemAction<E>[]): { readonly kind: 'keep_state'; readonly data: D; readonly actions?: readonly StatemAction<E>[] } {
    return actions === undefined ? { kind: 'keep_state', data } : { kind: 'keep_state', data, actions };
  },

  /** Result: stay, and run `onEnter` again (postponed events are not retried: the state did not change). */
  repeatState<D, E = never>(data: D, actions?: readonly StatemAction<E>[]): StatemResult<never, D, E> {
    return actions === undefined ? { kind: 'repeat_state', data } : { kind: 'repeat_state', data, actions };
  },

  /** Result: run `actions` (replies), then stop with `reason`. */
  stop<D, E = never>(reason: ExitReason, data: D, actions?: readonly StatemAction<E>[]): { readonly kind: 'stop'; readonly reason: ExitReason; readonly data: D; readonly actions?: readonly StatemAction<E>[] } {
    checkExitReason('GenStatem.stop', reason);
    return actions === undefined ? { kind: 'stop', reason, data } : { kind: 'stop', reason, data, actions };
  },

  /** Action: reply `value` to a call (`from` null, as for a cast: nothing happens). */
  reply<R>(from: From<R> | From<unknown> | null, value: R): StatemAction<never> {
    if (from !== null && !isInstance(from, From)) throw new InvalidArgumentError('GenStatem.reply', 'from', from, 'the `from` of a call event, or null');
    return { kind: 'reply', from: from, value };
  },

  /** Action: keep this event and handle it again after the next state change. */
  postpone(): StatemAction<never> {
    return POSTPONE;
  },

  /**
   * Action: deliver `event` after `ms` unless the state changes first (`Infinity` cancels; any
   * finite delay is honoured, 2^31 ms and more included).
   * @throws InvalidArgumentError for a negative, NaN or non-number `ms`.
   */
  stateTimeout<E>(ms: number, event: E): StatemAction<E> {
    checkDelay('GenStatem.stateTimeout', ms);
    return { kind: 'state_timeout', ms, event };
  },

  /**
   * Action: deliver `event` after `ms` unless any event arrives first (`Infinity` cancels).
   * @throws InvalidArgumentError for a negative, NaN or non-number `ms`.
   */
  eventTimeout<E>(ms: number, event: E): StatemAction<E> {
    checkDelay('GenStatem.eventTimeout', ms);
    return { kind: 'event_timeout', ms, event };
  },

  /**
   * Action: deliver `event` after `ms` whatever happens, unless the timeout `name` is set again
   * or cancelled (`Infinity` cancels).
   * @throws InvalidArgumentError for a non-string `name` or a negative, NaN or non-number `ms`.
   */
  timeout<E>(name: string, ms: number, event: E): StatemAction<E> {
    if (typeof name !== 'string') throw new InvalidArgumentError('GenStatem.timeout', 'name', name, 'a string');
    checkDelay('GenStatem.timeout', ms);
    return { kind: 'timeout', name, ms, event };
  },

  /** Action: cancel the state timeout, the event timeout, or (given its name) a generic timeout. */
  cancelTimeout(which: 'state_timeout' | 'event_timeout' | { readonly name: string }): StatemAction<never> {
    return typeof which === 'string' ? { kind: 'cancel_timeout', timeout: which } : { kind: 'cancel_timeout', timeout: 'timeout', name: which.name };
  },
});

/** The untyped start behind {@link GenStatem.start}. */
function startStatem<S extends string, D, E extends StatemEvent, A, Info>(
  starter: Starter,
  definition: GenStatemDefinition<S, D, E, A, Info, boolean>,
  arg: A,
  options?: StartOptions,
): Promise<ServerRef<E, E> | Ignored> {
  checkStarter('GenStatem.start', starter);
  checkStartOptions('GenStatem.start', options);
  try {
    checkDefinition(definition);
  } catch (error) {
    return Promise.reject(asError(error));
  }
  const type = options?.type ?? definition.type;
  return startProcess(starter, new StatemProcess(definition, arg), type, options, (system, pid) => new ServerRef<E, E>(system, pid, DEFAULT_STATEM_CALL_TIMEOUT_MS));
}

function checkDefinition(def: GenStatemDefinition<string, unknown, StatemEvent, unknown, unknown, boolean>): void {
  try {
    checkDefinitionShape(def);
  } catch (error) {
    if (error instanceof InvalidConfigError) throw error;
    // a revoked Proxy or a throwing getter somewhere in the definition
    throw new InvalidConfigError('GenStatem definition', def, 'an object { type, states, init, handleEvent, ... } that can be read');
  }
}

function checkDefinitionShape(def: GenStatemDefinition<string, unknown, StatemEvent, unknown, unknown, boolean>): void {
  if (typeof def !== 'object' || def === null) throw new InvalidConfigError('GenStatem definition', def, 'an object { type, states, init, handleEvent, ... }');
  if (typeof def.type !== 'string') throw new InvalidConfigError('GenStatem type', def.type, 'a string');
  if (typeof (def as { init?: unknown }).init !== 'function') throw new InvalidConfigError(`${def.type} init`, (def as { init?: unknown }).init, 'a function');
  const states = def.states;
  if (!Array.isArray(states) || states.length === 0 || !states.every((s) => typeof s === 'string')) {
    throw new InvalidConfigError(`${def.type} states`, states, "a non-empty array of state labels, e.g. ['idle', 'running'] as const");
  }
  if (new Set(states).size !== states.length) throw new InvalidConfigError(`${def.type} states`, states, 'distinct state labels');
  const handleEvent: unknown = (def as { handleEvent?: unknown }).handleEvent;
  if (typeof handleEvent !== 'function') throw new InvalidConfigError(`${def.type} handleEvent`, handleEvent, 'a function');
  const table = def.transitions;
  if (table === undefined) return;
  for (const [from, row] of Object.entries(table)) {
    if (!states.includes(from)) throw new InvalidConfigError(`${def.type} transitions`, from, `a declared state (${states.join(', ')})`);
    for (const [event, targets] of Object.entries(row ?? {})) {
      const list: readonly unknown[] = typeof targets === 'string' ? [targets] : (targets as readonly unknown[]);
      for (const to of list) {
        if (typeof to !== 'string' || !states.includes(to)) {
          throw new InvalidConfigError(`${def.type} transitions.${from}.${event}`, to, `a declared state (${states.join(', ')})`);
        }
      }
    }
  }
}
