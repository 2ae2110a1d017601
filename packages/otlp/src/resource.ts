/**
 * The OpenTelemetry resource joerl's metrics and spans are reported under: who is sending.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Attributes } from '@opentelemetry/api';
import { defaultResource, detectResources, envDetector, type Resource, resourceFromAttributes } from '@opentelemetry/resources';

/** Resource options of `startOtlp`. */
export interface ResourceOptions {
  readonly serviceName?: string | undefined;
  readonly serviceInstanceId?: string | undefined;
  readonly resourceAttributes?: Attributes | undefined;
  readonly node?: string | undefined;
}

/**
 * Builds the resource, later sources overriding earlier ones: the SDK's defaults
 * (`service.name=unknown_service:node`, `telemetry.sdk.*`), a fresh random `service.instance.id`,
 * `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_SERVICE_NAME`, then the options (`resourceAttributes`, then
 * `serviceName`, `node` as `joerl.node` and, unless `serviceInstanceId` is given, as
 * `service.instance.id`, then `serviceInstanceId`).
 * @internal
 */
export function buildResource(options: ResourceOptions): Resource {
  const explicit: Attributes = { ...options.resourceAttributes };
  if (options.serviceName !== undefined) explicit['service.name'] = options.serviceName;
  if (options.node !== undefined) {
    explicit['joerl.node'] = options.node;
    explicit['service.instance.id'] = options.node;
  }
  if (options.serviceInstanceId !== undefined) explicit['service.instance.id'] = options.serviceInstanceId;
  return defaultResource()
    .merge(resourceFromAttributes({ 'service.instance.id': randomUUID() }))
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes(explicit));
}
