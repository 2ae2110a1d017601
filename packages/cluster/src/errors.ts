/**
 * Errors of `@joerl/cluster`. Each has a stable `code`.
 *
 * @module
 */
import { formatValue, JoerlError } from '@joerl/core';

/**
 * A value cannot cross the wire: a function, a symbol, a cycle, a value nested too deep, or an
 * object whose getters throw. Code `UNENCODABLE`. `send` does not throw it: it returns false and
 * counts it; `spawnOn` and remote calls reject with it.
 *
 * @example
 * ```ts
 * try { defaultCodec.encode(() => 1, pids); } catch (e) { e.code; } // 'UNENCODABLE'
 * ```
 * @since 0.1.0
 */
export class UnencodableError extends JoerlError {
  declare readonly code: 'UNENCODABLE';
  /** What could not be encoded, and where (`$.a[2]`). */
  readonly path: string;
  constructor(path: string, why: string) {
    super('UNENCODABLE', `cannot send the value at ${path}: ${why}; send plain data (JSON values, Pid, Error, Date, Map, Set, BigInt, typed arrays)`);
    this.path = path;
  }
}

/**
 * Bytes from the wire that are not a frame this node understands. Code `MALFORMED_FRAME`.
 * Never thrown at an actor: such frames are counted and dropped.
 * @since 0.1.0
 */
export class MalformedFrameError extends JoerlError {
  declare readonly code: 'MALFORMED_FRAME';
  constructor(why: string) {
    super('MALFORMED_FRAME', `malformed frame: ${why}`);
  }
}

/**
 * The node is not connected (never seen, or gone down). Code `NODE_DOWN`: `spawnOn` to such a
 * node rejects with it.
 * @since 0.1.0
 */
export class NodeDownError extends JoerlError {
  declare readonly code: 'NODE_DOWN';
  /** The node's name. */
  readonly node: string;
  constructor(node: string) {
    super('NODE_DOWN', `node '${node}' is not connected to this cluster; check that it runs and can reach the NATS server, or wait for nodeup (monitorNode)`);
    this.node = node;
  }
}

/**
 * `spawnOn` named a behaviour the remote node did not register. Code `UNKNOWN_BEHAVIOUR`.
 * @since 0.1.0
 */
export class UnknownBehaviourError extends JoerlError {
  declare readonly code: 'UNKNOWN_BEHAVIOUR';
  /** The node asked. */
  readonly node: string;
  /** The name asked for. */
  readonly behaviour: string;
  constructor(node: string, behaviour: string) {
    super(
      'UNKNOWN_BEHAVIOUR',
      `node '${node}' has no behaviour registered as ${formatValue(behaviour)}; register it there with cluster.registerBehaviour(name, factory) before spawning it remotely`,
    );
    this.node = node;
    this.behaviour = behaviour;
  }
}

/**
 * A remote spawn failed on the remote node (its factory threw, or spawn refused the options).
 * Code `REMOTE_SPAWN_FAILED`; `cause` holds the remote error as decoded.
 * @since 0.1.0
 */
export class RemoteSpawnError extends JoerlError {
  declare readonly code: 'REMOTE_SPAWN_FAILED';
  readonly node: string;
  readonly behaviour: string;
  constructor(node: string, behaviour: string, cause: unknown) {
    super('REMOTE_SPAWN_FAILED', `spawning '${behaviour}' on node '${node}' failed: ${formatValue(cause)}`, { cause });
    this.node = node;
    this.behaviour = behaviour;
  }
}

/**
 * The cluster could not be joined: the NATS connection, or (for global names) JetStream, failed.
 * Code `CLUSTER_UNAVAILABLE`; `cause` holds the client's error.
 * @since 0.1.0
 */
export class ClusterUnavailableError extends JoerlError {
  declare readonly code: 'CLUSTER_UNAVAILABLE';
  constructor(what: string, cause: unknown) {
    super('CLUSTER_UNAVAILABLE', `${what}: ${formatValue(cause)}; check the servers option and that nats-server runs (with -js for global names)`, {
      cause,
    });
  }
}
