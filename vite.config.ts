import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is built once and served by both hosts (Electron's app:// protocol and the browser host).
// `--mode bench` also builds the table bench harness, into its own folder, never into the app.
export default defineConfig(({ mode }) => ({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: mode === 'bench' ? '../out/renderer-bench' : '../out/renderer',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    // No inline scripts or styles: the CSP allows only 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions:
      mode === 'bench' ? { input: { main: 'renderer/index.html', bench: 'renderer/bench.html' } } : {},
  },
  server: { host: '127.0.0.1', strictPort: false },
}));
