// Starting the snapshot builder (builder.ts) in a process of its own, from plain Node: the bundle beside this one
// when running from bundles (out/main/snapshot-builder.cjs), else the TypeScript sources through tsx. The Electron
// app starts it as a utility process instead (main/electron/snapshot-builder.ts).
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sweepTemporary } from '../fs/sweep.js';
import type { BuildReply, BuildRequest, SnapshotBuilder } from './snapshot-file.js';

const here = dirname(fileURLToPath(import.meta.url));

/** What a started builder looks like to its parent, whichever way it was started. */
export interface BuilderChild {
  send(request: BuildRequest): void;
  onMessage(listener: (reply: BuildReply) => void): void;
  onExit(listener: (code: number | null) => void): void;
}

/** Runs one build in a started child: its reply, or its death said in words. */
export function runBuild(child: BuilderChild, request: BuildRequest): ReturnType<SnapshotBuilder> {
  return new Promise((resolve, reject) => {
    let answered = false;
    child.onMessage((reply) => {
      answered = true;
      if (reply.ok) {
        const { ok: _ok, ...result } = reply;
        resolve(result);
      } else reject(new Error(reply.message));
    });
    child.onExit((code) => {
      // A builder that died (killed, out of memory) leaves its temporary files: they are its own, and it is gone.
      sweepTemporary(dirname(request.path), 0);
      if (!answered) reject(new Error(`the snapshot builder stopped (exit code ${code}) before it finished`));
    });
    child.send(request);
  });
}

/** The builder as a Node child process. */
export const forkSnapshotBuilder: SnapshotBuilder = (request) => {
  const bundled = join(here, 'snapshot-builder.cjs');
  let entry: string;
  let execArgv: string[] = [];
  if (!import.meta.url.endsWith('.ts') && existsSync(bundled)) entry = bundled;
  else {
    // From the sources (tests, the browser host, the command line; a bundle without the builder beside it, such as
    // the export benchmark's, finds the sources from the working directory).
    const source = join(here, 'builder.ts');
    entry = existsSync(source) ? source : join(process.cwd(), 'main', 'snapshots', 'builder.ts');
    const tsx = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
    execArgv = [
      '--require',
      join(tsx, 'dist', 'preflight.cjs'),
      '--import',
      pathToFileURL(join(tsx, 'dist', 'loader.mjs')).href,
    ];
  }
  const child = fork(entry, [], {
    execArgv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  return runBuild(
    {
      send: (r) => child.send(r),
      onMessage: (l) => child.once('message', (m) => l(m as BuildReply)),
      onExit: (l) => child.once('exit', (code) => l(code)),
    },
    request,
  );
};
