/**
 * The core behaviour that runs one GenStatem: event dispatch, transition checks, postponing,
 * state enter calls and the three kinds of timeouts, with gen_statem's cancellation rules.
 *
 * @module
 */
import {
  type ActorContext,
  type Behavior,
  type ExitReason,
  type HandlerResult,
  type Instrumentation,
  type Signal,
  type TimerRef,
} from '@joerl/core';
import { type From, reply } from './call-table.js';
import { running } from './client.js';
import { envelopeOf, TimeoutEnvelope, type TimeoutSlot } from './envelope.js';
import { BadReturnError, InvalidTransitionError } from './errors.js';
import { handleOf } from './handle.js';
import { isParentExit } from './parent.js';
import type { IgnoreResult, StartHook } from './start.js';
import type {
  EnterResult,
  EventMeta,
  EventOrigin,
  GenStatemDefinition,
  StatemAction,
  StatemEvent,
  StatemInit,
  StatemResult,
} from './statem-types.js';
import { registerMessageFormat, registerStatus } from './format-status.js';
import { isThenable } from './thenable.js';

/** Where an event being handled came from, `info` included (plain messages and signals). */
type Origin = EventOrigin | 'info';

/** An event kept by `postpone`, retried after the next state change. */
class Postponed {
  readonly event: unknown;
  readonly origin: Origin;
  readonly from: From<unknown> | null;
  readonly timeoutName: string | null;
  constructor(event: unknown, origin: Origin, from: From<unknown> | null, timeoutName: string | null) {
    this.event = event;
    this.origin = origin;
    this.from = from;
    this.timeoutName = timeoutName;
  }
}

/** A timeout that is set: the envelope it will deliver and its timer. */
class ArmedTimeout {
  readonly envelope: TimeoutEnvelope;
  readonly timer: TimerRef;
  constructor(envelope: TimeoutEnvelope, timer: TimerRef) {
    this.envelope = envelope;
    this.timer = timer;
  }
}

/** The reused meta object handed to handleEvent. */
class Meta implements EventMeta {
  origin: EventOrigin = 'cast';
  from: From<unknown> | null = null;
  timeoutName: string | null = null;
  ctx: ActorContext<never>;
  constructor(ctx: ActorContext<never>) {
    this.ctx = ctx;
  }
}

/** @internal */
export class StatemProcess<S extends string, D, E extends StatemEvent, A, Info> implements Behavior<unknown>, StartHook {
  readonly def: GenStatemDefinition<S, D, E, A, Info, boolean>;
  readonly arg: A;
  onStarted: ((started: boolean) => void) | null = null;
  state!: S;
  data!: D;
  initialized = false;
  /** Set once the machine asked to stop: no further event is handled. */
  stopping = false;
  private meta: Meta | null = null;
  private ins: Instrumentation | null = null;
  private postponed: Postponed[] | null = null;
  /** Postponed events re-queued by a state change: handled before the next mailbox message. */
  private replay: Postponed[] | null = null;
  private stateTimeout: ArmedTimeout | null = null;
  private eventTimeout: ArmedTimeout | null = null;
  private timeouts: Map<string, ArmedTimeout> | null = null;
  private curEvent: unknown = undefined;
  private curOrigin: Origin = 'cast';
  private curFrom: From<unknown> | null = null;
  private curTimeoutName: string | null = null;

  constructor(def: GenStatemDefinition<S, D, E, A, Info, boolean>, arg: A) {
    this.def = def;
    this.arg = arg;
  }

  init(ctx: ActorContext<unknown>): HandlerResult {
    this.meta = new Meta(ctx);
    this.ins = ctx.system.instrumentation;
    const result = this.def.init(this.arg, ctx);
    if (isThenable(result)) return result.then((r) => this.initDone(r, ctx));
    return this.initDone(result, ctx);
  }

