import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exampleSource, readmeCodeBlocks, runExample } from '@joerl/test-utils';
import { type HealthServer, SystemHealth } from '../src/index.js';
import { request } from './helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const examples = fileURLToPath(new URL('../examples', import.meta.url));
const readme = `${root}/README.md`;

const opened: HealthServer[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of opened.splice(0)) await s.close();
});

describe('README', () => {
  it('shows the two-line example verbatim', () => {
    const source = exampleSource(examples, 'two-lines.ts');
    expect(readmeCodeBlocks(readme)).toContain(source);
    expect(source).toContain("// The two lines:\nconst health = new SystemHealth({ system, telemetry });\nawait health.listen({ port: 8080, host: '0.0.0.0' });");
  });

  it('the two lines serve /livez, /readyz and /healthz (on a free port instead of 8080)', async () => {
    const listen = SystemHealth.prototype.listen;
    vi.spyOn(SystemHealth.prototype, 'listen').mockImplementation(async function (this: SystemHealth, options) {
      expect(options).toEqual({ port: 8080, host: '0.0.0.0' });
      const server = await listen.call(this, { port: 0, host: '127.0.0.1' });
      opened.push(server);
      return server;
    });
    await runExample(`${examples}/two-lines.ts`);
    const [server] = opened;
    for (const path of ['/livez', '/readyz', '/healthz']) {
      expect((await request(`${server!.url}${path}`)).status, path).toBe(200);
    }
  });

  it('the Kubernetes manifest probes the endpoints on the port the two lines listen on', () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(readFileSync(readme, 'utf8'))?.[1] ?? '';
    expect(yaml).toMatch(/livenessProbe:\s+httpGet:\s+path: \/livez\s+port: 8080/);
    expect(yaml).toMatch(/readinessProbe:\s+httpGet:\s+path: \/readyz\s+port: 8080/);
    expect(exampleSource(examples, 'two-lines.ts')).toContain("{ port: 8080, host: '0.0.0.0' }");
  });

  it('shows the service example verbatim, and it prints what its comments claim', async () => {
    const source = exampleSource(examples, 'service.ts');
    expect(readmeCodeBlocks(readme)).toContain(source);
    const claimed = [...source.matchAll(/await probe\('[^']+'\); \/\/ (\S+ \d{3} \w+(?: \[[\w-]+\])*)/g)].map((m) => m[1]);
    const out = await runExample(`${examples}/service.ts`);
    expect(out).toEqual(claimed);
    expect(out).toEqual([
      '/readyz 503 unhealthy [supervisors]',
      '/readyz 200 healthy',
      '/readyz 503 unhealthy [queue]',
      '/livez 200 healthy',
      '/readyz?exclude=queue 503 unhealthy [shutdown]',
      '/livez 503 unhealthy [system]',
    ]);
  });
});
