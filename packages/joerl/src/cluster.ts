/**
 * `start()` joins a cluster when its configuration names one: `cluster: { servers, node }` or
 * `JOERL_CLUSTER_SERVERS`. Without either it stays a single node, and `@joerl/cluster` (and
 * the NATS client) are never loaded.
 *
 * @module
 */
import { hostname } from 'node:os';
import { type ActorSystem, InvalidConfigError, type Logger } from '@joerl/core';
// Types only: the package is imported on demand, when a cluster is configured.
import type * as ClusterModule from '@joerl/cluster';
import type { Importer } from './backends.js';
import { MissingBackendError } from './errors.js';

/**
 * What `start()` gives of its cluster membership. At run time it is `@joerl/cluster`'s `Cluster`
 * (`import type { Cluster } from '@joerl/cluster'` and cast for the rest of its API); declared
 * here so that joerl's types never need `@joerl/cluster`, an optional dependency, installed.
 * @since 0.2.0
 */
export interface ClusterMembership {
  /** This node's name. */
  node(): string;
  /** The nodes connected now. */
  nodes(): string[];
  /** Leaves the cluster (start()'s shutdown does it too). */
  leave(): Promise<void>;
}

/** `start({ cluster })`: where NATS is, this node's name, and any other `joinCluster` option. */
export interface ClusterStartOptions {
  /** NATS server URL(s) (default `JOERL_CLUSTER_SERVERS`, comma-separated). */
  readonly servers?: string | readonly string[];
  /** This node's name (default `JOERL_CLUSTER_NODE`, else `<hostname>-<pid>`). */
  readonly node?: string;
  /** The cluster's name (default `JOERL_CLUSTER_NAME`, else `'joerl'`). */
  readonly cluster?: string;
  readonly [option: string]: unknown;
}

/** @internal The cluster `start()` will join (its servers and this node's name), or null when none is configured. */
export function configuredCluster(
  options: ClusterStartOptions | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { servers: string | readonly string[]; setting: string; node: string } | null {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new InvalidConfigError('cluster', options, 'an object { servers, node, ... }');
  }
  const fromEnv = env.JOERL_CLUSTER_SERVERS?.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const servers = options?.servers ?? (fromEnv !== undefined && fromEnv.length > 0 ? fromEnv : undefined);
  if (servers === undefined) return null;
  return {
    servers,
    setting: options?.servers === undefined ? 'JOERL_CLUSTER_SERVERS' : 'cluster.servers',
    node: options?.node ?? env.JOERL_CLUSTER_NODE ?? `${hostname().replace(/[^A-Za-z0-9_-]/g, '_')}-${process.pid}`,
  };
}

/** @internal joins when configured; null otherwise. */
export async function joinConfiguredCluster(
  system: ActorSystem,
  options: ClusterStartOptions | undefined,
  env: Readonly<Record<string, string | undefined>>,
  importer: Importer,
  logger: Logger | null | undefined,
): Promise<ClusterMembership | null> {
  const configured = configuredCluster(options, env);
  if (configured === null) return null;
  const { servers, setting, node } = configured;
  let mod: typeof ClusterModule;
  try {
    mod = (await importer('@joerl/cluster')) as typeof ClusterModule;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new MissingBackendError('cluster', ['@joerl/cluster', '@nats-io/transport-node', '@nats-io/kv', '@nats-io/jetstream'], setting, error);
    }
    throw error;
  }
  return mod.joinCluster(system, {
    ...options,
    servers: typeof servers === 'string' ? servers : [...servers],
    node,
    cluster: options?.cluster ?? env.JOERL_CLUSTER_NAME ?? 'joerl',
    ...(logger === undefined ? {} : { logger }),
  });
}
