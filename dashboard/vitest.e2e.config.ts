import { defineConfig } from 'vitest/config';

/** Browser tests: real Chromium against the whole system; one file at a time (each starts its own system). */
export default defineConfig({
  test: {
    include: ['dashboard/e2e/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 60_000,
    reporters: ['verbose'],
    globalSetup: ['dashboard/e2e/chromium.global-setup.ts'],
  },
});
