import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATALOG } from '@joerl/telemetry';
import { withGenerated } from '../src/catalog-md.js';
import { allQueries } from '../src/ops.js';

const telemetryMd = fileURLToPath(new URL('../../../TELEMETRY.md', import.meta.url));

describe('TELEMETRY.md', () => {
  it('shows exactly the catalog, queries and alerts, as generated (run `pnpm gen:docs` after changing them)', () => {
    const text = readFileSync(telemetryMd, 'utf8');
    expect(text).toBe(withGenerated(text));
    for (const m of CATALOG) expect(text).toContain(`\`${m.name}\``);
  });

  it('has 50+ queries with unique ids, each aggregating whatever it groups by', () => {
    const queries = allQueries();
    expect(queries.length).toBeGreaterThanOrEqual(50);
    expect(new Set(queries.map((q) => q.id)).size).toBe(queries.length);
    for (const q of queries) {
      // every `by (...)` follows an aggregation operator
      for (const m of q.expr.matchAll(/(\w+)\s+by\s*\(/g)) expect(['sum', 'max', 'min', 'avg', 'count', 'topk', 'bottomk', 'quantile', 'stddev']).toContain(m[1]);
      // histogram_quantile always over sum by (le, ...)
      if (q.expr.includes('histogram_quantile')) expect(q.expr).toMatch(/histogram_quantile\([\d.]+, sum by \(le[,)]/);
    }
  });
});
