/**
 * Errors of `start()`.
 *
 * @module
 */
import { JoerlError } from '@joerl/core';
import { installCommand, PACKAGE_MANAGERS, type PackageManager } from './package-manager.js';

/**
 * A chosen backend's package is not installed. `install` is the command that fixes it, for the
 * package manager this project uses (from its lockfile, else `npm_config_user_agent`); when that
 * cannot be told, the message names the command of each of npm, pnpm, yarn and bun.
 * Code `MISSING_BACKEND`.
 * @since 0.1.0
 */
export class MissingBackendError extends JoerlError {
  declare readonly code: 'MISSING_BACKEND';
  /** The backend that was chosen, e.g. `'otlp'`. */
  readonly backend: string;
  /** The packages to add. */
  readonly packages: readonly string[];
  /** The package manager the project uses, or `null` when it could not be told. */
  readonly packageManager: PackageManager | null;
  /** The command that installs the packages (npm's when the package manager is unknown). */
  readonly install: string;
  /** The commands named in the message: the one for `packageManager`, or one per package manager. */
  readonly installCommands: readonly string[];

  constructor(backend: string, packages: readonly string[], setting: string, cause: unknown, packageManager: PackageManager | null = null) {
    const managers = packageManager === null ? PACKAGE_MANAGERS : [packageManager];
    const installCommands = managers.map((m) => installCommand(m, packages));
    const run = installCommands.map((c) => `\`${c}\``).join(' or ');
    super(
      'MISSING_BACKEND',
      `telemetry backend '${backend}' was chosen (${setting}) but its package is not installed: run ${run}, or remove '${backend}' from ${setting}`,
      { cause },
    );
    this.backend = backend;
    this.packages = packages;
    this.packageManager = packageManager;
    this.installCommands = installCommands;
    this.install = installCommands[0]!;
  }
}

/**
 * A backend or the health server could not start (e.g. its port is in use); `setting` names
 * the option or environment variable to change. Code `START_FAILED`.
 * @since 0.1.0
 */
export class StartFailedError extends JoerlError {
  declare readonly code: 'START_FAILED';
  /** What failed, e.g. `'prometheus'` or `'health'`. */
  readonly component: string;
  /** The setting to change. */
  readonly setting: string;

  constructor(component: string, setting: string, detail: string, cause: unknown) {
    super('START_FAILED', `${component} could not start: ${detail}; change ${setting}`, { cause });
    this.component = component;
    this.setting = setting;
  }
}
