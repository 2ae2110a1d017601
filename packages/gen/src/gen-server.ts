/**
 * GenServer: a process holding state, serving calls (request/reply) and casts (fire and
 * forget), as Erlang's `gen_server`.
 *
 * @module
 */
import {
  type ActorContext,
  type ActorSystem,
  type Behavior,
  ExitReason,
  type HandlerResult,
  InvalidArgumentError,
  InvalidConfigError,
  type Signal,
  type RemoteName,
} from '@joerl/core';
import { type From, reply } from './call-table.js';
import { type ChildSpec, linkedChildSpec, type RestartType, type Shutdown } from './child-spec.js';
import { checkExitReason, checkServerName, checkStarter, checkStartOptions, checkSystem } from './arguments.js';
import { DEFAULT_CALL_TIMEOUT_MS, running } from './client.js';
import { envelopeOf } from './envelope.js';
import { registerMessageFormat, registerStatus } from './format-status.js';
import { BadReturnError } from './errors.js';
import { isParentExit } from './parent.js';
import type { AnyReply } from './protocol.js';
import { NamedServerRef, ServerRef } from './server-ref.js';
import { IGNORE, type Ignored, type IgnoreResult, type StartHook, type StartOptions, type Starter, startProcess } from './start.js';
import { isThenable } from './thenable.js';

/**
 * What `init` returns: `ok` with the initial state, or `stop` (the start then rejects with
 * InitFailedError carrying `reason`). A definition declared ignorable may also return
 * {@link IgnoreResult}.
 * @example
 * ```ts
 * init: (arg) => (arg.url ? GenServer.ok({ url: arg.url }) : GenServer.stopInit(ExitReason.custom('no_url'))),
 * ```
 * @since 0.1.0
 */
export type InitResult<S> = { readonly kind: 'ok'; readonly state: S } | { readonly kind: 'stop'; readonly reason: ExitReason };


/**
 * What `handleCall` returns:
 * - `reply`: reply at once with `reply`;
 * - `noreply`: reply later with {@link reply}`(from, value)` (or never: the caller times out);
 * - `stop`: stop with `reason` (pending callers get CalleeExitedError);
 * - `stop_and_reply`: reply, then stop.
 * @example
 * ```ts
 * handleCall: (req, from, n) => (req.kind === 'get' ? GenServer.reply(n, n) : GenServer.noreply(n)),
 * ```
 * @since 0.1.0
 */
export type CallResult<S, R> =
  | { readonly kind: 'reply'; readonly reply: R; readonly state: S }
  | { readonly kind: 'noreply'; readonly state: S }
  | { readonly kind: 'stop'; readonly reason: ExitReason; readonly state: S }
  | { readonly kind: 'stop_and_reply'; readonly reason: ExitReason; readonly reply: R; readonly state: S };

/**
 * What `handleCast` and `handleInfo` return: `noreply` with the new state, or `stop`.
 * @example
 * ```ts
 * handleCast: (req, n) => (req.kind === 'quit' ? GenServer.stop(ExitReason.normal, n) : GenServer.noreply(n + 1)),
 * ```
 * @since 0.1.0
 */
export type NoReplyResult<S> = { readonly kind: 'noreply'; readonly state: S } | { readonly kind: 'stop'; readonly reason: ExitReason; readonly state: S };

/** A callback's result, or a promise of it (the server handles nothing else until it settles). */
type Async<T> = T | PromiseLike<T>;

/**
 * A GenServer: its type label and callbacks. Every callback may be async.
 *
 * @typeParam S the state.
 * @typeParam A the argument of `init`.
 * @typeParam Req the call requests (declare replies with {@link Call}).
 * @typeParam Cast the cast requests.
 * @typeParam Info the plain messages it expects (exit and down signals also arrive in `handleInfo`).
 * @example
 * ```ts
 * type CounterCall = Call<{ kind: 'get' }, number>;
 * type CounterCast = { kind: 'add'; n: number };
 * const counter: GenServerDefinition<number, number, CounterCall, CounterCast> = {
 *   type: 'counter',
 *   init: (start) => GenServer.ok(start),
 *   handleCall: (_req, _from, n) => GenServer.reply(n, n),
 *   handleCast: (req, n) => GenServer.noreply(n + req.n),
 * };
 * ```
 * @since 0.1.0
 */
