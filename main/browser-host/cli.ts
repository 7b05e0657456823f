// `npm run serve [-- --port N --data-dir DIR]`: Tenant Desk in your browser. The first stdout line is the URL to open.
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../app.js';
import { defaultDataDir } from '../fs/data-dir.js';
import { startBrowserHost } from './server.js';

const { values } = parseArgs({
  options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, 'static-dir': { type: 'string' } },
  strict: true,
});
const port = values.port ? Number(values.port) : 0;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`serve: --port expects 0-65535, got "${values.port}"\n`);
  process.exit(2);
}
const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const staticDir = resolve(values['static-dir'] ?? join(root, 'out', 'renderer'));
if (!existsSync(join(staticDir, 'index.html'))) {
  process.stderr.write(
    `serve: no built renderer in ${staticDir}. Run "npm run build:renderer" (npm run serve does it for you).\n`,
  );
  process.exit(2);
}
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
const app = await createApp({ dataDir, host: 'browser', version });
// A promise nobody awaited must not end the app: it is logged (scrubbed) for whoever investigates.
process.on('unhandledRejection', (reason) =>
  app.log.write('error', 'unhandled rejection', { detail: String((reason as Error)?.stack ?? reason) }),
);
let host: Awaited<ReturnType<typeof startBrowserHost>>;
try {
  host = await startBrowserHost({ router: app.router, staticDir, port, downloads: app.downloads });
} catch (err) {
  process.stderr.write(`serve: cannot listen on 127.0.0.1:${port} (${(err as Error).message}).\n`);
  await app.close();
  process.exit(1);
}
process.stdout.write(`${host.url}\n`);
process.stderr.write(
  `Tenant Desk is served on 127.0.0.1 only; open the URL above. Data: ${dataDir}. Ctrl+C to stop.\n`,
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await host.close();
  await app.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
