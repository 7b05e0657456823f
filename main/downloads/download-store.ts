// Files main writes for the user (exports), kept in the data dir until saved. The Electron host copies one to where
// the native save dialog says; the browser host serves it once through a short-lived link.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  createWriteStream,
  type WriteStream,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { DownloadRef } from '../../preload/contract.js';
import { AppError } from '../errors.js';
import { partName, sessionName, sweepOlderThan, sweepTemporary } from '../fs/sweep.js';

export interface Download extends DownloadRef {
  path: string;
  contentType: string;
  createdAt: number;
}

export interface ReservedFile {
  /** Where the file is written until it is committed. */
  path: string;
  /** A stream writing `path`. */
  open(): WriteStream;
  /** Renames the whole file into place and offers it. */
  commit(): Promise<Download>;
  /** Removes the half-written file. */
  discard(): void;
}

const KEEP_MS = 24 * 3600_000;
const SAVE_ERRORS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission was refused',
  EPERM: 'permission was refused',
  EROFS: 'the disk is read-only',
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'part of the path is not a folder',
  EISDIR: 'a folder has that name',
};
const LINK_MS = 2 * 60_000;

export class DownloadStore {
  readonly dir: string;
  private readonly downloads = new Map<string, Download>();
  private readonly links = new Map<string, { token: string; expiresAt: number }>();

  constructor(
    dataDir: string,
    private readonly now: () => number = Date.now,
    /** Whether the process that wrote a file still runs (tests stand in for a run that has ended). */
    alive?: (pid: number) => boolean,
  ) {
    this.dir = join(dataDir, 'downloads');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // Files of an earlier run were offered then, and never are again: gone, whole or half-written (those of another
    // Tenant Desk still running stay); any file older than a day whatever its name.
    sweepTemporary(this.dir, 0, alive);
    sweepOlderThan(this.dir, KEEP_MS, () => true, this.now());
  }

  /**
   * A new file's place (a `.part` file): write it through `open()` or any writer of `path`; `commit` renames it into
   * place, making it a download only once it is whole. It is not synced: the store's files are offered only in the
   * run that wrote them (a restart forgets them, and removes any `.part`), so a crash can never offer a torn one; the
   * copy that must survive is the one the user saves, and `saveTo` syncs that (the browser host's download is the
   * browser's own). An fsync here would only make the user wait for the disk.
   */
  reserve(filename: string, contentType: string): ReservedFile {
    const id = `dl_${randomBytes(16).toString('hex')}`;
    const final = join(this.dir, sessionName(id));
    const path = partName(final);
    return {
      path,
      open: () => createWriteStream(path, { mode: 0o600, highWaterMark: 1 << 20 }),
      commit: async () => {
        await rename(path, final);
        const d: Download = {
          id,
          filename,
          bytes: (await stat(final)).size,
          path: final,
          contentType,
          createdAt: this.now(),
        };
        this.downloads.set(id, d);
        return d;
      },
      discard: () => rmSync(path, { force: true }),
    };
  }

  /**
   * Copies a download to where the user chose (the native save dialog), as a temporary file beside it that is synced
   * and renamed: the chosen path holds the whole file or nothing. A path that can't be written is said in words.
   */
  saveTo(id: string, target: string): void {
    const download = this.get(id);
    const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.part`);
    try {
      copyFileSync(download.path, tmp);
      const fd = openSync(tmp, 'r+');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, target);
    } catch (err) {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // there was no folder to leave it in
      }
      const e = err as NodeJS.ErrnoException;
      const why = SAVE_ERRORS[e.code ?? ''] ?? e.message;
      throw new AppError('validation', `Could not save ${basename(target)} in ${dirname(target)}: ${why}.`);
    }
  }

  /** Quitting: the files of this run are removed (they hold users' data and are never offered again). */
  close(): void {
    for (const d of this.downloads.values()) rmSync(d.path, { force: true });
    this.downloads.clear();
    this.links.clear();
  }

  get(id: string): Download {
    const d = this.downloads.get(id);
    if (!d || this.now() - d.createdAt > KEEP_MS)
      throw new AppError('not_found', 'That file is no longer available. Export it again.');
    return d;
  }

  /** A one-time path the browser host serves the file from (for two minutes). */
  link(id: string): string {
    this.get(id);
    const token = randomBytes(32).toString('base64url');
    this.links.set(id, { token, expiresAt: this.now() + LINK_MS });
    return `/downloads/${id}/${token}`;
  }

  /** The download behind a link, once; null when the link is unknown, used or expired. */
  redeem(id: string, token: string): Download | null {
    const link = this.links.get(id);
    if (!link) return null;
    const a = Buffer.from(link.token);
    const b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b) || this.now() > link.expiresAt) return null;
    this.links.delete(id);
    return this.downloads.get(id) ?? null;
  }
}
