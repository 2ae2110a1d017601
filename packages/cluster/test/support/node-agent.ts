/**
 * A node in its own process, for the multi-process tests. Configured by argv (JSON), it joins
 * the cluster and starts a few actors; the test drives it by IPC and by messages.
 *
 *   pong  (name 'pong')  {ping, from} → from ! {pong, self, node}
 *   sink  (name 'sink')  {seq} checks the order; {report, from} → from ! {count, violations}
 *   kv    (name 'kv')    GenServer: {kind:'self'} → its pid, {kind:'get'} → 42, {kind:'echo', v} → v, {kind:'never'} → no reply,
 *                       {kind:'startStoppable', name, witness, terminateMs} → starts a 'stoppable' server (below), its pid;
 *                       cast {kind:'notify', to} → to ! 'notified'
 *   stoppable           GenServer whose terminate tells `witness` {terminated: reason} after `terminateMs` (-1: never returns)
 *   behaviours 'echo' (prefix) and 'quitter' for spawnOn
 */
import { ActorSystem, type Pid } from '@joerl/core';
import { type Call, GenServer, type GenServerDefinition } from '@joerl/gen';
import { createTelemetry, type Labels } from '@joerl/telemetry';
import { joinCluster } from '../../src/index.js';

interface Config {
  servers: string;
  node: string;
  cluster: string;
  heartbeatMs: number;
  heartbeatTimeoutMs: number;
  /** With telemetry: the 'value' and 'histogram' commands read it. */
  telemetry?: boolean;
}

const { telemetry: withTelemetry = false, ...config } = JSON.parse(process.argv[2] ?? '{}') as Config;
const telemetry = withTelemetry ? createTelemetry({ eventLoop: false, logger: null }) : null;
const system = new ActorSystem({ logger: null, instrumentation: telemetry });
const cluster = await joinCluster(system, { ...config, logger: null });

system.spawn<{ ping: unknown; from: Pid }>(
  (m, ctx) => {
    ctx.send(m.from, { pong: m.ping, self: ctx.self, node: cluster.node() });
  },
  { type: 'pong', name: 'pong' },
);

let expected = 0;
let violations = 0;
system.spawn<{ seq: number } | { report: true; from: Pid }>(
  (m, ctx) => {
    if ('seq' in m) {
      if (m.seq !== expected) violations++;
      expected = m.seq + 1;
    } else {
      ctx.send(m.from, { count: expected, violations });
    }
  },
  { type: 'sink', name: 'sink', mailbox: { capacity: Number.POSITIVE_INFINITY } },
);

interface Stoppable {
  readonly witness: Pid;
  readonly terminateMs: number;
}
const stoppable: GenServerDefinition<Stoppable, Stoppable> = {
  type: 'stoppable',
  init: (arg) => GenServer.ok(arg),
  terminate(reason, state, ctx) {
    if (state.terminateMs < 0) return new Promise<void>(() => undefined);
    const done = (): void => void ctx.send(state.witness, { terminated: reason });
    if (state.terminateMs === 0) return done();
    // The server's own slowness (what a stop waits for), not a test's synchronisation.
    return new Promise<void>((resolve) => setTimeout(() => resolve(done()), state.terminateMs));
  },
};

type KvCall = Call<{ kind: 'startStoppable'; name: string; witness: Pid; terminateMs: number }, Pid> | Call<{ kind: 'self' }, Pid> | Call<{ kind: 'get' }, number> | Call<{ kind: 'echo'; v: unknown }, unknown> | Call<{ kind: 'never' }, never> | Call<{ kind: 'slow'; ms: number }, 'slow'>;
const kv: GenServerDefinition<null, null, KvCall, { kind: 'set' } | { kind: 'notify'; to: Pid }> = {
  type: 'kv',
  init: () => GenServer.ok(null),
  handleCast(request, state, ctx) {
    if (request.kind === 'notify') ctx.send(request.to, 'notified');
    return GenServer.noreply(state);
  },
  async handleCall(request, _from, state, ctx) {
    switch (request.kind) {
      case 'startStoppable': {
        const ref = await GenServer.start(system, stoppable, { witness: request.witness, terminateMs: request.terminateMs }, { name: request.name });
        return GenServer.reply(ref.pid, state);
      }
      case 'self':
        return GenServer.reply(ctx.self, state);
      case 'get':
        return GenServer.reply(42, state);
      case 'echo':
        return GenServer.reply(request.v, state);
      case 'never':
        return GenServer.noreply(state);
      case 'slow':
        // Busy for `ms`: the server handles nothing else meanwhile.
        return new Promise((resolve) => setTimeout(() => resolve(GenServer.reply('slow' as const, state)), request.ms));
    }
  },
};
await GenServer.start(system, kv, null, { name: 'kv' });

cluster.registerBehaviour('echo', (prefix: string) => (m: { text: string; from: Pid }, ctx) => {
  ctx.send(m.from, `${prefix}${m.text}`);
});
cluster.registerBehaviour('quitter', () => ({ receive: () => undefined, init: (ctx) => ctx.stop() }));

const leader = system.spawn(() => undefined, { type: 'leader' });

process.on('message', (raw) => {
  const msg = raw as { id: number; cmd: string; name?: string; labels?: Labels };
  const answer = (result: unknown): void => {
    process.send?.({ id: msg.id, result });
  };
  switch (msg.cmd) {
    case 'race':
      void cluster.registerGlobal(msg.name ?? '', leader).then(answer, (e: unknown) => answer(String(e)));
      break;
    case 'stats':
      answer(cluster.stats());
      break;
    case 'links': {
      // What this node's info() lists for the actor registered as `name`: [node, id] pairs.
      const pid = system.whereis(msg.name ?? '');
      const info = pid === undefined ? undefined : system.info(pid);
      const pair = (p: Pid): [string, number] => [p.nodeName, p.id];
      answer(info === undefined ? null : { links: info.links.map(pair), monitors: info.monitors.map(pair) });
      break;
    }
    case 'value':
      answer(telemetry?.value(msg.name ?? '', msg.labels ?? {}) ?? null);
      break;
    case 'histogram': {
      const h = telemetry?.histogram(msg.name ?? '', msg.labels ?? {});
      answer(h === undefined ? null : { count: h.count, sum: h.sum });
      break;
    }
    case 'leave':
      void cluster.leave().then(() => answer(true));
      break;
    default:
      answer(`unknown command ${msg.cmd}`);
  }
});

process.send?.({ ready: true, node: cluster.node(), creation: cluster.creation });
