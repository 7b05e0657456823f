// Files the window hands to main (a users file to open as a snapshot), in pieces over the bridge so that neither
// host has to carry a large file in one message: written in order to a `.part` file in the data dir, synced and
// renamed once every byte has arrived. An upload that doesn't finish is never used, and is removed at the next start.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors.js';

interface Upload {
  name: string;
  bytes: number;
  received: number;
  fd: number | null;
  done: boolean;
}

const KEEP_MS = 24 * 3600_000;

export class UploadStore {
  readonly dir: string;
  private readonly uploads = new Map<string, Upload>();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'uploads');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    for (const name of readdirSync(this.dir)) {
      const file = join(this.dir, name);
      try {
        if (name.endsWith('.part') || Date.now() - statSync(file).mtimeMs > KEEP_MS)
          rmSync(file, { force: true });
      } catch {
        // gone already
      }
    }
  }

  begin(name: string, bytes: number): { uploadId: string } {
    const uploadId = `up_${randomBytes(16).toString('hex')}`;
    const fd = openSync(join(this.dir, `${uploadId}.part`), 'wx', 0o600);
    this.uploads.set(uploadId, { name, bytes, received: 0, fd, done: false });
    return { uploadId };
  }

  private upload(id: string): Upload {
    const u = this.uploads.get(id);
    if (!u)
      throw new AppError('not_found', 'That upload is unknown or was abandoned; choose the file again.');
    return u;
  }

  chunk(id: string, offset: number, base64: string): { received: number } {
    const u = this.upload(id);
    if (u.done || u.fd === null) throw new AppError('validation', 'That upload is already complete.');
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
    writeSync(u.fd, data);
    u.received += data.length;
    return { received: u.received };
  }

  finish(id: string): { uploadId: string; bytes: number } {
    const u = this.upload(id);
    if (u.fd === null) throw new AppError('validation', 'That upload is already complete.');
    if (u.received !== u.bytes) {
      this.abandon(id);
      throw new AppError(
        'validation',
        `Only ${u.received} of ${u.bytes} bytes arrived; choose the file again.`,
      );
    }
    fsyncSync(u.fd);
    closeSync(u.fd);
    u.fd = null;
    renameSync(join(this.dir, `${id}.part`), join(this.dir, id));
    u.done = true;
    return { uploadId: id, bytes: u.bytes };
  }

  /** A finished upload: its path and the name it had on the user's machine. */
  file(id: string): { path: string; name: string } {
    const u = this.upload(id);
    if (!u.done) throw new AppError('validation', 'That upload has not finished.');
    return { path: join(this.dir, id), name: u.name };
  }

  remove(id: string): void {
    this.abandon(id);
  }

  private abandon(id: string): void {
    const u = this.uploads.get(id);
    if (!u) return;
    if (u.fd !== null) closeSync(u.fd);
    this.uploads.delete(id);
    rmSync(join(this.dir, `${id}.part`), { force: true });
    rmSync(join(this.dir, id), { force: true });
  }
}