export interface GenServerDefinition<S, A = void, Req = never, Cast = never, Info = never, Ignorable extends boolean = false> {
  /** The actor type label: a bounded role name such as `'inventory'` (start options may override it). */
  readonly type: string;
  /**
   * Builds the initial state; `start` resolves once it returned `ok` (or {@link IgnoreResult}
   * when `Ignorable` is `true`).
   */
  init(arg: A, ctx: ActorContext<never>): Async<InitResult<S> | (Ignorable extends true ? IgnoreResult : never)>;
  /** Serves a call; `from` identifies the caller for a deferred {@link reply}. */
  handleCall?(request: Req, from: From<AnyReply<Req>>, state: S, ctx: ActorContext<never>): Async<CallResult<S, AnyReply<Req>>>;
  /** Handles a cast. */
  handleCast?(request: Cast, state: S, ctx: ActorContext<never>): Async<NoReplyResult<S>>;
  /**
   * Handles a plain message, or an `exit` signal (when trapping exits; an exit from the parent
   * stops the server instead, as in OTP: the parent is the actor whose ctx started it, and a
   * server started from the system has none) or a `down` signal (from a monitor). Without it,
   * such messages are dropped.
   */
  handleInfo?(message: Info | Signal, state: S, ctx: ActorContext<never>): Async<NoReplyResult<S>>;
  /**
   * Runs when the server exits (not when killed, nor when init failed). If it throws or
   * rejects, that error replaces the exit reason (links, monitors and supervisors see it), as
   * in OTP.
   */
  terminate?(reason: ExitReason, state: S, ctx: ActorContext<never>): void | PromiseLike<void>;
  /**
   * What observers (such as `@joerl/observer`, through {@link formatStatus}) may show of the
   * state, OTP's `format_status`: return only what is safe to show. Called on demand, outside
   * any handler, with the state of the last completed callback. Without it, nothing of the
   * state is ever shown.
   */
  formatStatus?(state: S): unknown;
  /**
   * What observers (such as `@joerl/observer`'s message trace, through {@link formatMessage})
   * may show of a message this server receives — a call's or cast's request, or an info
   * message — OTP's `format_status` for its `message` key: return only what is safe to show.
   * Without it, a trace shows nothing of a message but its tag.
   */
  formatMessage?(message: Req | Cast | Info): unknown;
}

/** @internal the reply of a `stop_and_reply`, sent once terminate has returned. */
class StopReply {
  readonly from: From<unknown>;
  readonly value: unknown;
  constructor(from: From<unknown>, value: unknown) {
    this.from = from;
    this.value = value;
  }
}

/** @internal the core behaviour running one GenServer. */
export class GenServerProcess<S, A, Req, Cast, Info> implements Behavior<unknown>, StartHook {
  readonly def: GenServerDefinition<S, A, Req, Cast, Info, boolean>;
  readonly arg: A;
  state: S | undefined = undefined;
  initialized = false;
  onStarted: ((started: boolean) => void) | null = null;
  private stopReply: StopReply | null = null;

  constructor(def: GenServerDefinition<S, A, Req, Cast, Info, boolean>, arg: A) {
    this.def = def;
    this.arg = arg;
  }

  init(ctx: ActorContext<unknown>): HandlerResult {
    running.self = ctx.self;
    try {
      const result = this.def.init(this.arg, ctx);
      if (isThenable(result)) return result.then((r) => this.initDone(r, ctx));
      this.initDone(result, ctx);
    } finally {
      running.self = null;
    }
  }

  private initDone(result: InitResult<S> | IgnoreResult, ctx: ActorContext<unknown>): void {
    switch (result?.kind) {
      case 'ok':
        this.state = result.state;
        this.initialized = true;
        if (typeof this.def.formatStatus === 'function') registerStatus(ctx.system, ctx.self, () => this.def.formatStatus?.(this.state as S));
        if (typeof this.def.formatMessage === 'function') registerMessageFormat(ctx.system, ctx.self, (m) => this.def.formatMessage?.(m as Req | Cast | Info));
        this.onStarted?.(true);
        return;
      case 'stop':
        ctx.stop(result.reason);
        return;
      case 'ignore':
        // OTP: the starter gets `ignore`, and the process exits normal without terminate.
        this.onStarted?.(false);
        ctx.stop(ExitReason.normal);
        return;
      default:
        throw new BadReturnError(`${this.def.type} init`, result, "GenServer.ok(state), GenServer.stopInit(reason) or GenServer.ignore()");
    }
  }

