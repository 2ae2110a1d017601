#!/usr/bin/env node
// What `npm install` gives a user, checked on the real tarballs (RELEASING.md):
//   1. build, then `pnpm pack` every published package (so `workspace:` ranges are rewritten);
//   2. each tarball: its manifest (no `workspace:` left, the metadata `npm view` shows), LICENSE and
//      README inside, `publint --strict`, `attw` (CommonJS must resolve: to ESM, by require(esm));
//   3. a temporary project outside the monorepo installs, with plain npm, what the README's user
//      installs: `joerl` (and what it depends on) and `@joerl/prometheus`. There:
//      - the README examples of those packages (their examples/ folders, and the root README's)
//        and usage.ts type-check with skipLibCheck off;
//      - a CommonJS TypeScript file type-checks `import x = require('joerl')` (module nodenext);
//      - an ESM program imports every package and serves /metrics through start();
//      - a CommonJS program require()s every package and runs a GenServer;
//      - choosing the statsd backend, not installed, fails with the documented error;
//   4. the other published packages are installed too (`--omit=optional`: dd-trace's optional
//      native profilers are 85 MB we never load), with the third-party packages their examples
//      import, and every example and package is type-checked under node16 and bundler resolution,
//      imported and required again.
// Usage: node scripts/release/install-test.mjs [--keep] [--no-build]
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publicPackages, Report, REPOSITORY, root, run, workspacePackages } from './workspace.mjs';

const keep = process.argv.includes('--keep');
const report = new Report('install test');
const fixture = join(root, 'scripts', 'release', 'fixture');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
// The user's shell, not ours: no user agent or npm_* settings inherited from a `pnpm run`.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|pnpm_|JOERL_|NODE_OPTIONS$)/i.test(k)));

const packages = publicPackages();
const names = packages.map((p) => p.json.name);
const byName = new Map(packages.map((p) => [p.json.name, p]));
// The issue's user: joerl, everything it depends on, and one backend.
const first = closure(['joerl', '@joerl/prometheus']);
const rest = names.filter((n) => !first.includes(n));
const MISSING = { backend: 'statsd', install: 'npm install @joerl/statsd hot-shots' };
// The message the joerl README shows for it, word for word.
MISSING.message = readFileSync(join(root, 'packages', 'joerl', 'README.md'), 'utf8')
  .split('\n')
  .find((l) => l.startsWith(`telemetry backend '${MISSING.backend}' was chosen`));
if (MISSING.message === undefined) throw new Error(`packages/joerl/README.md no longer shows the MissingBackendError message for '${MISSING.backend}'`);
if (first.includes('@joerl/statsd')) throw new Error('the missing-backend check needs @joerl/statsd outside the first install');

const work = mkdtempSync(join(tmpdir(), 'joerl-install-'));
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');
mkdirSync(tarballs);
mkdirSync(project);
console.log(`install test in ${work}${keep ? ' (kept)' : ''}`);

