// What a killed process leaves behind, removed at the next start: temporary files of atomic writes, half-built
// snapshots and comparisons with their SQLite side files, half-written downloads and uploads. Every such name carries
// the id of the process writing it, so a sweep never touches the files of another Tenant Desk (the window and the
// command line share a data directory) that is still running. Old finished files (downloads, unstarted plans) go by
// age, in one place for every folder.
import { readdirSync, rmSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

/** Whether a process with this id runs now (another user's counts as running: it can't be told apart). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This process's own files are being written; another's are while it runs. */
const defaultAlive = (pid: number) => pid === process.pid || processAlive(pid);

/**
 * Names of files that live no longer than the process that wrote them, with its id: `.name.PID.hex.tmp` (atomic
 * writes), `name.PID.part` (being written: snapshots, downloads, uploads) and `name.PID.session` (whole, but useful
 * to that run only: comparisons, downloads not yet saved, finished uploads), each with SQLite's side files
 * `-journal`, `-wal`, `-shm` and DuckDB's `.wal`. A folder named so (DuckDB's spill folder) goes whole.
 */
export const TEMP_NAME =
  /^(?:\..+\.(\d+)\.[0-9a-f]+\.tmp|.+\.(\d+)\.(?:part|session)(?:-journal|-wal|-shm|\.wal)?)$/;

/** The id of the process a temporary file belongs to, or null when the name is no temporary file of ours. */
export function tempOwner(name: string): number | null {
  const m = TEMP_NAME.exec(name);
  return m ? Number(m[1] ?? m[2]) : null;
}

/** A temporary name for `final`, owned by this process, while it is being written. */
export function partName(final: string): string {
  return `${final}.${process.pid}.part`;
}

/** A name for a file of this run only (removed at the next start once this process is gone). */
export function sessionName(name: string): string {
  return `${name}.${process.pid}.session`;
}

/**
 * Removes temporary files of processes that no longer run, in `dir` and the folders below it (to `depth`); a file
 * of this very process is left (it is being written). Returns the paths removed.
 */
export function sweepTemporary(
  dir: string,
  depth = 3,
  alive: (pid: number) => boolean = defaultAlive,
): string[] {
  const removed: string[] = [];
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return removed;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      const owner = tempOwner(e.name);
      if (owner !== null) {
        if (!alive(owner)) {
          rmSync(path, { recursive: true, force: true });
          removed.push(path);
        }
        continue;
      }
      if (depth > 0 && e.name !== 'node_modules') removed.push(...sweepTemporary(path, depth - 1, alive));
      continue;
    }
    const owner = tempOwner(e.name);
    if (owner === null || alive(owner)) continue;
    rmSync(path, { force: true });
    removed.push(path);
  }
  return removed;
}

/** Removes files (and folders) in `dir` last changed more than `maxAgeMs` ago for which `which` says yes. */
export function sweepOlderThan(
  dir: string,
  maxAgeMs: number,
  which: (name: string) => boolean = () => true,
  now = Date.now(),
): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!which(name)) continue;
    const path = join(dir, name);
    try {
      if (now - statSync(path).mtimeMs <= maxAgeMs) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // gone already
    }
  }
  return removed;
}
