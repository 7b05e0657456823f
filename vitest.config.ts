import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/renderer/**/*.test.tsx'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two test files at once even on two cores (Vitest's default there is one): most of the suite waits on the local
    // tenant, child processes and the disk, not the CPU — measured, the unit tests take 4m45s instead of 8m46s.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Memory checks (the browser host's fuzz test) collect garbage before they measure.
    execArgv: ['--expose-gc'],
  },
});
