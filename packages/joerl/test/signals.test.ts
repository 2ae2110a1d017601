import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { within } from '@joerl/test-utils';
import { tsNodeArgs } from './ts-child.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Starts fixtures/signal-app.ts in its own Node process (from source) and resolves once it serves. */
async function service(mode: 'default' | 'keep-alive'): Promise<{ child: ChildProcess; output: () => string; livez: string }> {
  const child = spawn(process.execPath, [...tsNodeArgs(), 'signal-app.ts', mode], {
    cwd: fixtures,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /^ready (\S+)$/m.exec(out);
      if (m !== null) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the service exited (${code}) before it was ready: ${err}`)));
  });
  // Loading and transpiling the sources takes seconds on a busy machine: a guard, not a wait.
  const livez = await within(ready, 60_000, 'the service to start');
  return { child, output: () => out, livez };
}

describe('start().shutdownOnSignals()', () => {
  it('on SIGTERM runs every terminate and exits with 0, though the app’s own HTTP server is still open', async () => {
    const { child, output, livez } = await service('default');
    expect((await fetch(livez)).status).toBe(200);
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    child.kill('SIGTERM');
    const [code, signal] = await within(exited, 30_000, 'the service to exit after SIGTERM');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(output()).toContain('terminated\n');
  }, 120_000);

  it('with exit: false stops joerl and leaves the exit to the app', async () => {
    const { child, output } = await service('keep-alive');
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    child.kill('SIGTERM');
    const [code, signal] = await within(exited, 30_000, 'the service to exit after closing its own server');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    // The app saw joerl's shutdown complete, then closed its server itself: only then did it exit.
    expect(output()).toMatch(/terminated\n[^]*closed by the app\n/);
  }, 120_000);
});
