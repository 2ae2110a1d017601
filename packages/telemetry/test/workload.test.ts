import { scriptedWorkload } from '@joerl/test-utils';
import { describe, expect, it } from 'vitest';
import { instrumented } from './helpers.js';

describe('the scripted conformance workload', () => {
  it('produces the counts it documents', async () => {
    const { system, telemetry } = instrumented();
    await scriptedWorkload(system);
    expect(telemetry.value('joerl_messages_sent_total', { type: 'conformance_worker' })).toBe(120);
    expect(telemetry.value('joerl_messages_processed_total', { type: 'conformance_worker' })).toBe(120);
    expect(telemetry.value('joerl_actors_panicked_total', { type: 'conformance_crasher' })).toBe(2);
    expect(telemetry.value('joerl_actors_stopped_total', { type: 'conformance_crasher', reason: 'error' })).toBe(2);
    expect(telemetry.value('joerl_messages_sent_total', { type: 'conformance_tiny' })).toBe(2);
    expect(telemetry.value('joerl_messages_sent_failed_total', { type: 'conformance_tiny', reason: 'mailbox_full' })).toBe(3);
    expect(telemetry.value('joerl_messages_sent_failed_total', { type: 'conformance_crasher', reason: 'noproc' })).toBe(4);
    expect(telemetry.value('joerl_links_created_total')).toBe(1);
    expect(telemetry.value('joerl_monitors_created_total')).toBe(1);
  });
});
