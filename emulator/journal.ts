// The local tenant's data on disk: an atomic snapshot (the --data file) plus a write-ahead journal beside it
// (`<data>.journal`, JSON lines), appended and flushed before a write's response leaves the server. So a crash,
// even kill -9, loses no acknowledged write. At start the journal is replayed onto the snapshot and folded into a
// new snapshot; it is folded again when it grows large, and at a clean stop.
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { Snapshot, Table, TenantStore } from './store.js';

const COMPACT_AT_BYTES = 32 * 1024 * 1024;

export function writeFileAtomic(file: string, data: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  try {
    const dir = openSync(dirname(file), 'r');
    fsyncSync(dir);
    closeSync(dir);
  } catch {
    // Not every platform can fsync a directory; the rename is atomic either way.
  }
}

export class TenantJournal {
  readonly journalFile: string;
  private fd: number | null = null;
  private bytes = 0;
  private scheduled = false;

  constructor(
    readonly dataFile: string,
    private readonly store: TenantStore,
    /** The snapshot as saved (the sandbox keeps client secrets out of it). */
    private readonly snapshotOf: () => Snapshot,
  ) {
    this.journalFile = `${dataFile}.journal`;
  }

  /** Loads the snapshot (if any) and replays the journal onto it. Returns whether there was data. */
  load(): boolean {
    const hadSnapshot = existsSync(this.dataFile);
    if (hadSnapshot) this.store.restore(JSON.parse(readFileSync(this.dataFile, 'utf8')) as Snapshot);
    let replayed = 0;
    if (existsSync(this.journalFile)) {
      for (const line of readFileSync(this.journalFile, 'utf8').split('\n')) {
        if (!line) continue;
        let record: { t: Table | 'log'; k: string; v: unknown };
        try {
          record = JSON.parse(line) as typeof record;
        } catch {
          continue; // the torn last line of a crash: its response was never sent
        }
        this.store.applyChange(record.t, record.k, record.v);
        replayed++;
      }
    }
    return hadSnapshot || replayed > 0;
  }

  /** From now on every change is journaled: fold what is there into a fresh snapshot and start a new journal. */
  start(): void {
    this.compact();
    this.store.onChange = () => {
      // Changes made outside a request (a job finishing later) are flushed on the next turn of the loop.
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    };
  }

  /** Appends what changed since the last flush and waits for the disk; a no-op when nothing changed. */
  flush(): void {
    if (!this.store.hasChanges()) return;
    const lines = this.store
      .takeChanges()
      .map((c) => JSON.stringify({ t: c.table, k: c.key, v: c.value }))
      .join('\n');
    this.fd ??= openSync(this.journalFile, 'a', 0o600);
    const text = `${lines}\n`;
    writeSync(this.fd, text);
    fdatasyncSync(this.fd);
    this.bytes += Buffer.byteLength(text);
    if (this.bytes > COMPACT_AT_BYTES) this.compact();
  }

  /** Writes the whole state as the snapshot, then empties the journal (a crash between the two replays it harmlessly). */
  compact(): void {
    this.store.takeChanges();
    writeFileAtomic(this.dataFile, JSON.stringify(this.snapshotOf()));
    if (this.fd !== null) closeSync(this.fd);
    this.fd = openSync(this.journalFile, 'w', 0o600);
    fdatasyncSync(this.fd);
    this.bytes = 0;
  }

  close(): void {
    this.store.onChange = null;
    this.flush();
    this.compact();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  journalBytes(): number {
    return existsSync(this.journalFile) ? statSync(this.journalFile).size : 0;
  }
}
