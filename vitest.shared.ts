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
      testTimeout: extra.testTimeout ?? 10_000,
      hookTimeout: extra.hookTimeout ?? 20_000,
    },
  });
}
