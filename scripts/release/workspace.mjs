// The workspace as the release checks see it: every package directory named by
// pnpm-workspace.yaml, and which of them are published (not `private`). A new package is held to
// every check as soon as it exists: nothing lists packages by hand.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The public URL every package links to. Placeholder until confirmed: see RELEASING.md. */
export const REPOSITORY = 'https://github.com/joerl-js/joerl';
/** Node versions with `require()` of ES modules unflagged (20.19, 22.12). */
export const NODE_ENGINES = '^20.19.0 || >=22.12.0';
/** The export condition tests resolve to source with; first in every exports entry. */
export const SOURCE_CONDITION = '@joerl/source';

/** `{ dir, rel, json }` for every workspace package, private ones included. */
export function workspacePackages() {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const globs = [];
  let inPackages = false;
  for (const line of yaml.split('\n')) {
    if (/^packages:\s*$/.test(line)) inPackages = true;
    else if (/^\S/.test(line)) inPackages = false;
    else if (inPackages) {
      const m = /^\s+-\s+['"]?([^'"]+?)['"]?\s*$/.exec(line);
      if (m) globs.push(m[1]);
    }
  }
  const found = [];
  for (const glob of globs) {
    if (!glob.endsWith('/*') || glob.slice(0, -2).includes('*')) throw new Error(`pnpm-workspace.yaml: the release checks only understand 'dir/*' globs, not '${glob}'`);
    const base = join(root, glob.slice(0, -2));
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      const dir = join(base, name);
      const file = join(dir, 'package.json');
      if (existsSync(file)) found.push({ dir, rel: `${glob.slice(0, -2)}/${name}`, json: JSON.parse(readFileSync(file, 'utf8')) });
    }
  }
  return found;
}

/** The packages that are published. */
export function publicPackages() {
  return workspacePackages().filter((p) => p.json.private !== true);
}

/** Runs a command; returns `{ status, stdout, stderr, ms }` and never throws. */
export function run(cmd, args, options = {}) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  return { status: r.status ?? 1, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : ''), ms: Date.now() - started };
}

/** Collects pass/fail lines and prints them as they come. */
export class Report {
  constructor(title) {
    this.title = title;
    this.failures = [];
    this.passes = 0;
    this.started = Date.now();
  }
  pass(what, ms) {
    this.passes++;
    console.log(`  ok    ${what}${ms === undefined ? '' : ` (${(ms / 1000).toFixed(1)} s)`}`);
  }
  fail(what, detail = '') {
    this.failures.push(what);
    console.log(`  FAIL  ${what}`);
    const text = String(detail).trim();
    if (text) console.log(text.split('\n').map((l) => `        ${l}`).join('\n'));
  }
  check(ok, what, detail, ms) {
    if (ok) this.pass(what, ms);
    else this.fail(what, detail);
    return ok;
  }
  /** Prints the closing line and exits non-zero on any failure. */
  finish() {
    const s = ((Date.now() - this.started) / 1000).toFixed(1);
    if (this.failures.length === 0) console.log(`${this.title}: all ${this.passes} checks ok in ${s} s`);
    else console.log(`${this.title}: ${this.failures.length} of ${this.passes + this.failures.length} checks FAILED in ${s} s (${this.failures.join('; ')})`);
    process.exitCode = this.failures.length === 0 ? 0 : 1;
  }
}
