/**
 * The real Prometheus server (Debian's `prometheus` package) for tests and the demo stack:
 * started on 127.0.0.1 with a temporary data directory, stopped and cleaned up on demand.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, within } from './index.js';

/** Fails loudly where the real-server tests cannot run: CI installs the binary (`.ci/run`). */
export function requireBinary(bin: 'prometheus' | 'promtool'): string {
  const found = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '') {
    throw new Error(`!!! '${bin}' is not installed: the real-Prometheus tests cannot run. Install it (Debian: apt-get install prometheus), as .ci/run does.`);
  }
  return path;
}

/** `promtool check metrics` over an exposition: its exit status and complaint lines. */
export function promtoolCheckMetrics(exposition: string): { status: number | null; problems: string[] } {
  const r = spawnSync(requireBinary('promtool'), ['check', 'metrics'], { input: exposition, encoding: 'utf8', timeout: 10_000 });
  if (r.error !== undefined) throw r.error;
  const problems = `${r.stdout}\n${r.stderr}`.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return { status: r.status, problems };
}

/** One sample of an instant query's result vector. */
export interface QuerySample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

/** A rule as `/api/v1/rules` reports it. */
export interface LoadedRule {
  readonly name: string;
  readonly query: string;
  readonly health: string;
  readonly lastError?: string;
  readonly type: 'alerting' | 'recording';
}

/** A Prometheus server running on 127.0.0.1. */
export interface PrometheusServer {
  readonly url: string;
  /** An instant query; the result vector (throws with Prometheus' error for a bad query). */
  query(promql: string): Promise<QuerySample[]>;
  /** The label sets of every series matching `match`. */
  series(match: string): Promise<Record<string, string>[]>;
  /** Metric metadata (type, help) as scraped, by family name. */
  metadata(): Promise<Record<string, { type: string; help: string }[]>>;
  /** Every loaded rule with its evaluation health. */
  rules(): Promise<LoadedRule[]>;
  /** Stops the server and removes its data directory. Idempotent. */
  stop(): Promise<void>;
}

/** How to start {@link startPrometheus}. */
export interface PrometheusServerOptions {
  /** host:port targets scraped at /metrics under job `job` (default `joerl`). */
  readonly targets: readonly string[];
  readonly job?: string;
  /** Scrape and rule-evaluation interval, seconds (default 1). */
  readonly intervalS?: number;
  /** Absolute paths of rule files to load. */
  readonly ruleFiles?: readonly string[];
  /** Port to listen on (default: a free one). */
  readonly port?: number;
  /** Keep its log on stderr (default false: only warnings are kept, for error messages). */
  readonly inheritLog?: boolean;
}

/**
 * Starts the `prometheus` binary with a temporary data directory and a scrape config; resolves
 * once it reports ready. On failure everything started is cleaned up.
 */
export async function startPrometheus(options: PrometheusServerOptions | string): Promise<PrometheusServer> {
  const opts: PrometheusServerOptions = typeof options === 'string' ? { targets: [options] } : options;
  const bin = requireBinary('prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'joerl-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  const interval = `${opts.intervalS ?? 1}s`;
  writeFileSync(
    config,
    [
      'global:',
      `  scrape_interval: ${interval}`,
      `  scrape_timeout: ${interval}`,
      `  evaluation_interval: ${interval}`,
      ...(opts.ruleFiles === undefined || opts.ruleFiles.length === 0 ? [] : ['rule_files:', ...opts.ruleFiles.map((f) => `  - ${JSON.stringify(f)}`)]),
      'scrape_configs:',
      `  - job_name: ${opts.job ?? 'joerl'}`,
      '    static_configs:',
      `      - targets: [${opts.targets.map((t) => `'${t}'`).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(bin, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], {
    stdio: ['ignore', 'ignore', opts.inheritLog === true ? 'inherit' : 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      process.off('exit', killOnExit);
      await killAndWait(child, exited);
      rmSync(dir, { recursive: true, force: true });
    })());

  try {
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (e) => reject(new Error(`prometheus could not start: ${String(e)}`)));
      void exited.then(() => reject(new Error(`prometheus exited before it was ready: ${stderr}`)));
    });
    failed.catch(() => undefined);
    await Promise.race([failed, poll(`Prometheus at ${url} to be ready`, 15_000, async () => (await fetchOk(`${url}/-/ready`)) || undefined)]);
  } catch (error) {
    await stop();
    throw error;
  }

  const api = async <T>(path: string): Promise<T> => {
    const res = await within(fetch(`${url}${path}`), 5000, `GET ${path}`);
    const text = await res.text();
    const body = JSON.parse(text) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error ?? text}`);
    return body.data;
  };
  return {
    url,
    query: async (promql) => (await api<{ result: QuerySample[] }>(`/api/v1/query?query=${encodeURIComponent(promql)}`)).result,
    series: (match) => api<Record<string, string>[]>(`/api/v1/series?match[]=${encodeURIComponent(match)}`),
    metadata: () => api<Record<string, { type: string; help: string }[]>>('/api/v1/metadata'),
    rules: async () => (await api<{ groups: { rules: LoadedRule[] }[] }>('/api/v1/rules')).groups.flatMap((g) => g.rules),
    stop,
  };
}

async function killAndWait(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  try {
    await within(exited, 5000, 'prometheus to stop');
  } catch {
    child.kill('SIGKILL');
    await within(exited, 5000, 'prometheus to die');
  }
}

async function fetchOk(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

/**
 * Asks `check` again and again (every 200 ms) until it returns a value, or fails after `ms` with
 * the last state: how tests wait for something an external server does (a scrape showing up).
 */
export async function poll<T>(what: string, ms: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown = 'nothing yet';
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what} (last: ${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
