/**
 * Errors of `start()`.
 *
 * @module
 */
import { JoerlError } from '@joerl/core';

/**
 * A chosen backend's package is not installed. `install` is the command that fixes it.
 * Code `MISSING_BACKEND`.
 * @since 0.1.0
 */
export class MissingBackendError extends JoerlError {
  declare readonly code: 'MISSING_BACKEND';
  /** The backend that was chosen, e.g. `'otlp'`. */
  readonly backend: string;
  /** The packages to add. */
  readonly packages: readonly string[];
  /** The command that installs them. */
  readonly install: string;

  constructor(backend: string, packages: readonly string[], setting: string, cause: unknown) {
    const install = `pnpm add ${packages.join(' ')}`;
    super(
      'MISSING_BACKEND',
      `telemetry backend '${backend}' was chosen (${setting}) but its package is not installed: run \`${install}\` (or npm install / yarn add the same), or remove '${backend}' from ${setting}`,
      { cause },
    );
    this.backend = backend;
    this.packages = packages;
    this.install = install;
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
