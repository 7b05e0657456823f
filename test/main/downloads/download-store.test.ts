// The download store offers a file only once it is whole and only in the run that wrote it: what makes leaving its
// files unsynced safe (a crash can't offer a torn file — the next run neither offers nor keeps it).
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DownloadStore } from '../../../main/downloads/download-store.js';

describe('DownloadStore', () => {
  it('offers a file only after commit, whole, under its own name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-dl-'));
    const store = new DownloadStore(dir);
    const file = store.reserve('users.csv', 'text/csv');
    await pipeline(Readable.from(['a,b\n', '1,2\n']), file.open());
    expect(readdirSync(store.dir)).toEqual([expect.stringMatching(/\.part$/)]);
    const done = await file.commit();
    expect(done).toMatchObject({ filename: 'users.csv', bytes: 8 });
    expect(readFileSync(store.get(done.id).path, 'utf8')).toBe('a,b\n1,2\n');
    expect(readdirSync(store.dir).some((n) => n.endsWith('.part'))).toBe(false);
  });

  it('a new run removes half-written files and does not offer the last run’s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-dl-'));
    const first = new DownloadStore(dir);
    const torn = first.reserve('torn.csv', 'text/csv');
    await pipeline(Readable.from(['half']), torn.open());
    const whole = await (async () => {
      const f = first.reserve('whole.csv', 'text/csv');
      await pipeline(Readable.from(['x\n']), f.open());
      return f.commit();
    })();
    // The next run: the process that wrote those files has ended.
    const second = new DownloadStore(dir, Date.now, () => false);
    expect(existsSync(torn.path)).toBe(false);
    expect(() => second.get(whole.id)).toThrow(/no longer available/);
  });

  it('a discarded file leaves nothing behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-dl-'));
    const store = new DownloadStore(dir);
    const file = store.reserve('x.csv', 'text/csv');
    await pipeline(Readable.from(['x']), file.open());
    file.discard();
    expect(readdirSync(store.dir)).toEqual([]);
  });
});
