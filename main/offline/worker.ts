// The offline worker: a thread of its own for everything heavy that needs no tenant — parsing exported users,
// filtering them by a query, writing CSV / NDJSON / XLSX files, building, searching and comparing snapshots (SQLite
// through better-sqlite3, which is synchronous). Main's event loop only moves bytes and messages. Requests arrive as
// { id, method, args } and are answered { id, ok, result | error }; long ones also send { id, progress }.
import { parentPort } from 'node:worker_threads';
import {
  compareCsv,
  compareItems,
  compareSnapshots,
  type CompareNames,
  type CompareOptions,
} from './compare.js';
import { openUsersFile } from './open-users-file.js';
import { prepareImport } from '../imports/import-file.js';
import { asOfflineError, OfflineError } from './offline-error.js';
import { Sink, type SinkSpec } from './sink.js';
import { SnapshotReader, type SnapshotMeta } from '../snapshots/snapshot-file.js';
import { QueryError } from '../../query/index.js';
import type { WorkerRequest, WorkerResponse } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('the offline worker runs in a worker thread');

const sinks = new Map<string, { sink: Sink; signal: { aborted: boolean } }>();
/** Open snapshots, the most recently used last; a few are kept open. */
const readers = new Map<string, SnapshotReader>();
const READERS_OPEN = 6;

function reader(path: string): SnapshotReader {
  let r = readers.get(path);
  if (r) {
    readers.delete(path);
    readers.set(path, r);
    return r;
  }
  try {
    r = new SnapshotReader(path);
  } catch (err) {
    throw new OfflineError('not_found', `The snapshot cannot be opened: ${(err as Error).message}`);
  }
  readers.set(path, r);
  for (const [p, old] of readers) {
    if (readers.size <= READERS_OPEN) break;
    old.close();
    readers.delete(p);
  }
  return r;
}

function sinkOf(id: string) {
  const s = sinks.get(id);
  if (!s) throw new OfflineError('not_found', 'That export is no longer running.');
  return s;
}

type Progress = (data: unknown) => void;

const methods: Record<string, (args: never, progress: Progress) => unknown> = {
  'sink.open': ({ id, spec }: { id: string; spec: SinkSpec }) => {
    sinks.set(id, { sink: new Sink(spec), signal: { aborted: false } });
    return true;
  },
  'sink.write': ({ id, texts }: { id: string; texts: string[] }) => sinkOf(id).sink.write(texts),
  'sink.finish': async ({ id }: { id: string }) => {
    const { sink } = sinkOf(id);
    try {
      return await sink.finish();
    } catch (err) {
      await sink.abort();
      throw err;
    } finally {
      sinks.delete(id);
    }
  },
  'sink.abort': async ({ id }: { id: string }) => {
    const s = sinks.get(id);
    sinks.delete(id);
    if (s) {
      s.signal.aborted = true;
      await s.sink.abort();
    }
    return true;
  },
  /** A users file opened as a new snapshot (the sink holds only the snapshot). */
  'snapshot.open-file': async (
    { id, path, spec }: { id: string; path: string; spec: SinkSpec },
    progress,
  ) => {
    const sink = new Sink(spec);
    const signal = { aborted: false };
    sinks.set(id, { sink, signal });
    try {
      await openUsersFile(
        path,
        sink,
        (read, bytesRead, bytes) => progress({ read, bytesRead, bytes }),
        signal,
      );
      return await sink.finish();
    } catch (err) {
      await sink.abort();
      throw err;
    } finally {
      sinks.delete(id);
    }
  },
  'snapshot.meta': ({ path }: { path: string }): SnapshotMeta => reader(path).meta,
  'snapshot.query': ({
    path,
    q,
    sort,
    offset,
    limit,
  }: {
    path: string;
    q: string;
    sort?: string;
    offset: number;
    limit: number;
  }) => {
    const t0 = performance.now();
    const r = reader(path).query(q, { offset, limit, ...(sort ? { sort } : {}) });
    return { ...r, ms: performance.now() - t0 };
  },
  'snapshot.user': ({ path, userId }: { path: string; userId: string }) => {
    const u = reader(path).user(userId);
    if (!u) throw new OfflineError('not_found', 'That user is not in this snapshot.');
    return u;
  },
  'snapshot.close': ({ path }: { path: string }) => {
    readers.get(path)?.close();
    readers.delete(path);
    return true;
  },
  /** A snapshot's users (every one, or a query's matches) into a sink writing a file. */
  'snapshot.export': async (
    { id, path, q, spec }: { id: string; path: string; q: string; spec: SinkSpec },
    progress,
  ) => {
    const sink = new Sink(spec);
    const signal = { aborted: false };
    sinks.set(id, { sink, signal });
    try {
      let batch: Record<string, unknown>[] = [];
      for (const u of reader(path).matching(q)) {
        batch.push(u);
        if (batch.length >= 1000) {
          if (signal.aborted) throw new OfflineError('validation', 'Cancelled.');
          await sink.writeUsers(batch);
          batch = [];
          progress({ read: sink.count });
        }
      }
      await sink.writeUsers(batch);
      return await sink.finish();
    } catch (err) {
      await sink.abort();
      throw err;
    } finally {
      sinks.delete(id);
    }
  },
  compare: (
    { before, after, out, options }: { before: string; after: string; out: string; options?: CompareOptions },
    progress,
  ) =>
    compareSnapshots(reader(before), reader(after), out, (done, total) => progress({ done, total }), options),
  'compare.items': ({
    path,
    kind,
    field,
    offset,
    limit,
  }: {
    path: string;
    kind: 'added' | 'removed' | 'changed';
    field?: string;
    offset: number;
    limit: number;
  }) => compareItems(path, kind, field, offset, limit),
  /** A users file for an import checked and split into chunks (nothing is sent from here). */
  'import.prepare': (args: Parameters<typeof prepareImport>[0]) => prepareImport(args),
  'compare.csv': ({ path, csvPath, names }: { path: string; csvPath: string; names?: CompareNames }) =>
    compareCsv(path, csvPath, names),
};

function errorOf(err: unknown): { code: string; message: string } {
  if (err instanceof QueryError) return { code: 'invalid_query', message: err.message };
  const e = asOfflineError(err, 'the file');
  return { code: e.code, message: e.message };
}

port.on('message', (req: WorkerRequest) => {
  const send = (res: WorkerResponse) => port.postMessage(res);
  const method = methods[req.method];
  if (!method)
    return send({ id: req.id, ok: false, error: { code: 'internal', message: `unknown ${req.method}` } });
  void (async () => {
    try {
      const result = await method(req.args as never, (data) => send({ id: req.id, progress: data }));
      send({ id: req.id, ok: true, result });
    } catch (err) {
      send({ id: req.id, ok: false, error: errorOf(err) });
    }
  })();
});
port.postMessage({ ready: true });
