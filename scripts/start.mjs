// `npm start`: builds, then opens the Electron window. Where the Electron binary cannot be had (it is downloaded on
// first launch, which needs Node.js >= 22.12 and network access), or there is no display, it says so and opens the
// same app in the loopback browser host instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const built = spawnSync(npm, ['run', 'build'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

function electronBinary() {
  if (process.env.TENANT_DESK_BROWSER === '1')
    return { reason: 'TENANT_DESK_BROWSER=1 asks for the browser host.' };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return { reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset).' };
  const [major, minor] = process.versions.node.split('.').map(Number);
  const modernNode = major > 22 || (major === 22 && minor >= 12);
  try {
    const path = createRequire(import.meta.url)('electron'); // downloads the binary on first use
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { reason: 'the Electron binary is not installed.' };
  } catch (err) {
    return {
      reason: modernNode
        ? `the Electron binary could not be downloaded (${String(err.message).split('\n')[0]}).`
        : `the Electron binary is downloaded on first launch, which needs Node.js 22.12 or newer (this is ${process.version}).`,
    };
  }
}

const electron = electronBinary();
if (electron.path) {
  const child = spawn(electron.path, ['.'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`\nOpening Tenant Desk in the browser host instead of the Electron window: ${electron.reason}`);
  console.log('Open the URL below in your browser (it works on this computer only).\n');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'main/browser-host/cli.ts', ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
