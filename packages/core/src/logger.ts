/**
 * Where crash reports and warnings go.
 *
 * @module
 */
import { formatValue } from './format.js';

/**
 * Where crash reports and warnings go. `null` silences them.
 * @since 0.1.0
 */
export interface Logger {
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

/**
 * The default logger: one line per report on stderr. `details` is rendered with
 * {@link formatValue}, so no value in it (a revoked Proxy, a throwing getter) can make it throw.
 */
export const consoleLogger: Logger = Object.freeze({
  warn: (message: string, details?: Record<string, unknown>) => logLine(console.warn, message, details),
  error: (message: string, details?: Record<string, unknown>) => logLine(console.error, message, details),
});

function logLine(write: (line: string) => void, message: unknown, details: unknown): void {
  try {
    const text = typeof message === 'string' ? message : formatValue(message);
    write(details === undefined ? `[joerl] ${text}` : `[joerl] ${text} ${formatValue(details, 2000)}`);
  } catch {
    // stderr itself failed (closed, or console replaced by something that throws): nothing left to tell
  }
}
