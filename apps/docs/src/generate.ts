/** Regenerates the catalog section of TELEMETRY.md in place. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withGenerated } from './catalog-md.js';

const file = fileURLToPath(new URL('../../../TELEMETRY.md', import.meta.url));
const before = readFileSync(file, 'utf8');
const after = withGenerated(before);
writeFileSync(file, after);
console.log(before === after ? 'TELEMETRY.md: generated sections already up to date' : 'TELEMETRY.md: generated sections regenerated');
