// The offline worker gives its memory back: it stops once an export's sink is done and nothing else waits, and after
// a quiet spell otherwise; it stays while a sink is open between calls; the next call starts a fresh one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { OfflineEngine } from '../../../main/offline/offline-engine.js';
import { SnapshotWriter } from '../../../main/snapshots/snapshot-file.js';

const dir = mkdtempSync(join(tmpdir(), 'td-engine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the offline worker’s life', () => {
  it('stops when idle or when the last sink ends, stays while a sink is open, and comes back on the next call', async () => {
    const snap = join(dir, 'a.duckdb');
    const w = new SnapshotWriter(snap);
    w.add({ user_id: 'auth0|1', email: 'a@example.com' });
    await w.finish({
      id: 'a',
      tenantId: null,
      tenantLabel: 't',
      tenantDomain: null,
      environment: null,
      createdAt: new Date().toISOString(),
      sourceLabel: 'every user',
      query: null,
      fields: [],
      origin: 'file',
    });
    const engine = new OfflineEngine(undefined, 300);
    try {
      expect(engine.running).toBe(false);
      const meta = await engine.call('snapshot.meta', { path: snap });
      expect(meta.count).toBe(1);
      expect(engine.running).toBe(true);
      await wait(700);
      expect(engine.running).toBe(false);

      const spec = {
        input: 'user' as const,
        file: {
          path: join(dir, 'out.csv'),
          format: 'csv' as const,
          fields: [{ name: 'user_id' }],
          bom: false,
        },
      };
      await engine.call('sink.open', { id: 's1', spec });
      await engine.call('sink.write', { id: 's1', texts: [JSON.stringify({ user_id: 'auth0|1' })] });
      await wait(700);
      expect(engine.running).toBe(true);
      const done = await engine.call('sink.finish', { id: 's1' });
      expect(done.written).toBe(1);
      await wait(50);
      expect(engine.running).toBe(false);

      expect((await engine.call('snapshot.meta', { path: snap })).count).toBe(1);
      expect(engine.running).toBe(true);
    } finally {
      await engine.close();
    }
  }, 60_000);
});

describe('the offline worker’s protocol', () => {
  it('refuses a request its schema does not take, or a method it does not have, before anything runs', async () => {
    const engine = new OfflineEngine(undefined, 5_000);
    const call = engine.call.bind(engine) as (method: string, args: unknown) => Promise<unknown>;
    try {
      const out = join(dir, 'bad.csv');
      // A sink whose file has an unknown format: refused, and no file is made.
      await expect(
        call('sink.open', {
          id: 'x',
          spec: { input: 'user', file: { path: out, format: 'exe', fields: [], bom: false } },
        }),
      ).rejects.toThrow(/refused sink\.open: .*\(spec\.file\.format\)/);
      expect(existsSync(out)).toBe(false);
      await expect(call('sink.write', { id: 'x', texts: [] })).rejects.toThrow(/no longer running/);
      // An argument the method doesn't know, a wrong type, a method that doesn't exist, a prototype's name.
      await expect(call('snapshot.meta', { path: join(dir, 'a.duckdb'), extra: 1 })).rejects.toThrow(
        /refused snapshot\.meta/,
      );
      await expect(call('snapshot.query', { path: 'p', q: 1, offset: 0, limit: 10 })).rejects.toThrow(
        /refused snapshot\.query: .*\(q\)/,
      );
      await expect(call('shell.exec', {})).rejects.toThrow(/no method "shell\.exec"/);
      await expect(call('__proto__', {})).rejects.toThrow(/no method "__proto__"/);
      await expect(call('toString', {})).rejects.toThrow(/no method "toString"/);
      // The worker is still there and answers a good request.
      expect(engine.running).toBe(true);
      await expect(call('snapshot.close', { path: join(dir, 'nothing.duckdb') })).resolves.toBe(true);
    } finally {
      await engine.close();
    }
  }, 60_000);
});

describe('export lines sent as bytes', () => {
  it('cuts them into lines in the worker: across pieces, CR LF, a last line without a break, unicode split mid-character', async () => {
    const engine = new OfflineEngine(undefined, 5_000);
    try {
      const users = Array.from({ length: 500 }, (_, i) => ({
        user_id: `auth0|${i}`,
        email: `zoë.${i}@example.com`,
        name: i % 2 ? 'Seán Ó Briain' : '山田 太郎',
      }));
      const text = users
        .map((u, i) => JSON.stringify(u) + (i % 3 ? '\n' : '\r\n'))
        .join('')
        .trimEnd();
      const bytes = Buffer.from(text);
      const out = join(dir, 'bytes.ndjson');
      await engine.call('sink.open', {
        id: 'b1',
        spec: {
          input: 'export-line',
          file: {
            path: out,
            format: 'ndjson',
            fields: [{ name: 'user_id' }, { name: 'email' }, { name: 'name' }],
            bom: false,
          },
        },
      });
      // Pieces of 7 bytes: lines and multi-byte characters cut anywhere.
      for (let at = 0; at < bytes.length; at += 7)
        await engine.call('sink.write-bytes', { id: 'b1', bytes: bytes.subarray(at, at + 7) });
      const done = await engine.call('sink.finish', { id: 'b1' });
      expect(done.written).toBe(500);
      const back = readFileSync(out, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as object);
      expect(back).toEqual(users);

      // A line past the record limit is refused with its number, as when the window's process cut the lines.
      await engine.call('sink.open', {
        id: 'b2',
        spec: {
          input: 'export-line',
          file: {
            path: join(dir, 'long.ndjson'),
            format: 'ndjson',
            fields: [{ name: 'user_id' }],
            bom: false,
          },
        },
      });
      await engine.call('sink.write-bytes', {
        id: 'b2',
        bytes: Buffer.from('{"user_id":"auth0|1"}\n{"user_id":"'),
      });
      const piece = Buffer.alloc(4 << 20, 'x');
      let refused: Error | null = null;
      try {
        for (let i = 0; i < 5; i++) await engine.call('sink.write-bytes', { id: 'b2', bytes: piece });
      } catch (err) {
        refused = err as Error;
      }
      expect(refused?.message).toMatch(/Line 2 is longer than 16 MB/);
      await engine.call('sink.abort', { id: 'b2' });
    } finally {
      await engine.close();
    }
  }, 60_000);
});