try {
  if (!process.argv.includes('--no-build')) {
    const b = run('pnpm', ['build'], { cwd: root });
    if (!report.check(b.status === 0, 'pnpm build', b.stdout + b.stderr, b.ms)) throw new Error('build failed');
  }

  // 1-2. Pack, then check each tarball.
  const packed = new Map();
  for (const pkg of packages) {
    const r = run('pnpm', ['pack', '--pack-destination', tarballs, '--json'], { cwd: pkg.dir });
    let file = null;
    try {
      file = JSON.parse(r.stdout).filename;
    } catch {
      file = null;
    }
    if (report.check(r.status === 0 && file !== null, `${pkg.json.name}: pnpm pack`, r.stdout + r.stderr, r.ms)) packed.set(pkg.json.name, file);
  }
  for (const [name, file] of packed) {
    const problems = tarballProblems(name, file);
    report.check(problems.length === 0, `${name}: packed manifest, LICENSE, README, dist`, problems.join('\n'));
  }
  await pool([...packed].flatMap(([name, file]) => [
    () => runAsync(bin('publint'), ['run', '--strict', file]).then((r) => report.check(r.status === 0 && !/\b(warning|error)s?\b/i.test(stripInfo(r.stdout)), `${name}: publint --strict`, r.stdout + r.stderr, r.ms)),
    () =>
      runAsync(bin('attw'), [file, '--no-definitely-typed', '--ignore-rules', 'cjs-resolves-to-esm', '--format', 'ascii', '--no-color', '--no-emoji']).then((r) =>
        report.check(r.status === 0, `${name}: attw (node10, node16 from CJS and ESM, bundler)`, r.stdout + r.stderr, r.ms),
      ),
  ]), 2);
  if (packed.size !== names.length) throw new Error('not every package packed');

  // 3. The first project: joerl and prometheus, installed with plain npm.
  const firstExamples = copyExamples(first);
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'joerl-install-test', private: true, type: 'module', dependencies: { ...Object.fromEntries(first.map((n) => [n, `file:${packed.get(n)}`])), ...thirdParty(firstExamples) }, devDependencies: { '@types/node': '20.19.43' } }, null, 2)}\n`,
  );
  for (const f of ['usage.ts', 'require.cts', 'smoke.mjs', 'smoke.cjs', 'missing.mjs']) copyFileSync(join(fixture, f), join(project, f));
  const npmFlags = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];
  const i1 = run('npm', ['install', ...npmFlags], { cwd: project, env: cleanEnv });
  if (!report.check(i1.status === 0, `npm install ${first.join(' ')}`, i1.stdout + i1.stderr, i1.ms)) throw new Error('npm install failed');

  // node16 only here: bundler resolution is checked below, on every package.
  await typecheck(['usage.ts', ...firstExamples], `usage.ts and ${firstExamples.length} README examples of ${first.length} packages, the adapters of start() absent`, ['node16']);
  await typecheck(['require.cts'], 'require.cts: CommonJS TypeScript, import = require() of joerl', ['nodenext']);
  node(['smoke.mjs', JSON.stringify(first)], 'ESM: import every installed package; start() serves /metrics and /readyz');
  node(['smoke.cjs', JSON.stringify(first)], 'CommonJS: require() every installed package; same instances as import(); a GenServer call');
  node(['missing.mjs', MISSING.install, MISSING.message], `JOERL_TELEMETRY=${MISSING.backend}, not installed: the README's MissingBackendError, \`${MISSING.install}\` (package-lock.json)`, { JOERL_TELEMETRY: MISSING.backend });
  const elsewhere = join(work, 'no-lockfile');
  mkdirSync(elsewhere);
  const yarnInstall = MISSING.install.replace('npm install', 'yarn add');
  node([join(project, 'missing.mjs'), yarnInstall, MISSING.message.replace(MISSING.install, yarnInstall)], `the same from a directory without a lockfile, run by yarn: \`${yarnInstall}\``, { JOERL_TELEMETRY: MISSING.backend, npm_config_user_agent: 'yarn/1.22.22 npm/? node/v20.19.0 linux x64' }, elsewhere);

  // 4. Every other published package.
  const restExamples = copyExamples(rest);
  const extra = Object.entries(thirdParty(restExamples)).map(([n, v]) => `${n}@${v}`);
  const i2 = run('npm', ['install', ...npmFlags, '--omit=optional', ...rest.map((n) => packed.get(n)), ...extra], { cwd: project, env: cleanEnv });
  if (!report.check(i2.status === 0, `npm install --omit=optional ${rest.join(' ')}`, i2.stdout + i2.stderr, i2.ms)) throw new Error('npm install failed');
  writeFileSync(join(project, 'all.ts'), `${names.map((n, k) => `import * as p${k} from '${n}';`).join('\n')}\nexport const packages = [${names.map((_, k) => `p${k}`).join(', ')}];\n`);
  await typecheck(['usage.ts', 'all.ts', ...firstExamples, ...restExamples], `usage.ts, ${firstExamples.length + restExamples.length} README examples, every package (${names.length}), declarations included`);
  node(['smoke.mjs', JSON.stringify(names)], 'ESM: import every package');
  node(['smoke.cjs', JSON.stringify(names)], 'CommonJS: require() every package');
} catch (error) {
  report.fail('install test stopped', error instanceof Error ? error.message : String(error));
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
  report.finish();
}

/**
 * Type-checks `files` in the project with skipLibCheck off, under each module resolution in
 * `modes` (node16, bundler), both at once.
 */
async function typecheck(files, what, modes = ['node16', 'bundler']) {
  const common = { strict: true, skipLibCheck: false, noEmit: true, target: 'ES2022', lib: ['ES2022'], types: ['node'] };
  const options = {
    node16: { module: 'node16', moduleResolution: 'node16' },
    bundler: { module: 'preserve', moduleResolution: 'bundler' },
    nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  };
  await Promise.all(
    modes.map((mode) => {
      const config = join(project, `tsconfig.${mode}.json`);
      writeFileSync(config, JSON.stringify({ compilerOptions: { ...common, ...options[mode] }, files }, null, 2));
      return runAsync(process.execPath, [tsc, '-p', config], project).then((r) => report.check(r.status === 0, `tsc (${mode}, skipLibCheck: false): ${what}`, r.stdout + r.stderr, r.ms));
    }),
  );
}

