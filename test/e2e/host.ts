// Starts the browser host with a temporary data dir, as a user would with `npm run serve`, and stops it after.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test as base } from '@playwright/test';

export interface HostFixture {
  url: string;
  dataDir: string;
}

export async function startHost(
  dataDir = mkdtempSync(join(tmpdir(), 'td-e2e-')),
): Promise<HostFixture & { child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'main/browser-host/cli.ts', '--port', '0', '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`browser host exited with ${code}: ${stderr}`)));
  });
  return { url, dataDir, child };
}

export const test = base.extend<{ host: HostFixture }>({
  // Playwright fixtures take their dependencies as a destructured first argument; this one has none.
  // eslint-disable-next-line no-empty-pattern
  host: async ({}, use) => {
    const { child, ...host } = await startHost();
    await use(host);
    await stopHost(child);
  },
});
export { expect } from '@playwright/test';

/** Stops a host as a user would (SIGTERM) or as a crash would (SIGKILL), and waits until it has exited. */
export async function stopHost(
  child: ChildProcess,
  signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM',
): Promise<void> {
  // Already gone: exited (exitCode) or killed by a signal (signalCode).
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}
