/**
 * The shapes of a GenStatem: events, actions, callback results, and its definition.
 *
 * @module
 */
import type { ActorContext, ExitReason, Signal } from '@joerl/core';
import type { From } from './call-table.js';
import type { IgnoreResult } from './start.js';

/**
 * What every GenStatem event is: an object discriminated on `kind`. The `kind` is the event's
 * name in transition tables and invalid-transition reports (a closed set, by its type).
 * @example
 * ```ts
 * type DoorEvent = { kind: 'open' } | { kind: 'close' } | Call<{ kind: 'state' }, string>;
 * ```
 * @since 0.1.0
 */
export interface StatemEvent {
  readonly kind: string;
}

/**
 * Where the event being handled came from.
 * @example
 * ```ts
 * if (meta.origin === 'state_timeout') console.log('nothing happened in time');
 * ```
 * @since 0.1.0
 */
export type EventOrigin = 'call' | 'cast' | 'state_timeout' | 'event_timeout' | 'timeout';

/**
 * What `handleEvent` learns besides the event. The same object is reused for every event:
 * read it during the callback (copy `from` to reply later).
 * @example
 * ```ts
 * handleEvent(event, state, data, { from }) { return GenStatem.keepState(data, [GenStatem.reply(from, state)]); }
 * ```
 * @since 0.1.0
 */
export interface EventMeta {
  /** How the event arrived. */
  readonly origin: EventOrigin;
  /** The caller, for a `call` (reply with `GenStatem.reply(from, value)`); null otherwise. */
  readonly from: From<unknown> | null;
  /** The generic timeout's name, for origin `timeout`; null otherwise. */
  readonly timeoutName: string | null;
  /** The state machine's actor context. */
  readonly ctx: ActorContext<never>;
}

/**
 * An action a GenStatem callback returns with its result, as gen_statem's transition actions:
 * - `reply`: answer a call (`from` null: no-op, so one clause can serve calls and casts);
 * - `postpone`: keep this event and retry it after the next state change (not from `onEnter`);
 * - `state_timeout`: deliver `event` after `ms` unless the state changes first (one per machine;
 *   setting it again restarts it; `Infinity` cancels it);
 * - `event_timeout`: deliver `event` after `ms` unless any event arrives first;
 * - `timeout`: a named generic timeout: delivered after `ms` whatever happens, unless set again
 *   or cancelled;
 * - `cancel_timeout`: cancel a timeout (`name` for a generic one).
 * @example
 * ```ts
 * GenStatem.nextState('open', data, [GenStatem.reply(from, 'ok'), GenStatem.stateTimeout(30_000, { kind: 'close' })]);
 * ```
 * @since 0.1.0
 */
export type StatemAction<E> =
  | { readonly kind: 'reply'; readonly from: From<unknown> | null; readonly value: unknown }
  | { readonly kind: 'postpone' }
  | { readonly kind: 'state_timeout'; readonly ms: number; readonly event: E }
  | { readonly kind: 'event_timeout'; readonly ms: number; readonly event: E }
  | { readonly kind: 'timeout'; readonly name: string; readonly ms: number; readonly event: E }
  | { readonly kind: 'cancel_timeout'; readonly timeout: 'state_timeout' | 'event_timeout' | 'timeout'; readonly name?: string };

/**
 * What `handleEvent` (and `handleInfo`) return:
 * - `next_state`: go to `state` (a change when it differs: the state timeout is cancelled,
 *   postponed events are retried, `onEnter` runs);
 * - `keep_state`: stay;
 * - `repeat_state`: stay, but run `onEnter` again;
 * - `stop`: run the actions (replies), then stop with `reason`.
 * @example
 * ```ts
 * return state === 'idle' ? GenStatem.nextState('running', data) : GenStatem.keepState(data, [GenStatem.postpone()]);
 * ```
 * @since 0.1.0
 */
export type StatemResult<S extends string, D, E> =
  | { readonly kind: 'next_state'; readonly state: S; readonly data: D; readonly actions?: readonly StatemAction<E>[] }
  | { readonly kind: 'keep_state'; readonly data: D; readonly actions?: readonly StatemAction<E>[] }
  | { readonly kind: 'repeat_state'; readonly data: D; readonly actions?: readonly StatemAction<E>[] }
  | { readonly kind: 'stop'; readonly reason: ExitReason; readonly data: D; readonly actions?: readonly StatemAction<E>[] };

/**
 * What `onEnter` returns: nothing (keep the data), `keep_state` with new data and actions
 * (timeouts, replies; not `postpone`), or `stop`.
 * @example
 * ```ts
 * onEnter(from, to, data) { if (to === 'open') return GenStatem.keepState(data, [GenStatem.stateTimeout(5000, { kind: 'close' })]); }
 * ```
 * @since 0.1.0
 */