  // hot: every message to a GenServer
  receive(message: unknown, ctx: ActorContext<unknown>): HandlerResult {
    // Which server runs a callback now, so that a call to itself fails at once (calling_self).
    running.self = ctx.self;
    try {
      return this.dispatch(message, ctx);
    } finally {
      running.self = null;
    }
  }

  private dispatch(message: unknown, ctx: ActorContext<unknown>): HandlerResult {
    const envelope = envelopeOf(message);
    if (envelope === undefined) return this.info(message as Info, ctx);
    switch (envelope['@joerl']) {
      case 'call': {
        if (this.def.handleCall === undefined) throw new InvalidConfigError(`${this.def.type} handleCall`, undefined, 'a handleCall callback: the server received a call');
        const from = envelope.from as From<AnyReply<Req>>;
        const result = this.def.handleCall(envelope.request as Req, from, this.state as S, ctx);
        if (isThenable(result)) return result.then((r) => this.afterCall(r, from, ctx));
        this.afterCall(result, from, ctx);
        return;
      }
      case 'cast': {
        if (this.def.handleCast === undefined) throw new InvalidConfigError(`${this.def.type} handleCast`, undefined, 'a handleCast callback: the server received a cast');
        const result = this.def.handleCast(envelope.request as Cast, this.state as S, ctx);
        if (isThenable(result)) return result.then((r) => this.afterNoReply(r, 'handleCast', ctx));
        this.afterNoReply(result, 'handleCast', ctx);
        return;
      }
      case 'stop':
        ctx.stop(envelope.reason);
        return;
      default:
        return this.info(message as Info, ctx);
    }
  }

  handleSignal(signal: Signal, ctx: ActorContext<unknown>): HandlerResult {
    // OTP: a server trapping exits stops with its parent's reason when its parent tells it to.
    if (isParentExit(signal, ctx)) {
      ctx.stop(signal.reason);
      return;
    }
    running.self = ctx.self;
    try {
      return this.info(signal, ctx);
    } finally {
      running.self = null;
    }
  }

  terminate(reason: ExitReason, ctx: ActorContext<unknown>): HandlerResult {
    const stopReply = this.stopReply;
    if (stopReply === null) {
      if (!this.initialized || this.def.terminate === undefined) return;
      return this.def.terminate(reason, this.state as S, ctx);
    }
    // gen_server: the reply of a stop_and_reply is sent after terminate returned (or crashed).
    this.stopReply = null;
    if (this.def.terminate === undefined) {
      reply(stopReply.from, stopReply.value);
      return;
    }
    let result: void | PromiseLike<void>;
    try {
      result = this.def.terminate(reason, this.state as S, ctx);
      if (isThenable(result)) {
        return result.then(
          () => void reply(stopReply.from, stopReply.value),
          (error: unknown) => {
            reply(stopReply.from, stopReply.value);
            throw error;
          },
        );
      }
    } catch (error) {
      reply(stopReply.from, stopReply.value);
      throw error;
    }
    reply(stopReply.from, stopReply.value);
  }

  private info(message: Info | Signal, ctx: ActorContext<unknown>): HandlerResult {
    if (this.def.handleInfo === undefined) return;
    const result = this.def.handleInfo(message, this.state as S, ctx);
    if (isThenable(result)) return result.then((r) => this.afterNoReply(r, 'handleInfo', ctx));
    this.afterNoReply(result, 'handleInfo', ctx);
  }

  private afterCall(result: CallResult<S, AnyReply<Req>>, from: From<AnyReply<Req>>, ctx: ActorContext<unknown>): void {
    switch (result?.kind) {
      case 'reply':
        this.state = result.state;
        reply(from, result.reply);
        return;
      case 'noreply':
        this.state = result.state;
        return;
      case 'stop':
        this.state = result.state;
        ctx.stop(result.reason);
        return;
      case 'stop_and_reply':
        this.state = result.state;
        this.stopReply = new StopReply(from as From<unknown>, result.reply);
        ctx.stop(result.reason);
        return;
      default:
        throw new BadReturnError(`${this.def.type} handleCall`, result, 'GenServer.reply / noreply / stop / stopAndReply');
    }
  }

