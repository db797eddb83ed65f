import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{apps,common,controller,firmware-bridge,sim,protocol,bench}/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    globalSetup: ['test-support/tools.global-setup.ts'],
    setupFiles: ['test-support/outbound-checks.setup.ts'],
  },
});