export type EnterResult<D, E> =
  | void
  | { readonly kind: 'keep_state'; readonly data: D; readonly actions?: readonly StatemAction<E>[] }
  | { readonly kind: 'stop'; readonly reason: ExitReason; readonly data: D; readonly actions?: readonly StatemAction<E>[] };

/**
 * What `init` returns: the initial state and data (and actions: timeouts), or `stop`.
 * @example
 * ```ts
 * init: (code) => GenStatem.init('locked', { code }, [GenStatem.timeout('audit', 60_000, { kind: 'audit' })]),
 * ```
 * @since 0.1.0
 */
export type StatemInit<S extends string, D, E> =
  | { readonly kind: 'ok'; readonly state: S; readonly data: D; readonly actions?: readonly StatemAction<E>[] }
  | { readonly kind: 'stop'; readonly reason: ExitReason };

/**
 * A declared transition table: for each state, the events it accepts and the state(s) each may
 * lead to (`[]`: accepted, no state change). An event missing from its state's entry is an
 * invalid transition.
 *
 * @example
 * ```ts
 * const transitions: TransitionTable<'closed' | 'open' | 'locked', DoorEvent> = {
 *   closed: { open: 'open', lock: 'locked' },
 *   open: { close: 'closed' },
 *   locked: { unlock: 'closed' },
 * };
 * ```
 * @since 0.1.0
 */
export type TransitionTable<S extends string, E extends StatemEvent> = {
  readonly [K in S]?: { readonly [N in E['kind']]?: S | readonly S[] };
};

type Async<T> = T | PromiseLike<T>;

/**
 * A GenStatem: declared states, optional transition table, and callbacks (each may be async).
 *
 * @typeParam S the state labels (declared in `states`).
 * @typeParam D the data.
 * @typeParam E the events (calls and casts; declare call replies with {@link Call}).
 * @typeParam A the argument of `init`.
 * @typeParam Info plain messages for `handleInfo`.
 * @example
 * ```ts
 * type Ev = { kind: 'push' } | Call<{ kind: 'state' }, string>;
 * const turnstile: GenStatemDefinition<'locked' | 'open', number, Ev> = {
 *   type: 'turnstile',
 *   states: ['locked', 'open'],
 *   init: () => GenStatem.init('locked', 0),
 *   handleEvent(ev, state, n, { from }) {
 *     if (ev.kind === 'state') return GenStatem.keepState(n, [GenStatem.reply(from, state)]);
 *     return state === 'locked' ? GenStatem.nextState('open', n + 1, [GenStatem.stateTimeout(5000, { kind: 'push' })]) : GenStatem.nextState('locked', n);
 *   },
 * };
 * ```
 * @since 0.1.0
 */
export interface GenStatemDefinition<S extends string, D, E extends StatemEvent = never, A = void, Info = never, Ignorable extends boolean = false> {
  /** The actor type label (a bounded role name). */
  readonly type: string;
  /** Every state the machine can be in: the only values a state label takes. */
  readonly states: readonly S[];
  /** If given, events not listed for the current state are invalid transitions. */
  readonly transitions?: TransitionTable<S, E>;
  /**
   * The initial state and data (or, when `Ignorable` is `true`, `GenStatem.ignore()`: OTP's
   * `ignore`, see {@link IgnoreResult}).
   */
  init(arg: A, ctx: ActorContext<never>): Async<StatemInit<S, D, E> | (Ignorable extends true ? IgnoreResult : never)>;
  /** Handles an event (a call, a cast, or a timeout's event) in `state`. */
  handleEvent(event: E, state: S, data: D, meta: EventMeta): Async<StatemResult<S, D, E>>;
  /** Runs on entering a state (`from === to` for the initial state and for `repeat_state`). */
  onEnter?(from: S, to: S, data: D, ctx: ActorContext<never>): Async<EnterResult<D, E>>;
  /** Handles a plain message, or an exit / down signal; without it they are dropped. */
  handleInfo?(message: Info | Signal, state: S, data: D, ctx: ActorContext<never>): Async<StatemResult<S, D, E>>;
  /** Runs when the machine exits (not when killed, nor when init failed). */
  terminate?(reason: ExitReason, state: S, data: D, ctx: ActorContext<never>): void | PromiseLike<void>;
  /**
   * What observers (such as `@joerl/observer`, through `formatStatus`) may show of the data,
   * OTP's `format_status`: return only what is safe to show. Called on demand, outside any
   * callback. Without it, nothing of the data is ever shown (the state label always is).
   */
  formatStatus?(state: S, data: D): unknown;
  /**
   * What observers (such as `@joerl/observer`'s message trace, through `formatMessage`) may
   * show of an event or info message this machine receives, OTP's `format_status` for its
   * `message` key: return only what is safe to show. Without it, a trace shows only the tag.
   */
  formatMessage?(message: E | Info): unknown;
}
