// The offline worker gives its memory back: it stops once an export's sink is done and nothing else waits, and after
// a quiet spell otherwise; it stays while a sink is open between calls; the next call starts a fresh one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OfflineEngine } from '../../../main/offline/offline-engine.js';
import { SnapshotWriter } from '../../../main/snapshots/snapshot-file.js';

const dir = mkdtempSync(join(tmpdir(), 'td-engine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the offline worker’s life', () => {
  it('stops when idle or when the last sink ends, stays while a sink is open, and comes back on the next call', async () => {
    const snap = join(dir, 'a.sqlite');
    const w = new SnapshotWriter(snap);
    w.add({ user_id: 'auth0|1', email: 'a@example.com' });
    w.finish({
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
      const meta = await engine.call<{ count: number }>('snapshot.meta', { path: snap });
      expect(meta.count).toBe(1);
      expect(engine.running).toBe(true);
      await wait(700);
      expect(engine.running).toBe(false);

      const spec = {
        input: 'user',
        file: { path: join(dir, 'out.csv'), format: 'csv', fields: [{ name: 'user_id' }], bom: false },
      };
      await engine.call('sink.open', { id: 's1', spec });
      await engine.call('sink.write', { id: 's1', texts: [JSON.stringify({ user_id: 'auth0|1' })] });
      await wait(700);
      expect(engine.running).toBe(true);
      const done = await engine.call<{ written: number }>('sink.finish', { id: 's1' });
      expect(done.written).toBe(1);
      await wait(50);
      expect(engine.running).toBe(false);

      expect((await engine.call<{ count: number }>('snapshot.meta', { path: snap })).count).toBe(1);
      expect(engine.running).toBe(true);
    } finally {
      await engine.close();
    }
  }, 60_000);
});
