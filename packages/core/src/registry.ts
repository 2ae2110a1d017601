/**
 * The name registry: local names for actors, freed when they exit.
 *
 * @module
 */
import { InvalidNameError, NameTakenError } from './errors.js';
import type { ActorProcess } from './process.js';

const MAX_NAME_LENGTH = 255;

/** @internal */
export class Registry {
  private readonly names = new Map<string, ActorProcess>();

  get size(): number {
    return this.names.size;
  }

  get(name: string): ActorProcess | undefined {
    return this.names.get(name);
  }

  /** Throws InvalidNameError / NameTakenError; the caller checks the process is alive. */
  add(name: string, proc: ActorProcess): void {
    checkName(name);
    const holder = this.names.get(name);
    if (holder !== undefined && holder !== proc) throw new NameTakenError(name, holder.pid.toString());
    if (proc.name !== undefined && proc.name !== name) {
      throw new InvalidNameError(
        name,
        `${proc.pid} is already registered as '${proc.name}'; an actor has at most one name (unregister it first)`,
      );
    }
    this.names.set(name, proc);
    proc.name = name;
  }

  /** Throws like {@link Registry.add} would, without registering. */
  check(name: string): void {
    checkName(name);
    const holder = this.names.get(name);
    if (holder !== undefined) throw new NameTakenError(name, holder.pid.toString());
  }

  remove(name: string): ActorProcess | undefined {
    const proc = this.names.get(name);
    if (proc === undefined) return undefined;
    this.names.delete(name);
    proc.name = undefined;
    return proc;
  }

  keys(): string[] {
    return [...this.names.keys()];
  }
}

function checkName(name: unknown): asserts name is string {
  if (typeof name !== 'string') throw new InvalidNameError(name, 'a name must be a string');
  if (name.length === 0) throw new InvalidNameError(name, 'a name must not be empty');
  if (name.length > MAX_NAME_LENGTH) throw new InvalidNameError(name, `a name has at most ${MAX_NAME_LENGTH} characters`);
}
