// Generates src/ui-assets.ts from ui/: the page, its script and its style as string constants,
// so the package serves them from memory with no file access and no CDN.
//   node scripts/bundle-ui.mjs          writes the module
//   node scripts/bundle-ui.mjs --check  exits 1 if the module is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const files = [
  ['/index.html', 'index.html', 'text/html; charset=utf-8'],
  ['/app.js', 'app.js', 'text/javascript; charset=utf-8'],
  ['/app.css', 'app.css', 'text/css; charset=utf-8'],
  ['/favicon.svg', 'favicon.svg', 'image/svg+xml'],
];
export function render() {
  const entries = files.map(([path, file, type]) => `  ${JSON.stringify(path)}: { type: ${JSON.stringify(type)}, body: ${JSON.stringify(readFileSync(join(root, 'ui', file), 'utf8'))} },`);
  return `/**
 * The observer's page, script and style, generated from \`ui/\` by \`scripts/bundle-ui.mjs\`
 * (do not edit: edit \`ui/\` and run \`pnpm -F @joerl/observer bundle-ui\`).
 *
 * @module
 */

/** @internal a static asset */
export interface UiAsset {
  readonly type: string;
  readonly body: string;
}

/** @internal the assets by path */
export const UI_ASSETS: Readonly<Record<string, UiAsset | undefined>> = Object.freeze({
${entries.join('\n')}
});
`;
}
const out = join(root, 'src', 'ui-assets.ts');
if (process.argv.includes('--check')) {
  if (readFileSync(out, 'utf8') !== render()) {
    console.error('src/ui-assets.ts is out of date: run pnpm -F @joerl/observer bundle-ui');
    process.exit(1);
  }
} else writeFileSync(out, render());
