#!/usr/bin/env node
// What every published package.json, README and changeset must hold (RELEASING.md says why).
// Reads files only: no build, no network, well under a second. Every non-private workspace
// package is checked, so a new package is held to the same rules the day it is added.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_ENGINES, publicPackages, Report, REPOSITORY, root, SOURCE_CONDITION, workspacePackages } from './workspace.mjs';

const report = new Report('package checks');
const all = workspacePackages();
const byName = new Map(all.map((p) => [p.json.name, p]));
const published = publicPackages();
const DEP_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'];

console.log(`package checks (${published.length} published packages: ${published.map((p) => p.json.name).join(', ')})`);
for (const pkg of published) {
  const problems = manifestProblems(pkg);
  report.check(problems.length === 0, `${pkg.json.name}: metadata, exports, engines, ranges, README install line`, problems.join('\n'));
}

const rootJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
report.check(rootJson.engines?.node === NODE_ENGINES, 'root package.json: engines.node', `expected "${NODE_ENGINES}", found ${JSON.stringify(rootJson.engines?.node)}`);

const configProblems = changesetConfigProblems();
report.check(configProblems.length === 0, '.changeset/config.json: peer-dependent policy, private packages ignored', configProblems.join('\n'));
const pendingProblems = pendingChangesetProblems();
report.check(pendingProblems.length === 0, '.changeset/*.md: pending changesets name published packages with an allowed bump', pendingProblems.join('\n'));
report.finish();

function manifestProblems({ rel, dir, json }) {
  const p = [];
  const want = (ok, message) => {
    if (!ok) p.push(message);
  };
  for (const field of ['name', 'version', 'description', 'license', 'author']) want(typeof json[field] === 'string' && json[field].length > 0, `"${field}" is missing`);
  want(json.license === 'MIT', `"license" is ${JSON.stringify(json.license)}, not "MIT" (the LICENSE file)`);
  want(Array.isArray(json.keywords) && json.keywords.length > 0, '"keywords" is missing or empty');
  const repo = json.repository ?? {};
  want(repo.type === 'git' && repo.url === `git+${REPOSITORY}.git` && repo.directory === rel, `"repository" should be { "type": "git", "url": "git+${REPOSITORY}.git", "directory": "${rel}" }`);
  want(json.homepage === `${REPOSITORY}/tree/main/${rel}#readme`, `"homepage" should be "${REPOSITORY}/tree/main/${rel}#readme"`);
  want(json.bugs?.url === `${REPOSITORY}/issues`, `"bugs" should be { "url": "${REPOSITORY}/issues" }`);
  want(json.type === 'module', '"type" should be "module"');
  want(json.sideEffects === false, '"sideEffects" should be false');
  want(json.engines?.node === NODE_ENGINES, `"engines.node" should be "${NODE_ENGINES}" (require() of ES modules), found ${JSON.stringify(json.engines?.node)}`);
  want(Array.isArray(json.files) && json.files.includes('dist'), '"files" should include "dist"');
  if (json.name.startsWith('@')) want(json.publishConfig?.access === 'public', '"publishConfig.access" should be "public" (a scoped package is private on its first publish otherwise)');
  want(existsSync(join(dir, 'LICENSE')), 'no LICENSE file next to package.json (npm packs it from there)');
  want(existsSync(join(dir, 'README.md')), 'no README.md');

  const exportsMap = json.exports;
  want(exportsMap !== null && typeof exportsMap === 'object' && exportsMap['.'] !== undefined, '"exports" has no "." entry');
  want(exportsMap?.['./package.json'] === './package.json', '"exports" should expose "./package.json"');
  for (const [subpath, target] of Object.entries(exportsMap ?? {})) {
    if (typeof target !== 'object' || target === null) continue;
    const conditions = Object.keys(target);
    want(conditions[0] === SOURCE_CONDITION, `exports["${subpath}"]: "${SOURCE_CONDITION}" should come first (tests resolve source through it)`);
    want(conditions.includes('types') && conditions.indexOf('types') === 1, `exports["${subpath}"]: "types" should come right after "${SOURCE_CONDITION}"`);
    want(conditions.at(-1) === 'default', `exports["${subpath}"]: "default" should come last (require() of ESM, bundlers)`);
  }

  for (const field of [...DEP_FIELDS, 'devDependencies']) {
    for (const [dep, range] of Object.entries(json[field] ?? {})) {
      const target = byName.get(dep);
      if (target === undefined) continue;
      if (field === 'devDependencies') {
        want(range === 'workspace:*', `${field}["${dep}"] should be "workspace:*", found "${range}"`);
        continue;
      }
      want(target.json.private !== true, `${field}["${dep}"]: ${dep} is private and is never published`);
      want(range === 'workspace:^', `${field}["${dep}"] should be "workspace:^" (published as ^<its version>; RELEASING.md), found "${range}"`);
    }
  }

  const readme = existsSync(join(dir, 'README.md')) ? readFileSync(join(dir, 'README.md'), 'utf8') : '';
  const commands = installCommands(readme).filter((c) => c.split(' ').includes(json.name));
  if (commands.length === 0) p.push(`README.md has no install command (\`npm install\` / \`pnpm add\` ...) naming ${json.name}`);
  for (const command of commands) {
    const missing = missingPeers(command.split(' '));
    want(missing.length === 0, `README.md install line \`${command}\` leaves out the required peers ${missing.join(', ')} (yarn classic does not add peers)`);
  }
  return p;
}

