/**
 * A real nats-server on a free loopback port, for one suite: started with JetStream in a fresh
 * directory, stopped by pid.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './index.js';

/** Fails loudly where the real-server tests cannot run: CI installs the binary (`.ci/run`). */
export function natsServerBinary(): string {
  const found = spawnSync('sh', ['-c', 'command -v nats-server || ls /usr/sbin/nats-server'], { encoding: 'utf8' });
  const path = found.stdout.trim().split('\n')[0] ?? '';
  if (path === '') throw new Error('nats-server is not installed: `apt-get install nats-server` (scripts/test.mjs and .ci/run install it)');
  return path;
}

export class NatsServer {
  readonly port: number;
  readonly url: string;
  private readonly dir: string;
  private proc: ChildProcess | null = null;

  private constructor(port: number) {
    this.port = port;
    this.url = `nats://127.0.0.1:${port}`;
    this.dir = mkdtempSync(join(tmpdir(), 'joerl-nats-'));
  }

  static async start(): Promise<NatsServer> {
    const server = new NatsServer(await freePort());
    await server.restart();
    return server;
  }

  /** Starts (again) on the same port and store. */
  async restart(): Promise<void> {
    const proc = spawn(natsServerBinary(), ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc = proc;
    // It logs "Server is ready" once it accepts clients (JetStream included).
    await new Promise<void>((resolve, reject) => {
      let log = '';
      const onData = (chunk: Buffer): void => {
        log += chunk.toString();
        if (log.includes('Server is ready')) {
          proc.stderr?.off('data', onData);
          proc.stderr?.resume();
          resolve();
        }
      };
      proc.stderr?.on('data', onData);
      proc.once('exit', (code) => reject(new Error(`nats-server exited (${code}): ${log.slice(-500)}`)));
    });
  }

  /** Stops it and resolves once the process has exited. */
  stop(): Promise<void> {
    const proc = this.proc;
    this.proc = null;
    if (proc === null || proc.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
