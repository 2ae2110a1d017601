import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ActorSystem } from '@joerl/core';
import { createTelemetry, defineMetric, type MetricDef, type MetricSource, type TelemetryOptions } from '@joerl/telemetry';
import { deferred, freePort, within } from '@joerl/test-utils';

export { freePort, scriptedWorkload, within } from '@joerl/test-utils';

/** A system with telemetry that times every message, with no event-loop monitor and no logging. */
export function instrumented(options: TelemetryOptions = {}) {
  const telemetry = createTelemetry({ sampling: { timing: 1, calls: 1 }, eventLoop: false, logger: null, ...options });
  const system = new ActorSystem({ instrumentation: telemetry, logger: null });
  return { telemetry, system };
}

/** A histogram in seconds with buckets (0, 1 ms], (1 ms, 10 ms], (10 ms, 100 ms], (100 ms, +Inf). */
export const LATENCY: MetricDef = defineMetric('joerl_test_latency_seconds', 'histogram', 's', ['route'], 'runtime', 'collected', 'A test histogram.', [0.001, 0.01, 0.1]);
/** A gauge in seconds. */
export const AGE: MetricDef = defineMetric('joerl_test_age_seconds', 'gauge', 's', [], 'runtime', 'collected', 'A test gauge.');

/** A metric source reporting {@link LATENCY} (for one route) and {@link AGE} with values a test sets. */
export function fixedSource(route = 'home'): MetricSource & { observe(perBucket: readonly number[], sum: number): void; age: number } {
  let counts: readonly number[] = [0, 0, 0, 0];
  let total = 0;
  return {
    name: 'test',
    defs: [LATENCY, AGE],
    age: 0,
    observe(perBucket, sum) {
      counts = counts.map((c, i) => c + (perBucket[i] ?? 0));
      total += sum;
    },
    collect() {
      const cumulative = counts.map((_, i) => counts.slice(0, i + 1).reduce((a, b) => a + b, 0));
      return [
        { def: LATENCY, samples: [{ labels: { route }, bounds: LATENCY.buckets ?? [], cumulative, sum: total, count: cumulative[cumulative.length - 1] ?? 0 }] },
        { def: AGE, samples: [{ labels: {}, value: this.age }] },
      ];
    },
  };
}

/** One StatsD line, parsed: DogStatsD `name:v|t|@r|#k:v` or Telegraf `name,k=v:v|t|@r`. */
export interface StatsdLine {
  readonly raw: string;
  readonly name: string;
  readonly value: number;
  readonly type: string;
  /** The `|@rate`, 1 if absent. */
  readonly rate: number;
  readonly tags: Readonly<Record<string, string>>;
}

/** Parses one line; throws on anything malformed, so a test fails on the first bad line. */
export function parseLine(raw: string): StatsdLine {
  const colon = raw.indexOf(':');
  if (colon <= 0) throw new Error(`no name:value in ${JSON.stringify(raw)}`);
  const head = raw.slice(0, colon);
  const [value = '', type = '', ...fields] = raw.slice(colon + 1).split('|');
  const tags: Record<string, string> = {};
  const [name = '', ...telegrafTags] = head.split(',');
  for (const tag of telegrafTags) {
    const eq = tag.indexOf('=');
    if (eq <= 0) throw new Error(`bad Telegraf tag ${JSON.stringify(tag)} in ${JSON.stringify(raw)}`);
    tags[tag.slice(0, eq)] = tag.slice(eq + 1);
  }
  let rate = 1;
  for (const field of fields) {
    if (field.startsWith('@')) rate = Number(field.slice(1));
    else if (field.startsWith('#')) {
      for (const tag of field.slice(1).split(',')) {
        const sep = tag.indexOf(':');
        if (sep <= 0) throw new Error(`bad DogStatsD tag ${JSON.stringify(tag)} in ${JSON.stringify(raw)}`);
        tags[tag.slice(0, sep)] = tag.slice(sep + 1);
      }
    } else throw new Error(`unknown field ${JSON.stringify(field)} in ${JSON.stringify(raw)}`);
  }
  if (!/^-?\d+(\.\d+)?$/.test(value)) throw new Error(`value ${JSON.stringify(value)} is not a plain number in ${JSON.stringify(raw)}`);
  if (!['c', 'g', 'ms', 'h', 's', 'd'].includes(type)) throw new Error(`unknown type ${JSON.stringify(type)} in ${JSON.stringify(raw)}`);
  if (!(rate > 0 && rate <= 1)) throw new Error(`bad sample rate in ${JSON.stringify(raw)}`);
  return { raw, name, value: Number(value), type, rate, tags };
}

/** A UDP listener on 127.0.0.1 that parses every datagram it receives. */
export interface UdpSink {
  readonly port: number;
  /** Raw datagrams, in arrival order. */
  readonly datagrams: string[];
  /** Every well-formed line of every datagram, parsed. */
  readonly lines: StatsdLine[];
  /** Lines that did not parse, with the reason. */
  readonly malformed: string[];
  /** Resolves once `done(lines)` holds, checked on every datagram; rejects after `ms`. */
  waitFor(done: (lines: readonly StatsdLine[]) => boolean, what: string, ms?: number): Promise<void>;
  close(): Promise<void>;
}

