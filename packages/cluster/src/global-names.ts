/**
 * Global names: a cluster-wide registry on NATS' own KV (JetStream), not a consensus of our own.
 *
 * A claim is `kv.create(name)`, which the server refuses if the key exists: atomic, so of many
 * nodes racing for a name exactly one wins. The entry is deleted when its owner exits (by the
 * node that registered it) or when the owner's node goes down (by every node that sees it go
 * down, or comes back as a new incarnation; deletes are guarded by the entry's revision, so a
 * newer claim is never removed).
 *
 * @module
 */
import { type ActorSystem, InvalidNameError, type Pid } from '@joerl/core';
import type { KV } from '@nats-io/kv';
import type { WirePid } from './codec.js';
import type { ClusterNode } from './cluster-node.js';

const KEY_PATTERN = /^[-/_=.a-zA-Z0-9]+$/;

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 256 || !KEY_PATTERN.test(name) || name.startsWith('.') || name.endsWith('.')) {
    throw new InvalidNameError(name, "a global name is 1-256 characters of letters, digits, '-', '/', '_', '=' and '.' (not first or last): it is a NATS KV key");
  }
  return name;
}

function parseOwner(value: Uint8Array): WirePid | null {
  try {
    const v = JSON.parse(Buffer.from(value).toString('utf8')) as unknown;
    if (typeof v !== 'object' || v === null) return null;
    const { node, creation, id } = v as Record<string, unknown>;
    if (typeof node !== 'string' || !Number.isSafeInteger(creation) || !Number.isSafeInteger(id)) return null;
    return { node, creation: creation as number, id: id as number };
  } catch {
    return null;
  }
}

/** @internal */
export class GlobalNames {
  private readonly kv: KV;
  private readonly node: ClusterNode;
  private readonly system: ActorSystem;

  constructor(kv: KV, node: ClusterNode) {
    this.kv = kv;
    this.node = node;
    this.system = node.system;
    node.onNodeEvent(null, (event) => {
      // A node lost from here because this node's own connection dropped is not down for the others.
      if (event.kind === 'nodedown' && event.reason !== 'disconnected') void this.releaseNode(event.node);
    });
  }

  /** @throws InvalidNameError synchronously, for a name that is not a KV key. */
  register(name: string, pid: Pid): Promise<boolean> {
    return this.claim(checkName(name), pid);
  }

  private async claim(name: string, pid: Pid): Promise<boolean> {
    const wire = this.node.toWire(pid);
    let revision: number;
    try {
      revision = await this.kv.create(name, JSON.stringify(wire));
    } catch {
      return false; // taken (or the server refused): the claim did not happen
    }
    // Released when the owner exits: monitors work across nodes too.
    this.system.monitor(pid, () => {
      void this.kv.delete(name, { previousSeq: revision }).catch(() => undefined);
    });
    return true;
  }

  whereis(name: string): Promise<Pid | undefined> {
    return this.lookup(checkName(name));
  }

  private async lookup(name: string): Promise<Pid | undefined> {
    const entry = await this.kv.get(name);
    if (entry === null || entry.operation !== 'PUT') return undefined;
    const wire = parseOwner(entry.value);
    return wire === null ? undefined : this.node.fromWire(wire);
  }

  unregister(name: string): Promise<boolean> {
    return this.release(checkName(name));
  }

  private async release(name: string): Promise<boolean> {
    const entry = await this.kv.get(name);
    if (entry === null || entry.operation !== 'PUT') return false;
    try {
      await this.kv.delete(name, { previousSeq: entry.revision });
      return true;
    } catch {
      return false;
    }
  }

  async registered(): Promise<string[]> {
    const names: string[] = [];
    const keys = await this.kv.keys();
    for await (const key of keys) names.push(key);
    return names.sort();
  }

  /** Deletes every entry owned by `node` (an incarnation that went down). */
  private async releaseNode(node: string): Promise<void> {
    try {
      const keys = await this.kv.keys();
      for await (const key of keys) {
        const entry = await this.kv.get(key);
        if (entry === null || entry.operation !== 'PUT') continue;
        const owner = parseOwner(entry.value);
        // A restarted node is up again as a new incarnation: what its earlier life held is released.
        if (owner !== null && owner.node === node && !this.node.isUpAs(node, owner.creation)) {
          await this.kv.delete(key, { previousSeq: entry.revision }).catch(() => undefined);
        }
      }
    } catch {
      // The connection may be gone too: the next node-down seen by any node retries.
    }
  }
}
