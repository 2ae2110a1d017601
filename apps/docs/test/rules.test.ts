import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLUSTER_RULE_FILES, OPS, RULE_FILES, ruleGroups } from '../src/ops.js';

function promtool(...args: string[]) {
  const r = spawnSync('promtool', args, { cwd: `${OPS}prometheus`, encoding: 'utf8' });
  if (r.error !== undefined) throw new Error(`promtool could not run (${r.error.message}): install Debian's prometheus package (apt-get install prometheus)`);
  return r;
}

describe('alerting and recording rules', () => {
  it('pass promtool check rules', () => {
    const r = promtool('check', 'rules', ...RULE_FILES, ...CLUSTER_RULE_FILES);
    expect(r.stderr + r.stdout).not.toMatch(/FAILED|error/i);
    expect(r.status).toBe(0);
  });

  it('pass their promtool unit tests', () => {
    const r = promtool('test', 'rules', 'alerts.test.yml');
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('the cluster alerts pass theirs: node down, partition suspected, RTT p99 high, serialization errors, reconnect storm', () => {
    const r = promtool('test', 'rules', 'cluster-alerts.test.yml');
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.status).toBe(0);
    const alerts = ruleGroups('cluster-alerts.yml').flatMap((g) => g.rules.map((rule) => rule.alert));
    expect(alerts).toEqual(['JoerlNodeDown', 'JoerlPartitionSuspected', 'JoerlClusterRttHigh', 'JoerlSerializationErrors', 'JoerlTransportReconnectStorm']);
  });

  it('every alert has a severity, a summary and a description, and aggregates by job', () => {
    for (const file of [...RULE_FILES, ...CLUSTER_RULE_FILES]) {
      for (const g of ruleGroups(file)) {
        for (const rule of g.rules) {
          if (rule.alert === undefined) continue;
          expect(['warning', 'critical']).toContain(rule.labels?.severity);
          expect(rule.annotations?.summary?.length).toBeGreaterThan(10);
          expect(rule.annotations?.description?.length).toBeGreaterThan(20);
          if (file !== 'slo.yml') expect(rule.expr).toMatch(/by \(job[,)]/);
        }
      }
    }
  });
});
