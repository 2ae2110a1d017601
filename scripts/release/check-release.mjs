#!/usr/bin/env node
// Can a release be cut from this commit? `changeset status` (every changed package has a
// changeset, and the release plan bumps no package further than a changeset asked), then
// `pnpm -r publish --dry-run` (needs the build: run after `pnpm build`).
//
// changeset status compares against a base branch. CI clones main, so `main` is there; a
// detached or shallow checkout may have only `origin/main`, or nothing to compare with
// (`--since=HEAD`, and the output says so). The release plan is computed from every pending
// changeset either way.
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Report, root, run } from './workspace.mjs';

const report = new Report('release checks');
const changeset = join(root, 'node_modules', '.bin', 'changeset');

const git = (...args) => run('git', args, { cwd: root });
if (git('rev-parse', '--is-inside-work-tree').status !== 0) {
  console.log('  note  not a git checkout: changeset status needs git, skipped');
} else {
  let since = 'HEAD';
  for (const ref of ['main', 'origin/main']) {
    if (git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`).status === 0 && git('merge-base', ref, 'HEAD').status === 0) {
      since = ref;
      break;
    }
  }
  if (since === 'HEAD') console.log('  note  no main branch with a common ancestor (detached or shallow checkout): nothing to compare changed packages with');
  const r = run(changeset, ['status', `--since=${since}`], { cwd: root });
  report.check(r.status === 0, `changeset status --since=${since}: every package changed since then has a changeset`, r.stdout + r.stderr, r.ms);
}

// The release `changeset version` would make of every pending changeset, computed by changesets'
// own planner (a dependency of @changesets/cli, reached from there).
const cli = createRequire(realpathSync(join(root, 'node_modules', '@changesets', 'cli', 'package.json')));
const packages = await cli('@manypkg/get-packages').getPackages(root);
const config = await cli('@changesets/config').read(root, packages);
const pending = await cli('@changesets/read').default(root);
const plan = cli('@changesets/assemble-release-plan').default(pending, packages, config, undefined);
const asked = new Map();
for (const c of plan.changesets) for (const rel of c.releases) asked.set(rel.name, [...(asked.get(rel.name) ?? []), rel.type]);
const releases = plan.releases.filter((rel) => rel.type !== 'none');
const forced = releases.filter((rel) => rel.type === 'major' && !(asked.get(rel.name) ?? []).includes('major'));
report.check(
  forced.length === 0,
  `release plan of ${pending.length} pending changesets: ${releases.map((rel) => `${rel.name} ${rel.oldVersion} → ${rel.newVersion}`).join(', ') || 'nothing'}; no major that no changeset asked for`,
  forced.map((rel) => `${rel.name} would go ${rel.oldVersion} → ${rel.newVersion} only because a peer leaves its range: see RELEASING.md, "A breaking change"`).join('\n'),
);

const p = run('pnpm', ['-r', 'publish', '--dry-run', '--no-git-checks'], { cwd: root });
const would = (p.stdout.match(/^📦 .*$/gm) ?? []).map((l) => l.replace(/^📦 (\S+) .*$/, '$1'));
report.check(p.status === 0 && would.length > 0, `pnpm -r publish --dry-run: ${would.join(', ')}`, p.stdout + p.stderr, p.ms);
report.finish();
