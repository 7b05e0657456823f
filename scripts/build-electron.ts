// Bundles the Electron main process, the local tenant, the command line and the sandboxed preload, each as one
// CommonJS file:
// out/main/electron.cjs (package.json "main"; dependencies stay in node_modules, except ESM-only ones, which are
// bundled so that plain require() works), out/main/local-tenant.cjs (the emulator CLI, run in a utility process),
// out/main/offline-worker.cjs (the offline worker thread), out/main/snapshot-builder.cjs (DuckDB, a utility process),
// out/main/cli.cjs (`tenant-desk`) and out/preload/index.cjs (sandboxed preloads must be one CommonJS file).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
/** Pure ESM packages: bundled into the CommonJS main, since require() of ESM is not a given. */
const bundledDependencies = new Set(['jose']);

export const mainBuildOptions: BuildOptions = {
  absWorkingDir: projectRoot,
  entryPoints: ['main/electron/main.ts'],
  outfile: 'out/main/electron.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['electron', ...Object.keys(pkg.dependencies).filter((d) => !bundledDependencies.has(d))],
  // The sources are ESM; in the CommonJS bundle import.meta comes from the bundle's own location.
  define: { 'import.meta.dirname': '__dirname', 'import.meta.url': 'bundleImportMetaUrl' },
  inject: ['main/electron/cjs-import-meta.ts'],
  sourcemap: true,
  logLevel: 'warning',
};

/** The local tenant (the emulator CLI) as one CommonJS file, started by the app in a utility process. */
export const localTenantBuildOptions: BuildOptions = {
  ...mainBuildOptions,
  entryPoints: ['emulator/cli.ts'],
  outfile: 'out/main/local-tenant.cjs',
};

/** The offline worker (exports, snapshots: SQLite and file writing) as one CommonJS file, a worker thread of main. */
export const offlineWorkerBuildOptions: BuildOptions = {
  ...mainBuildOptions,
  entryPoints: ['main/offline/worker.ts'],
  outfile: 'out/main/offline-worker.cjs',
};

/** The snapshot builder (DuckDB) as one CommonJS file, run as a utility process of main. */
export const snapshotBuilderBuildOptions: BuildOptions = {
  ...mainBuildOptions,
  entryPoints: ['main/snapshots/builder.ts'],
  outfile: 'out/main/snapshot-builder.cjs',
};

/** The command line (`tenant-desk`) as one CommonJS file beside the offline worker and the snapshot builder it starts:
 * `node out/main/cli.cjs …` starts in about 0.7 s, against 1.7–2 s for bin/tenant-desk.mjs (the sources through
 * tsx); the command-line tests run it. */
export const cliBuildOptions: BuildOptions = {
  ...mainBuildOptions,
  entryPoints: ['main/cli/index.ts'],
  outfile: 'out/main/cli.cjs',
};

export const preloadBuildOptions: BuildOptions = {
  absWorkingDir: projectRoot,
  entryPoints: ['preload/index.ts'],
  outfile: 'out/preload/index.cjs',
  bundle: true,
  platform: 'browser',
  format: 'cjs',
  target: 'chrome140',
  external: ['electron'],
  minify: true,
  sourcemap: false,
  logLevel: 'warning',
};

// Run as a script (npm run build:electron); tests import the options to bundle exactly what ships.
// (Bundled into something else, e.g. bench:export, this module is not the script even though its URL is the entry's.)
if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(resolve(process.argv[1])).href &&
  import.meta.url.endsWith('/build-electron.ts')
) {
  await build(mainBuildOptions);
  await build(localTenantBuildOptions);
  await build(offlineWorkerBuildOptions);
  await build(snapshotBuilderBuildOptions);
  await build(cliBuildOptions);
  await build(preloadBuildOptions);
  console.log(
    'Built out/main/electron.cjs, out/main/local-tenant.cjs, out/main/offline-worker.cjs, out/main/snapshot-builder.cjs, out/main/cli.cjs and out/preload/index.cjs',
  );
}
