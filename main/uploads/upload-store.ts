// Files the window hands to main (a users file to open as a snapshot or to import, a list of users), in pieces over
// the bridge so that neither host has to carry a large file in one message: appended in order to a `.part` file in
// the data dir — opened and closed for each piece, so an upload holds no file descriptor between pieces — synced and
// renamed once every byte has arrived. An upload nobody adds to for IDLE_MS is abandoned; a finished one nobody uses
// for UNUSED_MS is removed; so is each as soon as its user is done with it. A file of an earlier run is removed at the
// next start: uploads hold users' data, and sometimes their password hashes.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors.js';
import { partName, sessionName, sweepOlderThan, sweepTemporary } from '../fs/sweep.js';

interface Upload {
  name: string;
  bytes: number;
  received: number;
  done: boolean;
  /** When a piece last arrived, or the finished file was last asked for. */
  touched: number;
}

/** An upload with no new piece for this long is abandoned (its part removed). */
export const UPLOAD_IDLE_MS = 10 * 60_000;
/** A finished upload not used for this long is removed. */
export const UPLOAD_UNUSED_MS = 60 * 60_000;

export interface UploadStoreOptions {
  now?: () => number;
  idleMs?: number;
  unusedMs?: number;
  /** How often abandoned uploads are looked for (besides at each new upload). */
  sweepEveryMs?: number;
  /** Whether the process that wrote a file still runs (tests stand in for a run that has ended). */
  alive?: (pid: number) => boolean;
}

export class UploadStore {
  readonly dir: string;
  private readonly uploads = new Map<string, Upload>();
  private readonly now: () => number;
  private readonly idleMs: number;
  private readonly unusedMs: number;
  private readonly timer: NodeJS.Timeout;

  constructor(dataDir: string, o: UploadStoreOptions = {}) {
    this.dir = join(dataDir, 'uploads');
    this.now = o.now ?? Date.now;
    this.idleMs = o.idleMs ?? UPLOAD_IDLE_MS;
    this.unusedMs = o.unusedMs ?? UPLOAD_UNUSED_MS;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    sweepTemporary(this.dir, 0, o.alive);
    // Files named by an earlier version (without the id of their process) are a day old at most.
    sweepOlderThan(this.dir, 24 * 3600_000, (name) => /^up_[0-9a-f]{32}(\.part)?$/.test(name), this.now());
    this.timer = setInterval(() => this.sweep(), o.sweepEveryMs ?? 60_000);
    this.timer.unref();
  }

  private partPath(id: string): string {
    return partName(this.finalPath(id));
  }

  private finalPath(id: string): string {
    return join(this.dir, sessionName(id));
  }

  /** Abandons idle uploads and removes unused finished ones; returns how many went. */
  sweep(): number {
    const t = this.now();
    let gone = 0;
    for (const [id, u] of this.uploads)
      if (t - u.touched > (u.done ? this.unusedMs : this.idleMs)) {
        this.abandon(id);
        gone++;
      }
    return gone;
  }

  /** Uploads known now (in progress or finished), for tests and diagnostics. */
  get size(): number {
    return this.uploads.size;
  }

  begin(name: string, bytes: number): { uploadId: string } {
    this.sweep();
    const uploadId = `up_${randomBytes(16).toString('hex')}`;
    closeSync(openSync(this.partPath(uploadId), 'wx', 0o600));
    this.uploads.set(uploadId, { name, bytes, received: 0, done: false, touched: this.now() });
    return { uploadId };
  }

  private upload(id: string): Upload {
    const u = this.uploads.get(id);
    if (!u)
      throw new AppError(
        'not_found',
        'That upload is unknown, was abandoned (nothing arrived for a while) or has been used; choose the file again.',
      );
    return u;
  }

  chunk(id: string, offset: number, base64: string): { received: number } {
    const u = this.upload(id);
    if (u.done) throw new AppError('validation', 'That upload is already complete.');
    if (offset !== u.received)
      throw new AppError(
        'validation',
        `Pieces must arrive in order: expected byte ${u.received}, got ${offset}.`,
      );
    const data = Buffer.from(base64, 'base64');
    if (u.received + data.length > u.bytes) {
      this.abandon(id);
      throw new AppError('validation', `The file is larger than the ${u.bytes} bytes announced.`);
    }
    const fd = openSync(this.partPath(id), 'a');
    try {
      writeSync(fd, data);
    } finally {
      closeSync(fd);
    }
    u.received += data.length;
    u.touched = this.now();
    return { received: u.received };
  }

  finish(id: string): { uploadId: string; bytes: number } {
    const u = this.upload(id);
    if (u.done) throw new AppError('validation', 'That upload is already complete.');
    if (u.received !== u.bytes) {
      this.abandon(id);
      throw new AppError(
        'validation',
        `Only ${u.received} of ${u.bytes} bytes arrived; choose the file again.`,
      );
    }
    const fd = openSync(this.partPath(id), 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(this.partPath(id), this.finalPath(id));
    u.done = true;
    u.touched = this.now();
    return { uploadId: id, bytes: u.bytes };
  }

  /** A finished upload: its path and the name it had on the user's machine. */
  file(id: string): { path: string; name: string } {
    const u = this.upload(id);
    if (!u.done) throw new AppError('validation', 'That upload has not finished.');
    u.touched = this.now();
    return { path: this.finalPath(id), name: u.name };
  }

  /** A finished upload handed over to long work (a task keeps it in its folder until it ends). */
  moveTo(id: string, dest: string): void {
    const { path } = this.file(id);
    renameSync(path, dest);
    this.uploads.delete(id);
  }

  /** The upload has served its purpose: its file goes now. */
  remove(id: string): void {
    this.abandon(id);
  }

  private abandon(id: string): void {
    if (!this.uploads.delete(id)) return;
    rmSync(this.partPath(id), { force: true });
    rmSync(this.finalPath(id), { force: true });
  }

  /** Quitting: every upload of this run goes. */
  close(): void {
    clearInterval(this.timer);
    for (const id of [...this.uploads.keys()]) this.abandon(id);
  }
}
