/**
 * Which package manager the user runs, so that an error can name the install command that works
 * for them. Read only when something is missing: never on a hot path.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * A package manager joerl can name in an install command.
 * @since 0.1.0
 */
export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

/** Every package manager, in the order an error lists them when it cannot tell which is used. */
export const PACKAGE_MANAGERS: readonly PackageManager[] = Object.freeze(['npm', 'pnpm', 'yarn', 'bun'] as const);

const LOCKFILES: readonly (readonly [file: string, manager: PackageManager])[] = [
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
];

/** What `detectPackageManager` looks at; tests replace each part. */
export interface DetectionContext {
  /** The environment; `npm_config_user_agent` is read from it. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the search for a lockfile starts (walking up to the root). */
  readonly cwd?: string;
  /** Whether a file exists. */
  readonly exists?: (path: string) => boolean;
}

/**
 * The package manager that manages the current project: the one whose lockfile is nearest to
 * `cwd` (walking up, as a workspace keeps it at its root), else the one named first in
 * `npm_config_user_agent` (set by `npm run`, `pnpm`, `yarn`, `bun` for the scripts they start),
 * else `null`. The lockfile comes first because it says who installs this project's packages,
 * while the user agent is inherited by every child process, whoever manages the project.
 * Never throws.
 */
export function detectPackageManager(context: DetectionContext = {}): PackageManager | null {
  const env = context.env ?? process.env;
  const exists = context.exists ?? existsSync;
  const fromAgent = managerInUserAgent(env.npm_config_user_agent);
  let dir: string;
  try {
    dir = resolve(context.cwd ?? process.cwd());
  } catch {
    return fromAgent; // the working directory was deleted
  }
  for (;;) {
    const found = lockfilesIn(dir, exists);
    if (found.length === 1) return found[0]!;
    // Two kinds of lockfile side by side (a migration): the user agent breaks the tie, if it can.
    if (found.length > 1) return fromAgent !== null && found.includes(fromAgent) ? fromAgent : null;
    const parent = dirname(dir);
    if (parent === dir) return fromAgent;
    dir = parent;
  }
}

/** The command that installs `packages` with `manager`. */
export function installCommand(manager: PackageManager, packages: readonly string[]): string {
  const verb = manager === 'npm' ? 'npm install' : `${manager} add`;
  return `${verb} ${packages.join(' ')}`;
}

function lockfilesIn(dir: string, exists: (path: string) => boolean): PackageManager[] {
  const found: PackageManager[] = [];
  for (const [file, manager] of LOCKFILES) {
    let present: boolean;
    try {
      present = exists(join(dir, file));
    } catch {
      present = false; // unreadable counts as absent
    }
    if (present && !found.includes(manager)) found.push(manager);
  }
  return found;
}

/** `pnpm/9.12.0 npm/? node/v20.19.0 linux x64` → `'pnpm'`; anything else → `null`. */
function managerInUserAgent(agent: unknown): PackageManager | null {
  if (typeof agent !== 'string') return null;
  const name = agent.trim().split('/', 1)[0];
  return PACKAGE_MANAGERS.find((m) => m === name) ?? null;
}
