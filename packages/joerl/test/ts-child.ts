/**
 * Running the workspace's TypeScript sources in a plain `node` child process, as vitest does
 * in-process: module hooks (written to a temporary directory, since they must be JavaScript) make
 * `.js` specifiers fall back to the `.ts` file next to them and erase types with the TypeScript
 * compiler; the `@joerl/source` condition points packages at their sources.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const HOOKS = (typescript: string) => `
import { readFile } from 'node:fs/promises';
import ts from ${JSON.stringify(typescript)};

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (specifier.endsWith('.js') && (specifier.startsWith('.') || specifier.startsWith('/'))) {
      return nextResolve(specifier.slice(0, -3) + '.ts', context);
    }
    throw error;
  }
}

export async function load(url, context, nextLoad) {
  if (!url.endsWith('.ts')) return nextLoad(url, context);
  const source = await readFile(new URL(url), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: url,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
  });
  return { format: 'module', source: outputText, shortCircuit: true };
}
`;

let args: string[] | null = null;

/** The `node` arguments that run a `.ts` entry point from source: `spawn(process.execPath, [...tsNodeArgs(), 'app.ts'])`. */
export function tsNodeArgs(): string[] {
  if (args !== null) return args;
  const dir = mkdtempSync(join(tmpdir(), 'joerl-ts-'));
  const typescript = pathToFileURL(createRequire(import.meta.url).resolve('typescript')).href;
  writeFileSync(join(dir, 'hooks.mjs'), HOOKS(typescript));
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);
  args = ['--conditions=@joerl/source', '--import', pathToFileURL(join(dir, 'register.mjs')).href];
  return args;
}
