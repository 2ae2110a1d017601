/**
 * How joerl's spans read in Datadog APM: an operation name per kind of work, the actor type as
 * the resource, and a span type, derived from the OpenTelemetry span joerl starts.
 *
 * @module
 */
import type { Attributes, SpanKind } from '@opentelemetry/api';

/**
 * The Datadog operation names of joerl's spans.
 *
 * - `message`: an actor handling a message (`process <type>`, OpenTelemetry kind `CONSUMER`);
 * - `call`: a GenServer/GenStatem call, measured at the caller (`call <type>`, kind `CLIENT`);
 * - `handleCall`: the callee handling that call (`<type> handle_call`, kind `SERVER`).
 *
 * Supervisor spans (a restart, under the crash that caused it; a supervisor giving up) keep their own names
 * (`joerl.supervisor.restart`, `joerl.supervisor.intensity_exceeded`).
 *
 * @example
 * ```ts
 * import { OPERATION_NAMES } from '@joerl/datadog';
 *
 * // A Datadog query over every message handled by joerl actors:
 * const query = `avg:trace.${OPERATION_NAMES.message}.duration{service:orders} by {resource_name}`;
 * ```
 * @since 0.1.0
 */
export const OPERATION_NAMES = Object.freeze({
  message: 'joerl.message',
  call: 'joerl.call',
  handleCall: 'joerl.handle_call',
} as const);

/** The Datadog fields of one joerl span. */
export interface DatadogSpanFields {
  /** The operation name (Datadog's span `name`). */
  readonly operationName: string;
  /** The resource: the actor type the work belongs to. */
  readonly resource: string;
  /** The span type (`worker` for work done by an actor), if any. */
  readonly type: string | undefined;
}

// SpanKind values of @opentelemetry/api (a type-only import keeps it a peer of telemetry's only).
const SERVER = 1 as SpanKind;
const CLIENT = 2 as SpanKind;
const CONSUMER = 4 as SpanKind;

const SUPERVISOR_SPANS: ReadonlySet<string> = new Set(['joerl.supervisor.restart', 'joerl.supervisor.intensity_exceeded']);

/**
 * @internal
 * The Datadog fields of a span joerl's telemetry starts, or undefined for any other span (left
 * as it is). joerl's spans are recognised by `messaging.system` / `rpc.system` = `joerl`.
 */
export function datadogSpanFields(name: string, kind: SpanKind | undefined, attributes: Attributes | undefined): DatadogSpanFields | undefined {
  if (attributes === undefined) return undefined;
  const actorType = attributes['joerl.actor.type'];
  if (typeof actorType === 'string' && (attributes['messaging.system'] === 'joerl' || attributes['rpc.system'] === 'joerl')) {
    if (kind === CONSUMER) return { operationName: OPERATION_NAMES.message, resource: actorType, type: 'worker' };
    if (kind === SERVER) return { operationName: OPERATION_NAMES.handleCall, resource: actorType, type: 'worker' };
    if (kind === CLIENT) return { operationName: OPERATION_NAMES.call, resource: actorType, type: undefined };
    return undefined;
  }
  const supervisorType = attributes['joerl.supervisor.type'];
  if (SUPERVISOR_SPANS.has(name) && typeof supervisorType === 'string') return { operationName: name, resource: supervisorType, type: undefined };
  return undefined;
}
