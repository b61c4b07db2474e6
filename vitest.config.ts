import { defineConfig } from 'vitest/config';

// Integration and e2e tests start real servers and browsers: files run one at a time so the
// 2-core machine is not oversubscribed and timings stay meaningful.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    pool: 'forks',
    reporters: ['default'],
  },
});
