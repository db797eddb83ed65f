import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Builds the dashboard into `dashboard/dist`; `vite dev` proxies the API to a running controller. */
export default defineConfig({
  root,
  // Relative: the built files load under any path base (`/` or a site's `/sites/{site}/`); the
  // server writes the page's own base into index.html's asset links (dashboard/serve.ts).
  base: './',
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
