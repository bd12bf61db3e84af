import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Where `pnpm dev` finds the engine; the editor itself always talks to its own origin. */
const ENGINE = 'http://127.0.0.1:8790';
const engineRoute = { target: ENGINE, changeOrigin: true };

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // Libraries in a chunk of their own: they change far less often than the editor, so the browser keeps them cached across versions.
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'vendor', test: /[\\/]node_modules[\\/]/ }] } } },
  },
  worker: { format: 'es' },
  server: {
    port: 5173,
    proxy: {
      '/ws': { ...engineRoute, ws: true },
      '/media': engineRoute,
      '/upload': engineRoute,
      '/examples': engineRoute,
      '/import': engineRoute,
    },
  },
});
