// Vite build of the one-map portal. The C++ server (`mineplan serve --web web/dist`) serves
// web/dist at `/`, the API at /api/... and vector tiles at /tiles/...; `npm run dev` proxies
// those two to a server running on 127.0.0.1:8080 (MINEPLAN_API overrides).
import { defineConfig } from 'vite';

const backend = process.env.MINEPLAN_API || 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
    sourcemap: false,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/tiles': { target: backend, changeOrigin: false },
    },
  },
  preview: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/tiles': { target: backend, changeOrigin: false },
    },
  },
});
