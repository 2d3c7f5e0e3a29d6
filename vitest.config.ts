import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: model tests are CPU-heavy, so files run one at a time.
    fileParallelism: false,
    pool: 'forks',
  },
});
