import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The ```ts code blocks of a README, in order. */
export function readmeCodeBlocks(readmePath: string): string[] {
  const text = readFileSync(readmePath, 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

/**
 * Runs an example module and returns what it printed with console.log, one string per call.
 * Examples are real files (type-checked with the package); the README must show them verbatim.
 */
export async function runExample(file: string): Promise<string[]> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => {
    lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  };
  try {
    await import(`${file}?run=${Date.now()}`);
  } finally {
    console.log = original;
  }
  return lines;
}

/** Reads an example file's text. */
export function exampleSource(dir: string, name: string): string {
  return readFileSync(join(dir, name), 'utf8');
}
