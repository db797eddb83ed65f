import { defineConfig } from 'vitest/config';

/** Browser tests: real Chromium against the whole system; one file at a time (each starts its own system). */
export default defineConfig({
  test: {
    include: ['dashboard/e2e/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    // Each file starts a whole system and a browser before its tests: a minute and more on a loaded machine.
    hookTimeout: 120_000,
    // A page's next state (connected, a robot moved, a dialog shown) on a loaded 2-core machine
    // can take longer than Vitest's default 1 s; a poll that fails still fails, only later.
    expect: { poll: { timeout: 10_000 } },
    reporters: ['verbose'],
    globalSetup: ['dashboard/e2e/chromium.global-setup.ts'],
  },
});
