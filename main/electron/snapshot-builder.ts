// The Electron app's way to start the snapshot builder: a utility process running the bundled builder
// (out/main/snapshot-builder.cjs) — the RunAsNode fuse is off, so a Node child process is not an option.
import { utilityProcess } from 'electron';
import { join } from 'node:path';
import { runBuild } from '../snapshots/builder-launch.js';
import type { BuildReply, SnapshotBuilder } from '../snapshots/snapshot-file.js';

export function utilitySnapshotBuilder(bundleDir: string): SnapshotBuilder {
  return (request) => {
    const child = utilityProcess.fork(join(bundleDir, 'snapshot-builder.cjs'), [], {
      stdio: 'inherit',
      serviceName: 'Tenant Desk snapshot builder',
    });
    return runBuild(
      {
        send: (r) => child.postMessage(r),
        onMessage: (l) => child.once('message', (m: unknown) => l(m as BuildReply)),
        onExit: (l) => child.once('exit', (code) => l(code)),
      },
      request,
    );
  };
}