  private initDone(result: StatemInit<S, D, E> | IgnoreResult, ctx: ActorContext<unknown>): HandlerResult {
    switch (result?.kind) {
      case 'ok': {
        this.checkState(result.state, 'init');
        this.state = result.state;
        this.data = result.data;
        if (typeof this.def.formatStatus === 'function') registerStatus(ctx.system, ctx.self, () => this.def.formatStatus?.(this.state, this.data));
        if (typeof this.def.formatMessage === 'function') registerMessageFormat(ctx.system, ctx.self, (m) => this.def.formatMessage?.(m as never));
        this.initialized = true;
        if (this.ins !== null) this.ins.stateMachineStarted(handleOf(ctx), this.def.states, result.state);
        this.runActions(result.actions, false, ctx, 'init');
        this.onStarted?.(true);
        // gen_statem calls the state enter callback for the initial state too, with from === to.
        return this.enter(result.state, result.state, ctx);
      }
      case 'stop':
        this.stop(result.reason, ctx);
        return;
      case 'ignore':
        // OTP: the starter gets `ignore`, and the process exits normal without terminate.
        this.onStarted?.(false);
        this.stop({ kind: 'normal' }, ctx);
        return;
      default:
        throw new BadReturnError(`${this.def.type} init`, result, 'GenStatem.init(state, data), GenStatem.stopInit(reason) or GenStatem.ignore()');
    }
  }

  // hot: every message to a state machine
  receive(message: unknown, ctx: ActorContext<unknown>): HandlerResult {
    if (this.stopping) return;
    // Which server runs a callback now, so that a call to itself fails at once (calling_self).
    running.self = ctx.self;
    try {
      return this.dispatchMessage(message, ctx);
    } finally {
      running.self = null;
    }
  }

  private dispatchMessage(message: unknown, ctx: ActorContext<unknown>): HandlerResult {
    const envelope = envelopeOf(message);
    if (envelope === undefined) return this.dispatch(message, 'info', null, null, ctx);
    switch (envelope['@joerl']) {
      case 'call':
        return this.dispatch(envelope.request, 'call', envelope.from, null, ctx);
      case 'cast':
        return this.dispatch(envelope.request, 'cast', null, null, ctx);
      case 'stop':
        this.stop(envelope.reason, ctx);
        return;
      case 'timeout': {
        // A timeout cancelled after it fired left its envelope in the mailbox: drop it.
        if (!this.takeTimeout(envelope)) return;
        return this.dispatch(envelope.event, envelope.slot, null, envelope.slot === 'timeout' ? envelope.name : null, ctx);
      }
      default:
        return this.dispatch(message, 'info', null, null, ctx);
    }
  }

  handleSignal(signal: Signal, ctx: ActorContext<unknown>): HandlerResult {
    if (isParentExit(signal, ctx)) {
      this.stop(signal.reason, ctx);
      return;
    }
    if (this.stopping) return;
    return this.dispatch(signal, 'info', null, null, ctx);
  }

  terminate(reason: ExitReason, ctx: ActorContext<unknown>): HandlerResult {
    if (!this.initialized || this.def.terminate === undefined) return;
    return this.def.terminate(reason, this.state, this.data, ctx);
  }

  /** Handles one event, then any postponed events a state change re-queued. */
  private dispatch(event: unknown, origin: Origin, from: From<unknown> | null, timeoutName: string | null, ctx: ActorContext<unknown>): HandlerResult {
    const done = this.handle(event, origin, from, timeoutName, ctx);
    if (isThenable(done)) return done.then(() => this.drain(ctx));
    if (this.replay === null) return;
    return this.drain(ctx);
  }

  private drain(ctx: ActorContext<unknown>): HandlerResult {
    while (this.replay !== null && !this.stopping) {
      const next = this.replay.shift() as Postponed;
      if (this.replay.length === 0) this.replay = null;
      const done = this.handle(next.event, next.origin, next.from, next.timeoutName, ctx);
      if (isThenable(done)) return done.then(() => this.drain(ctx));
    }
  }

  private handle(event: unknown, origin: Origin, from: From<unknown> | null, timeoutName: string | null, ctx: ActorContext<unknown>): HandlerResult {
    // gen_statem: any event cancels the event timeout.
    if (this.eventTimeout !== null) this.cancel('event_timeout', '', ctx);
    let result: StatemResult<S, D, E> | PromiseLike<StatemResult<S, D, E>>;
    if (origin === 'info') {
      if (this.def.handleInfo === undefined) return;
      result = this.def.handleInfo(event as Info | Signal, this.state, this.data, ctx);
    } else {
      const table = this.def.transitions;
      if (table !== undefined && !this.accepts(table, event)) {
        this.invalid(event, from, ctx);
        return;
      }
      const meta = this.meta as Meta;
      meta.origin = origin;
      meta.from = from;
      meta.timeoutName = timeoutName;
      result = this.def.handleEvent(event as E, this.state, this.data, meta);
    }
    if (isThenable(result)) return result.then((r) => this.apply(r, event, origin, from, timeoutName, ctx));
    return this.apply(result, event, origin, from, timeoutName, ctx);
  }

