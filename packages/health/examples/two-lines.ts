import { ActorSystem } from '@joerl/core';
import { SystemHealth } from '@joerl/health';
import { createTelemetry } from '@joerl/telemetry';

// Your service, as it already is:
const telemetry = createTelemetry();
const system = new ActorSystem({ instrumentation: telemetry });

// The two lines:
const health = new SystemHealth({ system, telemetry });
await health.listen({ port: 8080, host: '0.0.0.0' }); // every interface: the kubelet probes the pod's IP
