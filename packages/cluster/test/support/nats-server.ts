/** The real nats-server of the cluster tests: shared through test-utils. */
export { NatsServer, natsServerBinary } from '../../../test-utils/src/nats-server.js';
