import { defineConfig } from 'vitest/config';

// One run over every package: each project has its own vitest.config.ts beside its package.json.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'tests/vitest.config.ts'],
  },
});