  private apply(
    result: StatemResult<S, D, E>,
    event: unknown,
    origin: Origin,
    from: From<unknown> | null,
    timeoutName: string | null,
    ctx: ActorContext<unknown>,
  ): HandlerResult {
    // The event being handled, should an action postpone it.
    this.curEvent = event;
    this.curOrigin = origin;
    this.curFrom = from;
    this.curTimeoutName = timeoutName;
    switch (result?.kind) {
      case 'next_state': {
        const next = result.state;
        this.checkState(next, 'handleEvent');
        this.data = result.data;
        if (next === this.state) {
          this.runActions(result.actions, true, ctx, 'handleEvent');
          return;
        }
        if (origin !== 'info') this.checkTarget(event, next);
        const previous = this.state;
        // A state change cancels the state timeout; one set by this transition's actions starts afresh.
        if (this.stateTimeout !== null) this.cancel('state_timeout', '', ctx);
        this.runActions(result.actions, true, ctx, 'handleEvent');
        this.state = next;
        if (this.ins !== null) this.ins.stateChanged(handleOf(ctx), previous, next);
        const postponed = this.postponed;
        if (postponed !== null) {
          this.postponed = null;
          this.replay = this.replay === null ? postponed : postponed.concat(this.replay);
        }
        return this.enter(previous, next, ctx);
      }
      case 'keep_state':
        this.data = result.data;
        this.runActions(result.actions, true, ctx, 'handleEvent');
        return;
      case 'repeat_state':
        this.data = result.data;
        this.runActions(result.actions, true, ctx, 'handleEvent');
        return this.enter(this.state, this.state, ctx);
      case 'stop':
        this.data = result.data;
        this.runActions(result.actions, false, ctx, 'handleEvent');
        this.stop(result.reason, ctx);
        return;
      default:
        throw new BadReturnError(`${this.def.type} handleEvent`, result, 'GenStatem.nextState / keepState / repeatState / stop');
    }
  }

  private enter(from: S, to: S, ctx: ActorContext<unknown>): HandlerResult {
    if (this.def.onEnter === undefined || this.stopping) return;
    const result = this.def.onEnter(from, to, this.data, ctx);
    if (isThenable(result)) return result.then((r) => this.afterEnter(r, ctx));
    this.afterEnter(result, ctx);
  }

  private afterEnter(result: EnterResult<D, E>, ctx: ActorContext<unknown>): void {
    if (result === undefined) return;
    switch (result?.kind) {
      case 'keep_state':
        this.data = result.data;
        this.runActions(result.actions, false, ctx, 'onEnter');
        return;
      case 'stop':
        this.data = result.data;
        this.runActions(result.actions, false, ctx, 'onEnter');
        this.stop(result.reason, ctx);
        return;
      default:
        throw new BadReturnError(`${this.def.type} onEnter`, result, 'nothing, GenStatem.keepState(data, actions) or GenStatem.stop(reason, data)');
    }
  }

  private runActions(actions: readonly StatemAction<E>[] | undefined, mayPostpone: boolean, ctx: ActorContext<unknown>, callback: string): void {
    if (actions === undefined) return;
    for (let i = 0; i < actions.length; i++) {
      const action = actions[i] as StatemAction<E>;
      switch (action?.kind) {
        case 'reply':
          if (action.from !== null) reply(action.from, action.value);
          break;
        case 'postpone':
          if (!mayPostpone) throw new BadReturnError(`${this.def.type} ${callback}`, action, 'no postpone action here: only an event handled by handleEvent or handleInfo can be postponed');
          (this.postponed ??= []).push(new Postponed(this.curEvent, this.curOrigin, this.curFrom, this.curTimeoutName));
          break;
        case 'state_timeout':
          this.arm('state_timeout', '', action.ms, action.event, ctx);
          break;
        case 'event_timeout':
          this.arm('event_timeout', '', action.ms, action.event, ctx);
          break;
        case 'timeout':
          this.arm('timeout', action.name, action.ms, action.event, ctx);
          break;
        case 'cancel_timeout':
          this.cancel(action.timeout, action.name ?? '', ctx);
          break;
        default:
          throw new BadReturnError(`${this.def.type} ${callback}`, action, 'an action made by GenStatem.reply / postpone / stateTimeout / eventTimeout / timeout / cancelTimeout');
      }
    }
  }

