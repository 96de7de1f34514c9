import { defineConfig } from 'vitest/config';

// Cross-package tests: sync/ (real servers + real y-websocket clients), e2e/ (browser).
export default defineConfig({
  test: {
    name: 'tests',
    include: ['sync/**/*.test.ts', 'e2e/**/*.test.ts', '**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // servers, child processes and ports: files run one at a time (2 shared cores)
    fileParallelism: false,
  },
});
