import { defineConfig } from 'vitest/config';

/** `npm run test:sitl`: one ArduCopter SITL per file, files one after another (each takes a core). */
export default defineConfig({
  test: {
    include: ['firmware-bridge/drone/mavlink/sitl/**/*.sitl.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 180_000,
    reporters: ['verbose'],
  },
});
