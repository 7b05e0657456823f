// Bundles the Electron main process (ESM; dependencies stay in node_modules) and the sandboxed preload (one
// CommonJS file, as sandboxed preloads require).
import { build } from 'esbuild';

await build({
  entryPoints: ['main/electron/main.ts'],
  outfile: 'out/main/electron.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

await build({
  entryPoints: ['preload/index.ts'],
  outfile: 'out/preload/index.cjs',
  bundle: true,
  platform: 'browser',
  format: 'cjs',
  target: 'chrome140',
  external: ['electron'],
  sourcemap: false,
  logLevel: 'warning',
});

console.log('Built out/main/electron.mjs and out/preload/index.cjs');