  private afterNoReply(result: NoReplyResult<S>, callback: string, ctx: ActorContext<unknown>): void {
    switch (result?.kind) {
      case 'noreply':
        this.state = result.state;
        return;
      case 'stop':
        this.state = result.state;
        ctx.stop(result.reason);
        return;
      default:
        throw new BadReturnError(`${this.def.type} ${callback}`, result, 'GenServer.noreply(state) or GenServer.stop(reason, state)');
    }
  }
}

/**
 * Options of {@link GenServer.childSpec}.
 * @example
 * ```ts
 * GenServer.childSpec(cache, {}, { id: 'cache', name: 'cache', restart: 'permanent', shutdown: 2000 });
 * ```
 * @since 0.1.0
 */
export interface ServerChildOptions {
  /** The child id (default: the definition's `type`). */
  readonly id?: string;
  readonly restart?: RestartType;
  readonly shutdown?: Shutdown;
  /** Register each incarnation under this name (reach it across restarts with `GenServer.named`). */
  readonly name?: string;
  /** The actor type label (default: the definition's `type`). */
  readonly type?: string;
}

/**
 * Starting GenServers, the results their callbacks return, and refs by name.
 *
 * @example
 * ```ts
 * import { ActorSystem } from '@joerl/core';
 * import { type Call, GenServer, type GenServerDefinition } from '@joerl/gen';
 *
 * type StackCall = Call<{ kind: 'pop' }, number | undefined>;
 * type StackCast = { kind: 'push'; n: number };
 * const stack: GenServerDefinition<number[], number[], StackCall, StackCast> = {
 *   type: 'stack',
 *   init: (items) => GenServer.ok(items),
 *   handleCall: (_req, _from, [top, ...rest]) => GenServer.reply(top, rest),
 *   handleCast: (req, items) => GenServer.noreply([req.n, ...items]),
 * };
 *
 * const system = new ActorSystem();
 * const ref = await GenServer.start(system, stack, [1]);
 * ref.cast({ kind: 'push', n: 2 });
 * console.log(await ref.call({ kind: 'pop' })); // 2
 * await system.shutdown();
 * ```
 * @since 0.1.0
 */
