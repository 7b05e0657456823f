// The export's file writer: every byte lands in order, the file is synced in the background as it grows and once
// more at its end — before `finish`, so a rename after it never publishes a file the disk does not hold — and it is
// closed by then; a path it can't write fails as an error, not a crash.
import { mkdtempSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';

const calls: string[] = [];
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    fdatasync: (fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
      calls.push('fdatasync');
      fs.fdatasync(fd, cb);
    },
    fsync: (fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
      calls.push('fsync');
      fs.fsync(fd, cb);
    },
    close: (fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
      calls.push('close');
      fs.close(fd, cb);
    },
  };
});
const { DurableWriteStream } = await import('../../../main/fs/durable-write-stream.js');

const dir = mkdtempSync(join(tmpdir(), 'td-durable-'));
afterEach(() => {
  calls.length = 0;
});
const openFds = () => readdirSync('/proc/self/fd').length;

describe('DurableWriteStream', () => {
  it('writes every byte in order, syncing in the background as it grows and the tail before finish', async () => {
    const pieces = Array.from({ length: 300 }, (_, i) => Buffer.alloc(10_000 + i, i % 251));
    const path = join(dir, 'big.part');
    const fdsBefore = openFds();
    const out = new DurableWriteStream(path, { syncEvery: 256 * 1024 });
    let finishedAfter: string[] = [];
    out.on('finish', () => (finishedAfter = [...calls]));
    await pipeline(Readable.from(pieces), out);
    expect(readFileSync(path).equals(Buffer.concat(pieces))).toBe(true);
    expect(out.bytesWritten).toBe(pieces.reduce((n, p) => n + p.length, 0));
    // About 3 MB written with a sync every 256 KB: at least two background syncs (one at a time), then the final fsync and the close.
    expect(finishedAfter.filter((c) => c === 'fdatasync').length).toBeGreaterThanOrEqual(2);
    expect(finishedAfter.slice(-2)).toEqual(['fsync', 'close']);
    expect(openFds()).toBe(fdsBefore);
    renameSync(path, join(dir, 'big'));
  });

  it('a small file is synced once, at its end', async () => {
    const path = join(dir, 'small.part');
    await pipeline(Readable.from([Buffer.from('a,b\n'), Buffer.from('1,2\n')]), new DurableWriteStream(path));
    expect(readFileSync(path, 'utf8')).toBe('a,b\n1,2\n');
    expect(calls).toEqual(['fsync', 'close']);
  });

  it('a path that cannot be written fails the pipeline with the system error', async () => {
    await expect(
      pipeline(
        Readable.from([Buffer.from('x')]),
        new DurableWriteStream(join(dir, 'no', 'such', 'dir', 'f')),
      ),
    ).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('destroyed midway, it closes its file', async () => {
    const fdsBefore = openFds();
    const out = new DurableWriteStream(join(dir, 'cut.part'));
    await new Promise((r) => out.write(Buffer.alloc(1000), r));
    out.destroy();
    await new Promise((r) => out.on('close', r));
    expect(calls).toContain('close');
    expect(openFds()).toBe(fdsBefore);
  });
});
