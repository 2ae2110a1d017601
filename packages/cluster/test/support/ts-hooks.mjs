// Module hooks that let a child node process run the workspace's TypeScript sources, as vitest
// does for the tests (Node 20 cannot strip types itself). Used with --conditions=@joerl/source.
// Transpiled files are cached by content hash, so the nodes of one test pay for TypeScript once.
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cacheDir = join(tmpdir(), `joerl-ts-cache-${process.getuid?.() ?? 0}`);
mkdirSync(cacheDir, { recursive: true });
let ts = null;

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (specifier.startsWith('.') && specifier.endsWith('.js')) return next(`${specifier.slice(0, -3)}.ts`, context);
    throw error;
  }
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const path = fileURLToPath(url);
  const source = await readFile(path, 'utf8');
  const cached = join(cacheDir, `${createHash('sha1').update(path).update('\0').update(source).digest('hex')}.js`);
  try {
    return { format: 'module', source: await readFile(cached, 'utf8'), shortCircuit: true };
  } catch {
    // not cached yet
  }
  ts ??= (await import('typescript')).default;
  const { outputText } = ts.transpileModule(source, {
    fileName: path,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, inlineSourceMap: true },
  });
  // Threads of one process share a pid: a unique temporary name, then an atomic rename.
  const tmp = `${cached}.${randomUUID()}.tmp`;
  try {
    await writeFile(tmp, outputText);
    await rename(tmp, cached);
  } catch {
    // another thread or process cached it first, or the cache is not writable: use what we made
  }
  return { format: 'module', source: outputText, shortCircuit: true };
}
