import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

/** Every package tests its sources (and its workspace dependencies' sources) without a build. */
export function project(name: string, extra: { testTimeout?: number; hookTimeout?: number } = {}) {
  return defineProject({
    resolve: { conditions: ['@joerl/source'] },
    ssr: { resolve: { conditions: ['@joerl/source'] } },
    test: {
      name,
      include: ['test/**/*.test.ts'],
      environment: 'node',
      setupFiles: [fileURLToPath(new URL('./vitest.fast-check.ts', import.meta.url))],
      testTimeout: extra.testTimeout ?? 10_000,
      hookTimeout: extra.hookTimeout ?? 20_000,
    },
  });
}
