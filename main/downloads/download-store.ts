// Files main writes for the user (exports), kept in the data dir until saved. The Electron host copies one to where
// the native save dialog says; the browser host serves it once through a short-lived link.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DownloadRef } from '../../preload/contract.js';
import { AppError } from '../errors.js';

export interface Download extends DownloadRef {
  path: string;
  contentType: string;
  createdAt: number;
}

const KEEP_MS = 24 * 3600_000;
const LINK_MS = 2 * 60_000;

export class DownloadStore {
  readonly dir: string;
  private readonly downloads = new Map<string, Download>();
  private readonly links = new Map<string, { token: string; expiresAt: number }>();

  constructor(
    dataDir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.dir = join(dataDir, 'downloads');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // Files of an earlier run were offered then; they are not kept forever.
    for (const name of readdirSync(this.dir)) {
      const file = join(this.dir, name);
      try {
        if (this.now() - statSync(file).mtimeMs > KEEP_MS) rmSync(file, { force: true });
      } catch {
        // gone already
      }
    }
  }

  /** A new file's place; `commit` makes it a download once it is completely written. */
  reserve(filename: string, contentType: string): { path: string; commit(): Download; discard(): void } {
    const id = `dl_${randomBytes(16).toString('hex')}`;
    const path = join(this.dir, id);
    return {
      path,
      commit: () => {
        const d: Download = {
          id,
          filename,
          bytes: statSync(path).size,
          path,
          contentType,
          createdAt: this.now(),
        };
        this.downloads.set(id, d);
        return d;
      },
      discard: () => rmSync(path, { force: true }),
    };
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
