/**
 * Failed span exports, as dd-trace reports them: it sends spans itself and only logs a payload
 * the agent did not take, on its `datadog:log:error` diagnostics channel.
 *
 * @module
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';

/** dd-trace's error log channel (published whether or not dd-trace's own logging is on). */
const CHANNEL = 'datadog:log:error';

/** What dd-trace's agent writer logs when a trace payload was not accepted. */
const PAYLOAD_FAILED = /sending payload to the agent/i;

/**
 * @internal
 * Calls `onFailure` once per trace payload dd-trace failed to send (after its own bounded
 * retries). Returns the function that stops watching.
 */
export function watchTraceExportFailures(onFailure: (message: string) => void): () => void {
  const listener = (message: unknown): void => {
    const text = typeof message === 'string' ? message : message instanceof Error ? message.message : '';
    if (!PAYLOAD_FAILED.test(text)) return;
    try {
      onFailure(text);
    } catch {
      // A subscriber that throws would surface as an uncaught exception: never let it.
    }
  };
  subscribe(CHANNEL, listener);
  return () => void unsubscribe(CHANNEL, listener);
}
