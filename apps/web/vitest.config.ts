import { defineConfig } from 'vitest/config';

// Unit tests of the web app's pure helpers (no DOM); the browser tests are in tests/e2e.
export default defineConfig({
  test: {
    name: 'web',
    include: ['src/**/*.test.ts'],
  },
});
