/** Regenerates the generated sections of TELEMETRY.md and the Grafana dashboards under ops/grafana/ in place. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withGenerated } from './catalog-md.js';
import { writeDashboards } from './dashboards.js';

const file = fileURLToPath(new URL('../../../TELEMETRY.md', import.meta.url));
const before = readFileSync(file, 'utf8');
const after = withGenerated(before);
writeFileSync(file, after);
console.log(before === after ? 'TELEMETRY.md: generated sections already up to date' : 'TELEMETRY.md: generated sections regenerated');

for (const { file: dashboard, changed } of writeDashboards()) {
  console.log(`ops/grafana/${dashboard}: ${changed ? 'regenerated' : 'already up to date'}`);
}
