import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS, dashboardFiles, GRAFANA, type GrafanaDashboard, type GrafanaPanel, resultLabels } from '../src/dashboards.js';
import { allQueries } from '../src/ops.js';

const UIDS = ['joerl-overview', 'joerl-actor-type', 'joerl-behaviours', 'joerl-supervision', 'joerl-cluster'];

/** The committed files, parsed (a file that is not JSON fails here). */
function committed(): { file: string; text: string; dashboard: GrafanaDashboard }[] {
  return DASHBOARDS.map(({ file }) => {
    const text = readFileSync(`${GRAFANA}${file}`, 'utf8');
    return { file, text, dashboard: JSON.parse(text) as GrafanaDashboard };
  });
}

const panelsOf = (d: GrafanaDashboard): GrafanaPanel[] => d.panels.filter((p) => p.type !== 'row');
const byUid = (uid: string): GrafanaDashboard => committed().find((c) => c.dashboard.uid === uid)!.dashboard;
const exprsOf = (d: GrafanaDashboard): string[] => panelsOf(d).flatMap((p) => (p.targets ?? []).map((t) => t.expr));

describe('the Grafana dashboards (ops/grafana)', () => {
  it('are committed exactly as the generator writes them (run `pnpm gen:docs` after changing queries.yml or dashboards.ts)', () => {
    const generated = dashboardFiles();
    expect(generated.map((g) => g.file)).toEqual(DASHBOARDS.map((d) => d.file));
    for (const [i, { file, text }] of committed().entries()) expect(text, `ops/grafana/${file} is stale: run \`pnpm gen:docs\``).toBe(generated[i]!.text);
  });

  it('are the five dashboards of the kit, each in <uid>.json, with stable, unique uids and titles', () => {
    const dashboards = committed();
    expect(dashboards.map((c) => c.dashboard.uid)).toEqual(UIDS);
    for (const { file, dashboard } of dashboards) expect(file).toBe(`${dashboard.uid}.json`);
    expect(new Set(dashboards.map((c) => c.dashboard.title)).size).toBe(dashboards.length);
  });

  it('run only tested queries: every panel target is, word for word, a query of queries.yml, and says its question', () => {
    const queries = new Map(allQueries().map((q) => [q.expr, q]));
    for (const { dashboard } of committed()) {
      for (const p of panelsOf(dashboard)) {
        expect(p.targets, p.title).toHaveLength(1);
        const q = queries.get(p.targets![0]!.expr);
        expect(q, `${dashboard.uid} / ${p.title}: ${p.targets![0]!.expr}`).toBeDefined();
        expect(p.description).toContain(q!.question);
        expect(p.description).toContain(`\`${q!.id}\``);
      }
    }
  });

  it('give every panel a title, a unit, a description and thresholds from a base colour', () => {
    for (const { dashboard } of committed()) {
      const panels = panelsOf(dashboard);
      expect(panels.length).toBeGreaterThan(8);
      for (const p of panels) {
        expect(p.title.length, dashboard.uid).toBeGreaterThan(3);
        expect(p.description?.length, p.title).toBeGreaterThan(20);
        expect(['s', 'bytes', 'percent', 'percentunit', 'ops', 'short']).toContain(p.fieldConfig?.defaults.unit);
        const steps = p.fieldConfig!.defaults.thresholds.steps;
        expect(steps[0]?.value).toBeNull();
        const values = steps.slice(1).map((s) => s.value!);
        expect(values).toEqual([...values].sort((a, b) => a - b));
      }
    }
  });

  it('query the Prometheus chosen in a `datasource` variable, so they import and provision without a prompt', () => {
    for (const { dashboard } of committed()) {
      expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
      expect(dashboard.templating.list).toContainEqual(expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }));
      for (const p of panelsOf(dashboard)) {
        expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
        for (const t of p.targets ?? []) expect(t.datasource).toEqual(p.datasource);
      }
    }
  });

  it('lay panels out on the 24-column grid without overlapping, with unique ids', () => {
    for (const { dashboard } of committed()) {
      expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
      const boxes = dashboard.panels.map((p) => p.gridPos);
      for (const [i, a] of boxes.entries()) {
        expect(a.x + a.w).toBeLessThanOrEqual(24);
        for (const b of boxes.slice(i + 1)) {
          const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
          expect(overlap, `${dashboard.uid}: ${JSON.stringify(a)} and ${JSON.stringify(b)}`).toBe(false);
        }
      }
    }
  });

  it('each cover their theme', () => {
    const themes: Record<string, string[]> = {
      // actors, message rate, failures, event loop, memory, health
      'joerl-overview': [
        'joerl_actors_active',
        'joerl_messages_processed_total',
        'joerl_actors_panicked_total',
        'joerl_messages_sent_failed_total',
        'joerl_event_loop_delay_seconds_bucket',
        'joerl_system_memory_bytes',
        'joerl_supervisor_restart_intensity_exceeded_total',
        'joerl_telemetry_export_errors_total',
      ],
      'joerl-actor-type': [
        'joerl_actors_active',
        'joerl_messages_processed_total',
        'joerl_message_processing_duration_seconds_bucket',
        'joerl_message_queue_wait_seconds_bucket',
        'joerl_mailbox_depth',
        'joerl_mailbox_utilization_ratio',
        'joerl_messages_dropped_total',
      ],
      'joerl-behaviours': [
        'joerl_calls_total',
        'joerl_call_duration_seconds_bucket',
        'joerl_calls_in_flight',
        'joerl_gen_statem_current_state',
        'joerl_gen_statem_transitions_total',
        'joerl_gen_statem_invalid_transitions_total',
      ],
      'joerl-cluster': [
        'joerl_cluster_peer_up',
        'joerl_cluster_nodes',
        'joerl_remote_messages_sent_total',
        'joerl_remote_sent_bytes_total',
        'joerl_cluster_rtt_seconds_bucket',
        'joerl_remote_call_duration_seconds_bucket',
        'joerl_codec_errors_total',
        'joerl_cluster_node_events_total',
      ],
      'joerl-supervision': [
        'joerl_supervisor_restarts_total',
        'joerl_supervisor_restart_intensity_usage_ratio',
        'joerl_supervisor_restart_intensity_exceeded_total',
        'joerl_supervisor_restart_duration_seconds_bucket',
      ],
    };
    for (const [uid, metrics] of Object.entries(themes)) {
      const exprs = exprsOf(byUid(uid));
      for (const m of metrics) expect(exprs.some((e) => new RegExp(`\\b${m}\\b`).test(e)), `${uid} shows ${m}`).toBe(true);
    }
  });

  it('the actor-type drill-down keeps, in every panel, only the series of the types chosen in its `type` variable', () => {
    const d = byUid('joerl-actor-type');
    expect(d.templating.list).toContainEqual(
      expect.objectContaining({ name: 'type', type: 'query', multi: true, includeAll: true, query: 'label_values(joerl_actors_spawned_total, type)' }),
    );
    for (const p of panelsOf(d)) {
      const target = p.targets![0]!;
      // the series are named by type alone, and those not chosen are filtered out (the time field kept)
      expect(resultLabels(target.expr), p.title).toEqual(['type']);
      expect(target.legendFormat).toBe('{{type}}');
      expect(p.transformations).toContainEqual({ id: 'filterFieldsByName', options: { byVariable: true, include: { variable: 'Time,${type:csv}' } } });
    }
  });

  it('colour restart intensity orange from 0.8 and red from 1 (the next restart gives up)', () => {
    const panels = panelsOf(byUid('joerl-supervision')).filter((p) => p.targets![0]!.expr.includes('joerl_supervisor_restart_intensity_usage'));
    expect(panels.length).toBeGreaterThanOrEqual(2);
    for (const p of panels) {
      expect(p.fieldConfig!.defaults.thresholds.steps.slice(1)).toEqual([
        { color: 'orange', value: 0.8 },
        { color: 'red', value: 1 },
      ]);
    }
  });

  it('link the per-type series of the other dashboards to the drill-down, with the type, data source and time range', () => {
    for (const uid of UIDS.filter((u) => u !== 'joerl-actor-type')) {
      for (const p of panelsOf(byUid(uid))) {
        const links = (p.fieldConfig!.defaults.links ?? []) as { url: string }[];
        if (!resultLabels(p.targets![0]!.expr).includes('type')) {
          expect(links, p.title).toEqual([]);
          continue;
        }
        // series carry the type as a label; table rows as a column
        const type = p.type === 'table' ? '${__data.fields.type}' : '${__field.labels.type}';
        expect(links.map((l) => l.url)).toEqual([`/d/joerl-actor-type/joerl-actor-type?var-type=${type}&\${datasource:queryparam}&\${__url_time_range}`]);
      }
    }
  });
});
