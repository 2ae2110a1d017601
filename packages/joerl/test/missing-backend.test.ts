import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { hostileValue } from '@joerl/test-utils';
import { BACKEND_PACKAGES, load } from '../src/backends.js';
import { MissingBackendError } from '../src/errors.js';
import { detectPackageManager, installCommand, PACKAGE_MANAGERS } from '../src/package-manager.js';

const notFound = (m: string) => Object.assign(new Error(`Cannot find package '${m}'`), { code: 'ERR_MODULE_NOT_FOUND' });
/** A file system holding only `files`. */
const only = (...files: string[]) => (path: string) => files.includes(path);
const agents = {
  npm: 'npm/10.8.2 node/v20.19.0 linux x64 workspaces/false',
  pnpm: 'pnpm/10.34.9 npm/? node/v20.19.0 linux x64',
  yarn: 'yarn/1.22.22 npm/? node/v20.19.0 linux x64',
  bun: 'bun/1.2.0 npm/? node/v20.19.0 linux x64',
} as const;

describe('the package manager named in an install command', () => {
  it('is the one whose lockfile is in the working directory', () => {
    const cases = [
      ['package-lock.json', 'npm'],
      ['npm-shrinkwrap.json', 'npm'],
      ['pnpm-lock.yaml', 'pnpm'],
      ['yarn.lock', 'yarn'],
      ['bun.lock', 'bun'],
      ['bun.lockb', 'bun'],
    ] as const;
    for (const [file, manager] of cases) {
      expect(detectPackageManager({ env: {}, cwd: '/srv/app', exists: only(`/srv/app/${file}`) })).toBe(manager);
    }
  });

  it('walks up to the nearest lockfile, as a workspace keeps it at its root', () => {
    const exists = only('/repo/pnpm-lock.yaml', '/package-lock.json');
    expect(detectPackageManager({ env: {}, cwd: '/repo/packages/api/src', exists })).toBe('pnpm');
  });

  it('prefers the lockfile to a user agent inherited from whatever started the process', () => {
    expect(detectPackageManager({ env: { npm_config_user_agent: agents.pnpm }, cwd: '/app', exists: only('/app/package-lock.json') })).toBe('npm');
  });

  it('without a lockfile, is the one in npm_config_user_agent', () => {
    for (const manager of PACKAGE_MANAGERS) {
      expect(detectPackageManager({ env: { npm_config_user_agent: agents[manager] }, cwd: '/app', exists: only() })).toBe(manager);
    }
  });

  it('with two kinds of lockfile side by side, is the user agent if it is one of them, else unknown', () => {
    const exists = only('/app/yarn.lock', '/app/package-lock.json');
    expect(detectPackageManager({ env: { npm_config_user_agent: agents.yarn }, cwd: '/app', exists })).toBe('yarn');
    expect(detectPackageManager({ env: { npm_config_user_agent: agents.pnpm }, cwd: '/app', exists })).toBeNull();
    expect(detectPackageManager({ env: {}, cwd: '/app', exists })).toBeNull();
  });

  it('is unknown with neither a lockfile nor a known user agent', () => {
    expect(detectPackageManager({ env: {}, cwd: '/app', exists: only() })).toBeNull();
    expect(detectPackageManager({ env: { npm_config_user_agent: 'cnpm/9.0.0 node/v20' }, cwd: '/app', exists: only() })).toBeNull();
  });

  it('reads the real file system by default', () => {
    const root = mkdtempSync(join(tmpdir(), 'joerl-pm-'));
    try {
      mkdirSync(join(root, 'app', 'src'), { recursive: true });
      writeFileSync(join(root, 'app', 'yarn.lock'), '');
      expect(detectPackageManager({ env: {}, cwd: join(root, 'app', 'src') })).toBe('yarn');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test.prop([fc.string(), fc.string()])('any user agent and directory name: a known manager or null, never a throw', (agent, dir) => {
    const found = detectPackageManager({ env: { npm_config_user_agent: agent }, cwd: `/x/${dir}`, exists: only() });
    expect(found === null || PACKAGE_MANAGERS.includes(found)).toBe(true);
  });

  it('a file system that throws counts as no lockfile', () => {
    const exists = () => {
      throw new Error('EACCES');
    };
    expect(detectPackageManager({ env: { npm_config_user_agent: agents.bun }, cwd: '/app', exists })).toBe('bun');
  });

  it('names each manager\'s own verb', () => {
    expect(PACKAGE_MANAGERS.map((m) => installCommand(m, ['@joerl/statsd', 'hot-shots']))).toEqual([
      'npm install @joerl/statsd hot-shots',
      'pnpm add @joerl/statsd hot-shots',
      'yarn add @joerl/statsd hot-shots',
      'bun add @joerl/statsd hot-shots',
    ]);
  });
});

describe('MissingBackendError', () => {
  it('names the one command for the package manager in use', () => {
    const e = new MissingBackendError('statsd', BACKEND_PACKAGES.statsd, 'JOERL_TELEMETRY', notFound('@joerl/statsd'), 'yarn');
    expect(e.code).toBe('MISSING_BACKEND');
    expect(e.install).toBe('yarn add @joerl/statsd hot-shots');
    expect(e.installCommands).toEqual(['yarn add @joerl/statsd hot-shots']);
    expect(e.message).toBe(
      "telemetry backend 'statsd' was chosen (JOERL_TELEMETRY) but its package is not installed: run `yarn add @joerl/statsd hot-shots`, or remove 'statsd' from JOERL_TELEMETRY",
    );
  });

  it('names every package manager\'s command when it cannot tell which is used', () => {
    const e = new MissingBackendError('prometheus', BACKEND_PACKAGES.prometheus, 'telemetry.backends', notFound('@joerl/prometheus'), null);
    expect(e.packageManager).toBeNull();
    expect(e.install).toBe('npm install @joerl/prometheus prom-client');
    expect(e.message).toContain(
      'run `npm install @joerl/prometheus prom-client` or `pnpm add @joerl/prometheus prom-client` or `yarn add @joerl/prometheus prom-client` or `bun add @joerl/prometheus prom-client`, or remove',
    );
  });
});

describe('loading a backend', () => {
  const cwd = process.cwd();
  afterAll(() => process.chdir(cwd));

  it('a package that is not installed fails with the command of the package manager of the working directory', async () => {
    const root = mkdtempSync(join(tmpdir(), 'joerl-pm-'));
    writeFileSync(join(root, 'package-lock.json'), '{}');
    process.chdir(root);
    try {
      const error = await load(() => Promise.reject(notFound('@joerl/datadog')), 'datadog', '@joerl/datadog', 'JOERL_TELEMETRY').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MissingBackendError);
      expect((error as MissingBackendError).install).toBe('npm install @joerl/datadog dd-trace hot-shots');
      expect((error as MissingBackendError).cause).toBeInstanceOf(Error);
    } finally {
      process.chdir(cwd);
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('CommonJS\'s MODULE_NOT_FOUND counts as missing too', async () => {
    const cjsMissing = Object.assign(new Error("Cannot find module 'hot-shots'"), { code: 'MODULE_NOT_FOUND' });
    await expect(load(() => Promise.reject(cjsMissing), 'statsd', 'hot-shots', 'JOERL_TELEMETRY')).rejects.toBeInstanceOf(MissingBackendError);
  });

  it('any other failure is passed on unchanged', async () => {
    const broken = Object.assign(new SyntaxError('Unexpected token'), { code: 'ERR_INVALID_PACKAGE_CONFIG' });
    await expect(load(() => Promise.reject(broken), 'otlp', '@joerl/otlp', 'JOERL_TELEMETRY')).rejects.toBe(broken);
  });

  test.prop([hostileValue])('a loader rejecting with any value at all has that value passed on, never a new error', async (hostile) => {
    const value = hostile.make();
    // Boxed, because a promise settled with a revoked Proxy or a throwing `then` would read its `then`.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rejecting with a non-Error is the point
    const settled = await load(() => Promise.reject(value), 'prometheus', '@joerl/prometheus', 'JOERL_TELEMETRY').then(
      (): { error: unknown } => ({ error: 'resolved' }),
      (error: unknown) => ({ error }),
    );
    // fc.anything() does not build an object whose `code` is ERR_MODULE_NOT_FOUND: every value is passed on.
    expect(Object.is(settled.error, value)).toBe(true);
  });
});