function node(args, what, env = {}, cwd = project) {
  const r = run(process.execPath, args, { cwd, env: { ...cleanEnv, ...env } });
  report.check(r.status === 0, what, r.stdout + r.stderr, r.ms);
}

/**
 * Copies the examples of the named packages (each package's examples/ folder, which its README
 * shows; the root README's examples come with `joerl`) into the project; returns their paths.
 */
function copyExamples(pkgNames) {
  const dirs = pkgNames.map((n) => [n, join(byName.get(n).dir, 'examples')]);
  if (pkgNames.includes('joerl')) dirs.push(['root README', join(root, 'apps', 'docs', 'examples')]);
  const copied = [];
  for (const [n, dir] of dirs) {
    if (!existsSync(dir)) continue;
    const target = join(project, 'examples', n.replace(/^@joerl\//, '').replace(/\W+/g, '-'));
    mkdirSync(target, { recursive: true });
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      copyFileSync(join(dir, f), join(target, f));
      copied.push(join(target, f).slice(project.length + 1));
    }
  }
  return copied;
}

/**
 * The third-party packages the given examples import, at the version the workspace tests with
 * (what a user following the README installs next to ours).
 */
function thirdParty(files) {
  const pinned = new Map();
  for (const p of workspacePackages()) for (const [n, v] of Object.entries({ ...p.json.dependencies, ...p.json.devDependencies })) if (/^\d/.test(v)) pinned.set(n, v);
  const wanted = {};
  for (const f of files) {
    for (const [, spec] of readFileSync(join(project, f), 'utf8').matchAll(/^import\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
      if (spec.startsWith('.') || spec.startsWith('node:')) continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (byName.has(name)) continue;
      if (!pinned.has(name)) throw new Error(`${f} imports ${name}, which no workspace package pins a version of`);
      wanted[name] = pinned.get(name);
    }
  }
  return wanted;
}

/** The named packages and every workspace package they depend on. */
function closure(start) {
  const seen = new Set();
  const visit = (n) => {
    if (seen.has(n) || !byName.has(n)) return;
    seen.add(n);
    for (const d of Object.keys(byName.get(n).json.dependencies ?? {})) visit(d);
  };
  start.forEach(visit);
  return names.filter((n) => seen.has(n));
}

/** What is wrong with a tarball: the manifest `npm view` would show, and the files a user needs. */
function tarballProblems(name, file) {
  const list = run('tar', ['-tzf', file]);
  const files = new Set(list.stdout.split('\n').map((l) => l.replace(/^package\//, '')));
  const manifestText = run('tar', ['-xzOf', file, 'package/package.json']).stdout;
  const p = [];
  for (const f of ['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts']) if (!files.has(f)) p.push(`${f} is not in the tarball`);
  if (manifestText.includes('workspace:')) p.push('a "workspace:" range was left in the packed package.json');
  let m = {};
  try {
    m = JSON.parse(manifestText);
  } catch {
    p.push('the packed package.json does not parse');
  }
  if (m.name !== name) p.push(`packed name is ${m.name}`);
  for (const field of ['description', 'license', 'author', 'homepage']) if (!m[field]) p.push(`"${field}" is missing`);
  if (!m.repository?.url?.includes(REPOSITORY.replace('https://', '')) || !m.repository?.directory) p.push('"repository" (with "directory") is missing');
  if (!m.bugs?.url) p.push('"bugs" is missing');
  if (!Array.isArray(m.keywords) || m.keywords.length === 0) p.push('"keywords" is missing');
  return p;
}

/** publint prints "All good!" or its messages; the unpacking banner is not one. */
function stripInfo(text) {
  return text
    .split('\n')
    .filter((l) => !/^(Running publint|Unpacking|Linting|All good)/.test(l))
    .join('\n');
}

function runAsync(cmd, args, cwd = root) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => resolve({ status: 1, stdout, stderr: stderr + String(e), ms: Date.now() - started }));
    child.on('close', (status) => resolve({ status: status ?? 1, stdout, stderr, ms: Date.now() - started }));
  });
}

/** Runs the tasks, `width` at a time. */
async function pool(tasks, width) {
  const queue = [...tasks];
  await Promise.all(Array.from({ length: width }, async () => {
    while (queue.length > 0) await queue.shift()();
  }));
}
