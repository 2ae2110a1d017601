import { describe, expect, it } from 'vitest';
import { ActorSystem, isPid, Pid } from '../src/index.js';
import { quietSystem } from './helpers.js';

describe('Pid', () => {
  it('prints Erlang-style with the node id first', () => {
    const system = quietSystem({ nodeId: 3 });
    const ref = system.spawn(() => {}, { type: 'p' });
    expect(String(ref.pid)).toMatch(/^<3\.\d+\.0>$/);
    expect(JSON.stringify({ pid: ref.pid })).toBe(`{"pid":"${ref.pid.toString()}"}`);
  });

  it('is unique, never reused, and comparable', async () => {
    const system = quietSystem();
    const a = system.spawn(() => {}, { type: 'p' }).pid;
    const b = system.spawn(() => {}, { type: 'p' }).pid;
    expect(a.equals(b)).toBe(false);
    expect(a.equals(a)).toBe(true);
    expect(Pid.compare(a, b)).toBeLessThan(0);
    expect(Pid.compare(b, a)).toBeGreaterThan(0);
    system.exit(a, 'kill');
    await system.join(a);
    const c = system.spawn(() => {}, { type: 'p' }).pid;
    expect(c.id).toBeGreaterThan(b.id);
    expect(isPid(c)).toBe(true);
    expect(isPid('<0.1.0>')).toBe(false);
  });

  it('carries its system: two systems number their nodes apart', () => {
    const s1 = new ActorSystem({ logger: null });
    const s2 = new ActorSystem({ logger: null });
    expect(s1.nodeId).not.toBe(s2.nodeId);
    const p1 = s1.spawn(() => {}, { type: 'p' }).pid;
    expect(p1.node).toBe(s1.nodeId);
    // A pid of another system is not deliverable here.
    expect(s2.send(p1, 'x')).toBe(false);
    expect(s2.isAlive(p1)).toBe(false);
  });
});
