// An append-only file (a journal, the audit log) whose appends are durable when their promise resolves: lines
// queued meanwhile share one write and one fdatasync, done on libuv's thread pool, so the main event loop never
// waits for the disk. Lines are written in the order they were appended.
import { mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

interface Pending {
  text: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class AppendOnlyFile {
  private handle: Promise<FileHandle> | null = null;
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;

  constructor(readonly file: string) {}

  /** Appends text (whole lines); resolves once it is on disk. */
  append(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ text, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.flushing) return;
    this.flushing = this.flush().finally(() => {
      this.flushing = null;
      // Lines queued just as the last batch finished start the next one.
      if (this.queue.length) this.kick();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0);
      const text = batch.map((p) => p.text).join('');
      try {
        if (!this.handle) {
          mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
          this.handle = open(this.file, 'a', 0o600);
        }
        const handle = await this.handle;
        await handle.appendFile(text);
        await handle.datasync();
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
  }

  /** Resolves once everything appended so far is on disk. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async close(): Promise<void> {
    await this.drain();
    const handle = await this.handle;
    this.handle = null;
    await handle?.close();
  }
}