export async function udpSink(): Promise<UdpSink> {
  const socket = createSocket('udp4');
  const datagrams: string[] = [];
  const lines: StatsdLine[] = [];
  const malformed: string[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (msg) => {
    const text = msg.toString('utf8');
    datagrams.push(text);
    for (const line of text.split('\n')) {
      if (line.length === 0) continue;
      try {
        lines.push(parseLine(line));
      } catch (error) {
        malformed.push(String(error));
      }
    }
    for (const w of [...waiters]) w();
  });
  const bound = deferred();
  socket.once('listening', () => bound.resolve());
  socket.bind(0, '127.0.0.1');
  await bound.promise;
  return {
    port: socket.address().port,
    datagrams,
    lines,
    malformed,
    waitFor(done, what, ms = 5000) {
      if (done(lines)) return Promise.resolve();
      const d = deferred();
      const check = () => {
        if (!done(lines)) return;
        waiters.delete(check);
        d.resolve();
      };
      waiters.add(check);
      return within(d.promise, ms, what).finally(() => waiters.delete(check));
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** Sum of the values of lines named `name` (optionally with these tags), each scaled by 1/rate. */
export function sumOf(lines: readonly StatsdLine[], name: string, tags: Readonly<Record<string, string>> = {}, type = 'c'): number {
  let total = 0;
  for (const l of lines) if (l.name === name && l.type === type && hasTags(l, tags)) total += l.value / l.rate;
  return total;
}

/** Lines named `name` of `type` (optionally with these tags). */
export function linesOf(lines: readonly StatsdLine[], name: string, type: string, tags: Readonly<Record<string, string>> = {}): StatsdLine[] {
  return lines.filter((l) => l.name === name && l.type === type && hasTags(l, tags));
}

function hasTags(line: StatsdLine, tags: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(tags)) if (line.tags[k] !== v) return false;
  return true;
}

/** The real Etsy statsd daemon (npm `statsd`), on loopback ports, repeating every packet to a sink. */
export interface StatsdDaemon {
  /** Its UDP port. */
  readonly port: number;
  /** Sends a management command (`counters`, `gauges`, `timers`...) and returns the reply up to `END`. */
  manage(command: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts `node stats.js <config>` with the repeater backend forwarding to `repeatTo`, and resolves
 * once a probe sent to it has come back through the repeater (it logs "up" before its UDP socket
 * is ready, so the probe is resent until it arrives). Counters never flush within a test (1 h).
 */
export async function startStatsdDaemon(repeatTo: UdpSink): Promise<StatsdDaemon> {
  const dir = dirname(createRequire(import.meta.url).resolve('statsd/stats.js'));
  const port = await freeUdpPort();
  const mgmtPort = await freePort();
  const tmp = await mkdtemp(join(tmpdir(), 'joerl-statsd-'));
  const config = join(tmp, 'config.js');
  await writeFile(
    config,
    JSON.stringify({
      address: '127.0.0.1',
      port,
      mgmt_address: '127.0.0.1',
      mgmt_port: mgmtPort,
      flushInterval: 3_600_000,
      automaticConfigReload: false,
      backends: ['./backends/repeater'],
      repeater: [{ host: '127.0.0.1', port: repeatTo.port }],
    }),
  );
  const child = spawn(process.execPath, [join(dir, 'stats.js'), config], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    await rm(tmp, { recursive: true, force: true });
  };
  const probe = createSocket('udp4');
  const resend = setInterval(() => probe.send('joerl_probe:1|c', port, '127.0.0.1'), 50);
  try {
    await repeatTo.waitFor((lines) => lines.some((l) => l.name === 'joerl_probe'), `the statsd daemon to repeat a probe (its output: ${output})`, 10_000);
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearInterval(resend);
    probe.close();
  }
  return {
    port,
    stop,
    manage: (command) =>
      new Promise((resolve, reject) => {
        const socket = connect(mgmtPort, '127.0.0.1');
        let reply = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => {
          reply += chunk;
          if (reply.includes('END\n')) {
            socket.end();
            resolve(reply);
          }
        });
        socket.on('error', reject);
        socket.write(`${command}\n`);
      }),
  };
}

/** A UDP port on 127.0.0.1 free a moment ago. */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  const bound = deferred();
  socket.once('listening', () => bound.resolve());
  socket.bind(0, '127.0.0.1');
  await bound.promise;
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** `'key': number` entries of a management reply (util.inspect of the daemon's counters or gauges). */
export function parseNumbers(reply: string): Record<string, number> {
  return Object.fromEntries([...reply.matchAll(/'([^']+)': (-?[\d.]+(?:e[+-]?\d+)?)/g)].map((m) => [m[1]!, Number(m[2])]));
}

/** How many values each timer holds, from a `timers` reply (util.inspect elides arrays past 100 as "... N more items"). */
export function parseTimerCounts(reply: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of reply.matchAll(/'([^']+)': \[([^\]]*)\]/g)) {
    let body = m[2]!;
    let more = 0;
    body = body.replace(/\.\.\. (\d+) more items?/, (_, n: string) => {
      more = Number(n);
      return '';
    });
    out[m[1]!] = (body.match(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/g)?.length ?? 0) + more;
  }
  return out;
}
