import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Builds the dashboard into `dashboard/dist`; `vite dev` proxies the API to a running controller. */
export default defineConfig({
  root,
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
  server: {
    proxy: {
      '/api': process.env.ISOFLEET_URL ?? 'http://localhost:8080',
      '/socket.io': { target: process.env.ISOFLEET_URL ?? 'http://localhost:8080', ws: true },
    },
  },
});
