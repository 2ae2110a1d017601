/** The nats-server the cluster tests start: shared with `pnpm demo:cluster` through test-utils. */
export { NatsServer, natsServerBinary } from '../../../test-utils/src/nats-server.js';