export const GenServer = Object.freeze({
  /**
   * Starts a GenServer and resolves with a typed ref once its `init` returned `ok` (with
   * `IGNORED`, whose `pid` is null, if an ignorable definition's init returned `ignore`).
   * From a `ctx`, the server is that actor's child (pass `{ link: true }` to link it), and that
   * actor is its parent: an exit signal from it stops the server even when it traps exits.
   *
   * @throws InvalidArgumentError (synchronously) for a starter that is neither a system nor a
   *   ctx, a definition without `type` and `init`, or options of the wrong type.
   * @throws (rejects) InitFailedError if init threw, rejected or returned `stop`;
   *   NameTakenError if `options.name` is taken; InvalidConfigError for bad options.
   */
  start: startServer as {
    <S, A, Req, Cast, Info>(starter: Starter, definition: GenServerDefinition<S, A, Req, Cast, Info>, arg: A, options?: StartOptions): Promise<ServerRef<Req, Cast>>;
    <S, A, Req, Cast, Info>(
      starter: Starter,
      definition: GenServerDefinition<S, A, Req, Cast, Info, true>,
      arg: A,
      options?: StartOptions,
    ): Promise<ServerRef<Req, Cast> | Ignored>;
  },

  /**
   * A typed ref to the GenServer registered as `name`, resolved at each call: a name on this
   * node, or `{ name, node }` for a name on another node of the cluster (Erlang's
   * `{Name, Node}`; calls to it reject with NoProcError when nobody holds the name there,
   * CallTimeoutError, and CalleeExitedError with reason `noconnection` at once when that node is down).
   * @throws InvalidArgumentError for a `system` that is not an ActorSystem, or a `name` that is
   *   neither a non-empty string nor `{ name, node }` of non-empty strings.
   * @example
   * ```ts
   * const stock = GenServer.named<StockCall, StockCast>(system, { name: 'inventory', node: 'stock-1' });
   * await stock.call({ kind: 'reserve', sku: 'A1', qty: 2 });
   * ```
   */
  named<Req = unknown, Cast = never>(system: ActorSystem, name: string | RemoteName): NamedServerRef<Req, Cast> {
    checkSystem('GenServer.named', system);
    const checked = checkServerName('GenServer.named', name);
    return new NamedServerRef<Req, Cast>(system, checked, DEFAULT_CALL_TIMEOUT_MS);
  },

  /**
   * A supervisor child spec that starts this GenServer linked to the supervisor.
   *
   * @example
   * ```ts
   * Supervisor.start(system, { strategy: 'one_for_one', children: [GenServer.childSpec(counter, 0, { name: 'counter' })] });
   * ```
   */
  childSpec<S, A, Req, Cast, Info, Ignorable extends boolean = false>(
    definition: GenServerDefinition<S, A, Req, Cast, Info, Ignorable>,
    arg: A,
    options: ServerChildOptions = {},
  ): ChildSpec {
    checkDefinition('GenServer.childSpec', definition);
    return linkedChildSpec(definition.type, options, (sup, startOptions) => startServer(sup, definition, arg, startOptions));
  },

  /** `init` result: start with `state`. */
  ok<S>(state: S): InitResult<S> {
    return { kind: 'ok', state };
  },

  /**
   * `init` result: do not start; the start rejects with InitFailedError carrying `reason`.
   * @throws InvalidArgumentError if `reason` is not an ExitReason.
   */
  stopInit(reason: ExitReason = ExitReason.normal): InitResult<never> {
    checkExitReason('GenServer.stopInit', reason);
    return { kind: 'stop', reason };
  },

  /**
   * `init` result of an ignorable definition: do not start, and do not fail either (OTP's
   * `ignore`); the start resolves with `IGNORED`. See {@link IgnoreResult}.
   */
  ignore(): IgnoreResult {
    return IGNORE;
  },

  /** `handleCall` result: reply `value` now and continue with `state`. */
  reply<R, S>(value: R, state: S): CallResult<S, R> {
    return { kind: 'reply', reply: value, state };
  },

  /** Result: continue with `state` without replying (a call is then answered later with {@link reply}). */
  noreply<S>(state: S): { readonly kind: 'noreply'; readonly state: S } {
    return { kind: 'noreply', state };
  },

  /**
   * Result: stop with `reason` (terminate runs with `state`).
   * @throws InvalidArgumentError if `reason` is not an ExitReason.
   */
  stop<S>(reason: ExitReason, state: S): { readonly kind: 'stop'; readonly reason: ExitReason; readonly state: S } {
    checkExitReason('GenServer.stop', reason);
    return { kind: 'stop', reason, state };
  },

  /**
   * `handleCall` result: stop with `reason` and reply `value` once terminate has returned.
   * @throws InvalidArgumentError if `reason` is not an ExitReason.
   */
  stopAndReply<R, S>(reason: ExitReason, value: R, state: S): CallResult<S, R> {
    checkExitReason('GenServer.stopAndReply', reason);
    return { kind: 'stop_and_reply', reason, reply: value, state };
  },
});

/** The untyped start behind {@link GenServer.start}. */
function startServer<S, A, Req, Cast, Info>(
  starter: Starter,
  definition: GenServerDefinition<S, A, Req, Cast, Info, boolean>,
  arg: A,
  options?: StartOptions,
): Promise<ServerRef<Req, Cast> | Ignored> {
  checkStarter('GenServer.start', starter);
  checkDefinition('GenServer.start', definition);
  checkStartOptions('GenServer.start', options);
  const type = options?.type ?? definition.type;
  return startProcess(starter, new GenServerProcess(definition, arg), type, options, (system, pid) => new ServerRef<Req, Cast>(system, pid, DEFAULT_CALL_TIMEOUT_MS));
}

function checkDefinition(fn: string, definition: unknown): void {
  let ok: boolean;
  try {
    ok = typeof definition === 'object' && definition !== null && typeof (definition as { type?: unknown }).type === 'string' && typeof (definition as { init?: unknown }).init === 'function';
  } catch {
    ok = false; // a revoked Proxy, a throwing getter
  }
  if (!ok) throw new InvalidArgumentError(fn, 'definition', definition, 'a GenServerDefinition { type, init, handleCall?, handleCast?, handleInfo?, terminate? }');
}
