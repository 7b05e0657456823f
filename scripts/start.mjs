// `npm start`: builds (renderer + Electron bundles), then opens the Electron window. Where the Electron binary cannot
// be had (it is downloaded on first launch, which needs Node.js >= 22.12 and network access) or there is no display,
// it says why and opens the same app in the loopback browser host instead, printing the URL to open.
// Arguments after `--` go to the browser host (e.g. `npm start -- --port 8080 --data-dir /tmp/td`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const windows = process.platform === 'win32';
const npm = windows ? 'npm.cmd' : 'npm';

const built = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit', shell: windows });
if (built.status !== 0) process.exit(built.status ?? 1);

const electronDir = join(root, 'node_modules', 'electron');

/** Whether the electron package has its binary (path.txt names it inside dist/). */
function electronInstalled() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return false;
  return existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));
}

function lastLine(text) {
  const lines = String(text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.at(-1)?.slice(0, 200) ?? 'no details';
}

/** The Electron command to run, or why there is none. */
function findElectron() {
  if (process.env.TENANT_DESK_BROWSER === '1')
    return { reason: 'TENANT_DESK_BROWSER=1 asks for the browser host.' };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return { reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset).' };
  if (!existsSync(electronDir)) return { reason: 'the electron package is not installed (run npm install).' };
  if (!electronInstalled()) {
    const [major, minor] = process.versions.node.split('.').map(Number);
    if (major < 22 || (major === 22 && minor < 12))
      return {
        reason: `the Electron binary is not downloaded yet, and its installer needs Node.js 22.12 or newer (this is ${process.version}).`,
      };
    console.log('Downloading the Electron binary (first launch only)...');
    const install = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 10 * 60_000,
    });
    if (install.status !== 0 || !electronInstalled())
      return {
        reason: `the Electron binary could not be downloaded (${lastLine(install.stderr || install.error?.message)}).`,
      };
  }
  return { command: join(root, 'node_modules', '.bin', windows ? 'electron.cmd' : 'electron') };
}

function run(command, args) {
  const child = spawn(command, args, {
    cwd: root,
    stdio: 'inherit',
    shell: windows && command.endsWith('.cmd'),
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const electron = findElectron();
if (electron.command) {
  run(electron.command, ['.']);
} else {
  console.log(`\nOpening Tenant Desk in the browser host instead of the Electron window: ${electron.reason}`);
  console.log(
    'Open the URL printed below in your browser (it works on this computer only, and only with its token).\n',
  );
  run(process.execPath, [
    '--import',
    'tsx',
    join(root, 'main', 'browser-host', 'cli.ts'),
    ...process.argv.slice(2),
  ]);
}
