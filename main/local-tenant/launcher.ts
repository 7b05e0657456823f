// The local tenant runs in its own process (its CLI), so nothing it does — a heavy query, a crash — can stall or
// take down the app. A launcher starts that process and reads the one JSON line it prints first. Plain Node forks
// the CLI; the Electron host supplies its own launcher (utilityProcess), since only main/electron/ knows Electron.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface LocalTenantInfo {
  domain: string;
  clientId: string;
  clientSecret: string;
  audience: string;
  caCertFile: string;
  clients: { name: string; clientId: string; clientSecret?: string; privateKey?: string; scopes: string[] }[];
}

export interface LocalTenantProcess {
  info: LocalTenantInfo;
  pid: number | undefined;
  caCert: string;
  /** Asks it to stop (it saves its data first) and waits until it has exited. */
  stop(): Promise<void>;
  /** Called once when the process ends for any reason; `expected` when stop() asked for it. */
  onExit(listener: (expected: boolean, detail: string) => void): void;
}

export type LocalTenantLauncher = (args: string[]) => Promise<LocalTenantProcess>;

/** The minimal shape of a started child process both Node's fork and Electron's utilityProcess can provide. */
export interface ChildLike {
  pid?: number | undefined;
  stdout: NodeJS.ReadableStream | null;
  stderr: NodeJS.ReadableStream | null;
  kill(): boolean;
  once(event: 'exit', listener: (code: number | null, signal?: NodeJS.Signals | null) => void): unknown;
}

const START_TIMEOUT_MS = 60_000;

/** Reads the first line of a started local tenant and wraps the process; shared by both launchers. */
export async function adoptLocalTenant(child: ChildLike): Promise<LocalTenantProcess> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    // Keep the tail only: it is shown if the process fails to start or dies.
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let exited = false;
  let expected = false;
  let exitCode: number | null = null;
  const exitListeners: ((expected: boolean, detail: string) => void)[] = [];
  const exitPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      exitCode = code;
      // What it said besides its own "listening" line, if anything.
      const said = stderr
        .trim()
        .split('\n')
        .filter((l) => l && !l.startsWith('Local tenant listening'))
        .slice(-3)
        .join(' ');
      const detail = `${signal ? `killed by ${signal}` : `exit code ${code}`}${said ? `: ${said}` : ''}`;
      for (const l of exitListeners) l(expected, detail);
      resolve();
    }),
  );
  const firstLine = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('The local tenant did not start within a minute.'));
    }, START_TIMEOUT_MS);
    rl.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    void exitPromise.then(() => {
      clearTimeout(timer);
      reject(new Error(`The local tenant could not start (exit code ${exitCode}): ${stderr.trim()}`));
    });
  });
  const info = JSON.parse(firstLine) as LocalTenantInfo;
  // stdout must keep draining, or a chatty child could block on a full pipe.
  child.stdout?.resume();
  return {
    info,
    pid: child.pid,
    caCert: readFileSync(info.caCertFile, 'utf8'),
    async stop() {
      if (exited) return;
      expected = true;
      child.kill();
      await exitPromise;
    },
    onExit(listener) {
      exitListeners.push(listener);
    },
  };
}

const here = dirname(fileURLToPath(import.meta.url));

/** Plain Node (browser host, tests): fork the CLI from the sources through tsx. */
export const forkLocalTenant: LocalTenantLauncher = async (args) => {
  const root = join(here, '..', '..');
  const child = fork(join(root, 'emulator', 'cli.ts'), args, {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  return adoptLocalTenant(child);
};
