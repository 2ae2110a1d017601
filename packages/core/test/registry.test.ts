import { describe, expect, it } from 'vitest';
import { InvalidNameError, NameTakenError } from '../src/index.js';
import { quietSystem } from './helpers.js';

describe('registry', () => {
  it('registers, resolves and lists names', () => {
    const system = quietSystem();
    const a = system.spawn(() => {}, { type: 'a', name: 'alpha' });
    const b = system.spawn(() => {}, { type: 'b' });
    expect(system.register('beta', b.pid)).toBe(true);
    expect(system.whereis('alpha')).toBe(a.pid);
    expect(system.whereis('beta')).toBe(b.pid);
    expect(system.registered().sort()).toEqual(['alpha', 'beta']);
    expect(system.info(b.pid)?.name).toBe('beta');
    expect(system.ref('alpha')?.pid).toBe(a.pid);
    expect(system.ref('nobody')).toBeUndefined();
  });

  it('a name clash is a typed error, at spawn and at register', () => {
    const system = quietSystem();
    const a = system.spawn(() => {}, { type: 'a', name: 'db' });
    const before = system.stats().actors;
    let caught: unknown;
    try {
      system.spawn(() => {}, { type: 'a', name: 'db' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(NameTakenError);
    expect((caught as NameTakenError).code).toBe('NAME_TAKEN');
    expect((caught as NameTakenError).holder).toBe(a.pid.toString());
    // the failed spawn left nothing behind
    expect(system.stats().actors).toBe(before);
    const b = system.spawn(() => {}, { type: 'b' });
    expect(() => system.register('db', b.pid)).toThrow(NameTakenError);
  });

  it('an actor has at most one name, and bad names are refused with the reason', () => {
    const system = quietSystem();
    const a = system.spawn(() => {}, { type: 'a', name: 'first' });
    expect(() => system.register('second', a.pid)).toThrow(/already registered as 'first'/);
    expect(() => system.spawn(() => {}, { type: 'a', name: '' })).toThrow(InvalidNameError);
    expect(() => system.spawn(() => {}, { type: 'a', name: 'x'.repeat(300) })).toThrow(/at most 255/);
    expect(() => system.spawn(() => {}, { type: 'a', name: 42 as never })).toThrow(/options\.name.*expected a string/);
  });

  it('frees a name when its actor exits, so it can be taken again', async () => {
    const system = quietSystem();
    const a = system.spawn(() => {}, { type: 'a', name: 'svc' });
    system.exit(a.pid, 'kill');
    await system.join(a.pid);
    expect(system.whereis('svc')).toBeUndefined();
    expect(system.registered()).toEqual([]);
    const b = system.spawn(() => {}, { type: 'a', name: 'svc' });
    expect(system.whereis('svc')).toBe(b.pid);
  });

  it('unregister frees a name; registering a dead pid returns false', async () => {
    const system = quietSystem();
    const a = system.spawn<string>((_, ctx) => ctx.register('self-named'), { type: 'a' });
    a.send('go');
    await system.idle();
    expect(system.whereis('self-named')).toBe(a.pid);
    expect(system.unregister('self-named')).toBe(true);
    expect(system.unregister('self-named')).toBe(false);
    system.exit(a.pid, 'kill');
    await system.join(a.pid);
    expect(system.register('ghost', a.pid)).toBe(false);
  });
});
