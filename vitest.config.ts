import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{apps,common,controller,firmware-bridge,sim,protocol,bench}/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Vitest's default is one worker fewer than the cores: one file at a time on a 2-core machine,
    // though most files spend their time waiting on brokers, clocks and child processes.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    globalSetup: ['test-support/tools.global-setup.ts'],
    setupFiles: ['test-support/broker-per-worker.setup.ts', 'test-support/outbound-checks.setup.ts'],
  },
});
