import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// In development the Vite server proxies the API and the sync websocket to the Överens server
// (default http://127.0.0.1:3000, override with OVERENS_API). In production the server serves
// apps/web/dist on the same port, so the app only ever talks to its own origin.
const target = process.env.OVERENS_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target, changeOrigin: false },
      '/sync': { target: target.replace(/^http/, 'ws'), ws: true, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    manifest: true,
    rolldownOptions: {
      // @overens/model is pure (no IO, no side effects): modules the web does not use (the zod
      // template schema, fixtures) are dropped instead of shipped in the agreement page.
      treeshake: { moduleSideEffects: (id: string) => !/\/packages\/model\/src\//.test(id) },
    },
  },
});
