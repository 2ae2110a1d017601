import { InvalidConfigError } from '@joerl/core';
import { StatsD } from 'hot-shots';
import { describe, expect, it } from 'vitest';
import { statsd, type StatsdOptions } from '../src/index.js';
import { instrumented } from './helpers.js';

const { telemetry } = instrumented();

describe('bad options', () => {
  it.each<[string, Record<string, unknown>]>([
    ['telemetry', { telemetry: undefined }],
    ['telemetry', { telemetry: {} }],
    ['intervalMs', { intervalMs: 0 }],
    ['intervalMs', { intervalMs: Number.NaN }],
    ['intervalMs', { intervalMs: 2 ** 31 }],
    ['tags', { tags: 'graphite' }],
    ['prefix', { prefix: 'my app' }],
    ['prefix', { prefix: 'a:b' }],
    ['sampleRate', { sampleRate: 0 }],
    ['sampleRate', { sampleRate: 1.5 }],
    ['maxTimingsPerHistogram', { maxTimingsPerHistogram: 0 }],
    ['maxTimingsPerHistogram', { maxTimingsPerHistogram: 2.5 }],
    ['client', { client: {} }],
    ['client', { client: new StatsD({ mock: true }), host: '127.0.0.1' }],
  ])('throw InvalidConfigError naming %s (%j)', (setting, bad) => {
    const options = { telemetry, mock: true, ...bad } as unknown as StatsdOptions;
    if ('client' in bad) delete (options as { mock?: boolean }).mock;
    let thrown: unknown;
    try {
      void statsd(options).close();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidConfigError);
    expect(thrown).toMatchObject({ code: 'INVALID_CONFIG', setting });
  });

  it('name what to do in the message', () => {
    expect(() => statsd({ telemetry, tags: 'graphite' as never })).toThrow("invalid tags: got \"graphite\"; expected one of 'dogstatsd', 'telegraf', 'names'");
  });
});
