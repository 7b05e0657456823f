// The snapshot builder: a process of its own that builds one snapshot file from a users file with DuckDB (or writes
// rows as a Parquet file), answers { ok, meta | rows, peakRssMb } or { ok: false, message } and exits. DuckDB's memory (its buffers, the JSON reader's
// documents) is held by this process only, and given back whole when it ends — the window's process and the offline
// worker stay small whatever the snapshot's size. Started by Node's fork (tests, the browser host, the command line)
// or Electron's utility process (the app: its RunAsNode fuse is off); both send the request as the first message.
import { runBuildHere, type BuildRequest, type BuildReply } from './snapshot-file.js';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}
const electronPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function reply(message: BuildReply): void {
  if (electronPort) electronPort.postMessage(message);
  else process.send?.(message);
}

async function handle(request: BuildRequest): Promise<void> {
  try {
    reply({ ok: true, ...(await runBuildHere(request)) });
  } catch (err) {
    reply({ ok: false, message: (err as Error).message });
  }
  // Let the reply go out, then end (utility processes are not ended by a closed channel).
  setTimeout(() => process.exit(0), 50);
}

if (electronPort) electronPort.on('message', (e) => void handle(e.data as BuildRequest));
else process.once('message', (m) => void handle(m as BuildRequest));
