import { describe, expect, it } from 'vitest';
import { prometheus } from '../src/index.js';
import { exerciseCatalog, faultyProvider, instrumented, parseExposition, promtoolCheckMetrics } from './helpers.js';

/** What `promtool check metrics` (2.42) may say about the catalog: nothing. */
const KNOWN_CATALOG_COMPLAINTS: string[] = [];

describe('promtool check metrics', () => {
  it('finds nothing wrong with the exposition but the known catalog complaint', async () => {
    const { telemetry, system } = instrumented({ labelCap: 16, providers: [faultyProvider()] });
    const exporter = prometheus({ telemetry });
    const exercise = await exerciseCatalog(system, telemetry);
    const text = await exporter.metrics();
    // Every catalog metric has samples, so every name, help text and label set is linted.
    const parsed = parseExposition(text);
    for (const def of telemetry.definitions) {
      const sampleName = def.kind === 'histogram' ? `${def.name}_count` : def.name;
      expect(parsed.samples.some((s) => s.name === sampleName), `${def.name} has samples`).toBe(true);
    }
    const { status, problems } = promtoolCheckMetrics(text);
    expect(problems).toEqual(KNOWN_CATALOG_COMPLAINTS);
    expect(status).toBe(KNOWN_CATALOG_COMPLAINTS.length === 0 ? 0 : 3); // 3: lint problems only
    await exercise.release();
    await system.shutdown();
  });
});