  private arm(slot: TimeoutSlot, name: string, ms: number, event: unknown, ctx: ActorContext<unknown>): void {
    this.cancel(slot, name, ctx);
    if (ms === Number.POSITIVE_INFINITY) return; // as in gen_statem, an infinite timeout is a cancel
    if (typeof ms !== 'number' || !(ms >= 0)) throw new BadReturnError(`${this.def.type} ${slot} action`, ms, 'a non-negative number of milliseconds (Infinity cancels)');
    const envelope = new TimeoutEnvelope(slot, name, event);
    const armed = new ArmedTimeout(envelope, ctx.sendAfter(ctx.self, envelope, ms));
    if (slot === 'state_timeout') this.stateTimeout = armed;
    else if (slot === 'event_timeout') this.eventTimeout = armed;
    else (this.timeouts ??= new Map()).set(name, armed);
  }

  private cancel(slot: TimeoutSlot, name: string, ctx: ActorContext<unknown>): void {
    let armed: ArmedTimeout | null | undefined;
    if (slot === 'state_timeout') {
      armed = this.stateTimeout;
      this.stateTimeout = null;
    } else if (slot === 'event_timeout') {
      armed = this.eventTimeout;
      this.eventTimeout = null;
    } else {
      armed = this.timeouts?.get(name);
      this.timeouts?.delete(name);
    }
    if (armed !== null && armed !== undefined) ctx.cancelTimer(armed.timer);
  }

  /** Clears the slot of a timeout that fired; false if it is stale (cancelled or re-set meanwhile). */
  private takeTimeout(envelope: TimeoutEnvelope): boolean {
    switch (envelope.slot) {
      case 'state_timeout':
        if (this.stateTimeout?.envelope !== envelope) return false;
        this.stateTimeout = null;
        return true;
      case 'event_timeout':
        if (this.eventTimeout?.envelope !== envelope) return false;
        this.eventTimeout = null;
        return true;
      case 'timeout':
        if (this.timeouts?.get(envelope.name)?.envelope !== envelope) return false;
        this.timeouts.delete(envelope.name);
        return true;
      default:
        return false;
    }
  }

  private accepts(table: NonNullable<GenStatemDefinition<S, D, E, A, Info>['transitions']>, event: unknown): boolean {
    const row = table[this.state] as Record<string, unknown> | undefined;
    return row !== undefined && row[eventName(event)] !== undefined;
  }

  private checkTarget(event: unknown, next: S): void {
    const table = this.def.transitions;
    if (table === undefined) return;
    const targets = (table[this.state] as Record<string, S | readonly S[]>)[eventName(event)];
    const ok = typeof targets === 'string' ? targets === next : (targets as readonly S[]).includes(next);
    if (!ok) {
      throw new BadReturnError(
        `${this.def.type} handleEvent`,
        { kind: 'next_state' },
        `a transition the table declares: '${eventName(event)}' in '${this.state}' may lead to ${JSON.stringify(targets)}, not '${next}'`,
      );
    }
  }

  private invalid(event: unknown, from: From<unknown> | null, ctx: ActorContext<unknown>): void {
    const name = eventName(event);
    if (this.ins !== null) this.ins.invalidTransition(handleOf(ctx), this.state, name);
    if (from !== null) from.table.fail(from.call, new InvalidTransitionError(this.state, name), 'error');
  }

  private checkState(state: S, callback: string): void {
    if (!this.def.states.includes(state)) {
      throw new BadReturnError(`${this.def.type} ${callback}`, state, `one of the declared states ${JSON.stringify(this.def.states)}`);
    }
  }

  private stop(reason: ExitReason, ctx: ActorContext<unknown>): void {
    this.stopping = true;
    ctx.stop(reason);
  }
}

function eventName(event: unknown): string {
  const kind = typeof event === 'object' && event !== null ? (event as { kind?: unknown }).kind : undefined;
  return typeof kind === 'string' ? kind : typeof event;
}
