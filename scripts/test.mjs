#!/usr/bin/env node
// The README's test command: runs every package's tests in one vitest run and closes with the
// line CI reads: "N passed, N failed, N skipped". Real servers (Prometheus, nats-server) are installed
// first when missing and this machine can (root with apt-get), as on CI; so is Chromium, for the
// observer's browser tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const tools = [
  { bin: 'prometheus', pkg: 'prometheus' },
  { bin: 'nats-server', pkg: 'nats-server' },
  { bin: 'chromium', pkg: 'chromium' }, // the observer's browser tests (playwright-core drives it)
];
const missing = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t.bin}`]).status !== 0);
if (missing.length > 0) {
  const pkgs = missing.map((t) => t.pkg);
  const canApt = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
  if (canApt) {
    console.log(`installing ${pkgs.join(', ')} for the real-server tests (apt-get)...`);
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    const r = spawnSync('apt-get', ['install', '-y', '-qq', ...pkgs], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) console.error(`!!! could not install ${pkgs.join(', ')}: the real-server tests will fail`);
  } else {
    console.error(`!!! ${pkgs.join(', ')} not installed and this user cannot apt-get install it: the real-server tests will fail. Install it (Debian: apt-get install ${pkgs.join(' ')}).`);
  }
}

const out = join(root, '.vitest-results.json');
rmSync(out, { force: true });
const vitest = spawnSync(
  'pnpm',
  ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${out}`, ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } },
);
let summary = 'tests: 0 passed, 1 failed (no vitest results were written)';
if (existsSync(out)) {
  const r = JSON.parse(readFileSync(out, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  const failed = r.numFailedTests + (r.numFailedTestSuites > 0 && r.numFailedTests === 0 ? r.numFailedTestSuites : 0);
  summary = `tests: ${r.numPassedTests} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}
console.log(summary);
process.exit(vitest.status ?? 1);
