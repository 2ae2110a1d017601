/**
 * The frames nodes exchange: one discriminated union on `k`, checked on arrival.
 *
 * Every frame carries its sender's node name (`f`) and incarnation (`c`). Frames from one node
 * to another travel on one NATS subject over one connection, so they arrive in the order sent:
 * that is what keeps messages (and signals) ordered per sender→receiver pair.
 *
 * @module
 */
import { type ExitReason, isExitReason, isPid, type Pid } from '@joerl/core';
import { MalformedFrameError } from './errors.js';

interface Header {
  /** the sender's node name */
  readonly f: string;
  /** the sender's incarnation */
  readonly c: number;
}

/** @internal every frame. */
export type Frame = Header &
  (
    /** a heartbeat: its sequence number, the sender's wall clock (µs since the epoch) and heartbeat interval (ms) */
    | { readonly k: 'hb'; readonly s?: number; readonly t?: number; readonly i?: number }
    /** a heartbeat's answer, to its sender only: its `s` and `t`, and the answering node's wall clock on arrival */
    | { readonly k: 'hback'; readonly s: number; readonly t: number; readonly r: number }
    | { readonly k: 'bye' }
    /** `t`: the sender's wall clock at the send (µs since the epoch), when the sender measures queue waits */
    | { readonly k: 'msg'; readonly to: Pid; readonly m: unknown; readonly t?: number }
    | { readonly k: 'nmsg'; readonly name: string; readonly m: unknown; readonly t?: number }
    | { readonly k: 'link'; readonly from: Pid; readonly to: Pid }
    | { readonly k: 'unlink'; readonly from: Pid; readonly to: Pid }
    | { readonly k: 'exit'; readonly from: Pid; readonly to: Pid; readonly reason: ExitReason | 'kill'; readonly link: boolean }
    | { readonly k: 'mon'; readonly ref: number; readonly to: Pid }
    | { readonly k: 'demon'; readonly ref: number }
    | { readonly k: 'down'; readonly ref: number; readonly pid: Pid; readonly reason: ExitReason }
    | { readonly k: 'call'; readonly id: number; readonly to: Pid | string; readonly req: unknown; readonly tmo: number }
    /** `ty`: the server's actor type, when the server was found */
    | { readonly k: 'reply'; readonly id: number; readonly ok: boolean; readonly v: unknown; readonly reason: ExitReason | null; readonly ty?: string | null }
    | { readonly k: 'cast'; readonly to: Pid | string; readonly req: unknown }
    | { readonly k: 'stop'; readonly id: number; readonly to: Pid | string; readonly reason: ExitReason }
    | { readonly k: 'spawn'; readonly id: number; readonly b: string; readonly args: unknown[]; readonly link: Pid | null }
    | { readonly k: 'spawned'; readonly id: number; readonly ok: boolean; readonly v: unknown }
  );

/** @internal the frame kinds. */
export type FrameKind = Frame['k'];

function bad(why: string): never {
  throw new MalformedFrameError(why);
}

const isId = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
const isTime = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const optionalTime = (v: unknown): boolean => v === undefined || isTime(v);
const isPidOrName = (v: unknown): boolean => isPid(v) || typeof v === 'string';

/** @internal Checks a decoded value is a frame, or throws MalformedFrameError. */
export function checkFrame(value: unknown): Frame {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad('not an object');
  const v = value as Record<string, unknown>;
  if (typeof v.f !== 'string' || !Number.isSafeInteger(v.c)) bad('no sender');
  switch (v.k) {
    case 'hb':
      if (!optionalTime(v.s) || !optionalTime(v.t) || !optionalTime(v.i)) bad('a bad heartbeat');
      break;
    case 'hback':
      if (!isTime(v.s) || !isTime(v.t) || !isTime(v.r)) bad('a bad heartbeat answer');
      break;
    case 'bye':
      break;
    case 'msg':
      if (!isPid(v.to) || !optionalTime(v.t)) bad('msg without a pid');
      break;
    case 'nmsg':
      if (typeof v.name !== 'string' || !optionalTime(v.t)) bad('nmsg without a name');
      break;
    case 'link':
    case 'unlink':
      if (!isPid(v.from) || !isPid(v.to)) bad(`${v.k} without pids`);
      break;
    case 'exit':
      if (!isPid(v.from) || !isPid(v.to) || typeof v.link !== 'boolean' || (v.reason !== 'kill' && !isExitReason(v.reason))) bad('a bad exit');
      break;
    case 'mon':
      if (!isId(v.ref) || !isPid(v.to)) bad('a bad monitor');
      break;
    case 'demon':
      if (!isId(v.ref)) bad('a bad demonitor');
      break;
    case 'down':
      if (!isId(v.ref) || !isPid(v.pid) || !isExitReason(v.reason)) bad('a bad down');
      break;
    case 'call':
      if (!isId(v.id) || !isPidOrName(v.to) || typeof v.tmo !== 'number' || !(v.tmo >= 0)) bad('a bad call');
      break;
    case 'reply':
      if (!isId(v.id) || typeof v.ok !== 'boolean' || (v.reason !== null && !isExitReason(v.reason)) || (v.ty !== undefined && v.ty !== null && typeof v.ty !== 'string')) bad('a bad reply');
      break;
    case 'cast':
      if (!isPidOrName(v.to)) bad('a bad cast');
      break;
    case 'stop':
      if (!isId(v.id) || !isPidOrName(v.to) || !isExitReason(v.reason)) bad('a bad stop');
      break;
    case 'spawn':
      if (!isId(v.id) || typeof v.b !== 'string' || !Array.isArray(v.args) || (v.link !== null && !isPid(v.link))) bad('a bad spawn');
      break;
    case 'spawned':
      if (!isId(v.id) || typeof v.ok !== 'boolean') bad('a bad spawn reply');
      break;
    default:
      bad('an unknown kind');
  }
  return value as Frame;
}
