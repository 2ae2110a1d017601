/**
 * The backends `start()` can load, each from its own package, imported only when chosen.
 *
 * @module
 */
import type { BackendName } from './config.js';
import { MissingBackendError } from './errors.js';
import { detectPackageManager } from './package-manager.js';

/** How a module is imported; `start({ importer })` replaces it in tests. */
export type Importer = (specifier: string) => Promise<unknown>;

/** The packages each backend needs (its adapter and the backend library it drives). */
export const BACKEND_PACKAGES: Readonly<Record<BackendName, readonly string[]>> = Object.freeze({
  prometheus: ['@joerl/prometheus', 'prom-client'],
  otlp: [
    '@joerl/otlp',
    '@opentelemetry/api',
    '@opentelemetry/sdk-metrics',
    '@opentelemetry/sdk-trace-base',
    '@opentelemetry/resources',
    '@opentelemetry/context-async-hooks',
    '@opentelemetry/exporter-metrics-otlp-proto',
    '@opentelemetry/exporter-trace-otlp-proto',
  ],
  statsd: ['@joerl/statsd', 'hot-shots'],
  datadog: ['@joerl/datadog', 'dd-trace', 'hot-shots'],
});

/** The default importer: a plain dynamic import. */
export const dynamicImport: Importer = (specifier) => import(specifier);

/**
 * Imports `specifier` for `backend`; a module that is not installed becomes a
 * MissingBackendError naming the packages to add, with the install command of the package
 * manager this project uses.
 */
export async function load<T>(importer: Importer, backend: BackendName, specifier: string, setting: string): Promise<T> {
  try {
    return (await importer(specifier)) as T;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new MissingBackendError(backend, BACKEND_PACKAGES[backend], setting, error, detectPackageManager());
    }
    throw error;
  }
}

/** The `code` of whatever a module loader rejected with: it may be anything, even a revoked Proxy. */
function errorCode(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return undefined;
  try {
    return (error as { code?: unknown }).code;
  } catch {
    return undefined;
  }
}
