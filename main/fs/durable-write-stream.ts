// A file written as a stream whose end means "on disk": every few megabytes written, an fdatasync of what is there
// so far starts on libuv's thread pool while the next pieces keep coming, so the disk writes back alongside the work
// instead of all at once after it; the stream's `finish` waits for a last fsync of the tail. Nothing here runs on
// the event loop's thread but the bookkeeping — a big export no longer stalls main for its final fsync.
import { close, fdatasync, fsync, open, writev } from 'node:fs';
import { Writable } from 'node:stream';

/** Bytes written between background syncs. */
const SYNC_EVERY = 8 << 20;

export class DurableWriteStream extends Writable {
  private fd = -1;
  private unsynced = 0;
  private syncing: Promise<void> | null = null;
  /** Bytes written so far. */
  bytesWritten = 0;

  constructor(
    readonly path: string,
    private readonly options: { mode?: number; flags?: string; syncEvery?: number } = {},
  ) {
    super({ highWaterMark: 1 << 20 });
  }

  override _construct(done: (err?: Error | null) => void): void {
    open(this.path, this.options.flags ?? 'w', this.options.mode ?? 0o600, (err, fd) => {
      if (err) return done(err);
      this.fd = fd;
      done();
    });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.writeAll([chunk], done);
  }

  override _writev(
    chunks: { chunk: Buffer; encoding: BufferEncoding }[],
    done: (err?: Error | null) => void,
  ): void {
    this.writeAll(
      chunks.map((c) => c.chunk),
      done,
    );
  }

  private writeAll(buffers: Buffer[], done: (err?: Error | null) => void): void {
    writev(this.fd, buffers, (err, written) => {
      if (err) return done(err);
      this.bytesWritten += written;
      this.unsynced += written;
      const total = buffers.reduce((n, b) => n + b.length, 0);
      if (written < total) {
        // A short write (rare: a signal, a nearly full disk): the rest goes again, or its error is reported.
        let skip = written;
        const rest: Buffer[] = [];
        for (const b of buffers) {
          if (skip >= b.length) skip -= b.length;
          else {
            rest.push(skip ? b.subarray(skip) : b);
            skip = 0;
          }
        }
        return this.writeAll(rest, done);
      }
      if (this.unsynced >= (this.options.syncEvery ?? SYNC_EVERY) && !this.syncing) {
        this.unsynced = 0;
        // Not awaited: the next writes go on meanwhile. A failure shows in the final fsync (the kernel reports a
        // failed writeback to the next sync of the file), so it is not lost by being ignored here.
        this.syncing = new Promise<void>((resolve) => fdatasync(this.fd, () => resolve())).finally(() => {
          this.syncing = null;
        });
      }
      done();
    });
  }

  /** The tail synced, then the file closed (a file still open can't be renamed on Windows). */
  override _final(done: (err?: Error | null) => void): void {
    void (this.syncing ?? Promise.resolve()).then(() =>
      fsync(this.fd, (err) => {
        const fd = this.fd;
        this.fd = -1;
        close(fd, (closeErr) => done(err ?? closeErr));
      }),
    );
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    if (this.fd < 0) return done(err);
    const fd = this.fd;
    this.fd = -1;
    void (this.syncing ?? Promise.resolve()).then(() => close(fd, (closeErr) => done(err ?? closeErr)));
  }
}