/**
 * The required (non-optional) peers of everything an install command brings in, itself and the
 * workspace packages those depend on, that the command neither names nor brings in.
 */
function missingPeers(tokens) {
  const brought = new Set();
  const visit = (name) => {
    const pkg = byName.get(name);
    if (pkg === undefined || brought.has(name)) return;
    brought.add(name);
    for (const dep of Object.keys(pkg.json.dependencies ?? {})) visit(dep);
  };
  for (const t of tokens) visit(t);
  const missing = new Set();
  for (const name of brought) {
    const { peerDependencies = {}, peerDependenciesMeta = {} } = byName.get(name).json;
    for (const peer of Object.keys(peerDependencies)) {
      if (peerDependenciesMeta[peer]?.optional !== true && !brought.has(peer) && !tokens.includes(peer)) missing.add(peer);
    }
  }
  return [...missing].sort();
}

/** Install commands in the README's shell blocks, backslash continuations joined, comments cut. */
function installCommands(readme) {
  const found = [];
  for (const block of readme.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)) {
    const lines = block[1].replace(/\\\n\s*/g, ' ').split('\n');
    for (const line of lines) {
      const command = line.replace(/\s+#.*$/, '').trim();
      if (/^(npm (install|i)|pnpm add|yarn add|bun add)\s/.test(command)) found.push(command.replace(/\s+/g, ' '));
    }
  }
  return found.map((c) => c.trim());
}

function changesetConfigProblems() {
  const config = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8'));
  const p = [];
  // changesets 2.x reads only this key; any other spelling is silently ignored.
  if (config.___experimentalUnsafeOptions_WILL_CHANGE_IN_PATCH?.onlyUpdatePeerDependentsWhenOutOfRange !== true) {
    p.push('"___experimentalUnsafeOptions_WILL_CHANGE_IN_PATCH": { "onlyUpdatePeerDependentsWhenOutOfRange": true } is missing: changesets would then release every peer dependent as a new major whenever core has a minor or major');
  }
  for (const key of Object.keys(config)) if (key.startsWith('___') && key !== '___experimentalUnsafeOptions_WILL_CHANGE_IN_PATCH') p.push(`"${key}" is not read by changesets 2.x`);
  if (config.access !== 'public') p.push('"access" should be "public"');
  const privateNames = all.filter((q) => q.json.private === true).map((q) => q.json.name).sort();
  const ignored = [...(config.ignore ?? [])].sort();
  if (JSON.stringify(privateNames) !== JSON.stringify(ignored)) p.push(`"ignore" should list exactly the private packages: ${JSON.stringify(privateNames)}, found ${JSON.stringify(ignored)}`);
  return p;
}

function pendingChangesetProblems() {
  const p = [];
  const dir = join(root, '.changeset');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
    const text = readFileSync(join(dir, file), 'utf8');
    const front = /^---\n([\s\S]*?)\n---/.exec(text);
    if (!front) {
      p.push(`${file}: no front matter`);
      continue;
    }
    for (const line of front[1].split('\n').filter((l) => l.trim())) {
      const m = /^\s*["']?([^"':]+)["']?\s*:\s*(patch|minor|major)\s*$/.exec(line);
      if (!m) {
        p.push(`${file}: cannot read "${line}"`);
        continue;
      }
      const [, name, bump] = m;
      const pkg = byName.get(name);
      if (pkg === undefined) p.push(`${file}: no package named ${name}`);
      else if (pkg.json.private === true) p.push(`${file}: ${name} is private and never released`);
      else if (bump === 'minor' && pkg.json.version.startsWith('0.')) {
        p.push(`${file}: "${name}": minor. A 0.x minor leaves every dependent's ^0.${pkg.json.version.split('.')[1]} range and changesets would release each of them as 1.0.0: release compatible changes as patches, a breaking one as described in RELEASING.md`);
      }
    }
  }
  return p;
}
