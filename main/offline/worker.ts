// The offline worker: a thread of its own for everything heavy that needs no tenant — parsing exported users,
// filtering them by a query, writing CSV / NDJSON / XLSX files, building, searching and comparing snapshots (SQLite
// through better-sqlite3, which is synchronous). Main's event loop only moves bytes and messages. Requests arrive as
// { id, method, args } and are answered { id, ok, result | error }; long ones also send { id, progress }.
import { parentPort } from 'node:worker_threads';
import { rmSync } from 'node:fs';
import { compareCsv, compareItems, compareRows, compareSnapshots } from './compare.js';
import { writeAccessReview } from '../reviews/access-review.js';
import { htmlReport } from '../reviews/report-html.js';
import { xlsxReport } from '../reviews/report-xlsx.js';
import { openUsersFile } from './open-users-file.js';
import { prepareImport } from '../imports/import-file.js';
import { asOfflineError, OfflineError } from './offline-error.js';
import { Sink } from './sink.js';
import { SnapshotReader } from '../snapshots/snapshot-file.js';
import { QueryError } from '../../query/index.js';
import type { Auth0User } from '../../preload/contract.js';
import {
  workerMethods,
  type WorkerImplementation,
  type WorkerMethod,
  type WorkerRequest,
  type WorkerResponse,
} from './protocol.js';

const port = parentPort;
if (!port) throw new Error('the offline worker runs in a worker thread');

const sinks = new Map<string, { sink: Sink; signal: { aborted: boolean } }>();
/** Access review reports being written, by id: whether each was asked to stop. */
const reviews = new Map<string, { aborted: boolean }>();
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

const methods: WorkerImplementation = {
  'sink.open': ({ id, spec }) => {
    sinks.set(id, { sink: new Sink(spec), signal: { aborted: false } });
    return true;
  },
  'sink.write': ({ id, texts }) => sinkOf(id).sink.write(texts),
  'sink.finish': async ({ id }) => {
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
  'sink.abort': async ({ id }): Promise<true> => {
    const s = sinks.get(id);
    sinks.delete(id);
    if (s) {
      s.signal.aborted = true;
      await s.sink.abort();
    }
    return true;
  },
  /** A users file opened as a new snapshot (the sink holds only the snapshot). */
  'snapshot.open-file': async ({ id, path, spec }, progress) => {
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
  'snapshot.meta': ({ path }) => reader(path).meta,
  'snapshot.query': ({ path, q, sort, offset, limit }) => {
    const t0 = performance.now();
    const r = reader(path).query(q, { offset, limit, ...(sort ? { sort } : {}) });
    // A snapshot keeps each user as Auth0 gave it (users are checked on the way in).
    return { total: r.total, users: r.users as Auth0User[], ms: performance.now() - t0 };
  },
  'snapshot.user': ({ path, userId }) => {
    const u = reader(path).user(userId);
    if (!u) throw new OfflineError('not_found', 'That user is not in this snapshot.');
    return u as Auth0User;
  },
  'snapshot.close': ({ path }) => {
    readers.get(path)?.close();
    readers.delete(path);
    return true;
  },
  /** A snapshot's users (every one, or a query's matches) into a sink writing a file. */
  'snapshot.export': async ({ id, path, q, spec }, progress) => {
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
  compare: ({ before, after, out, options }, progress) =>
    compareSnapshots(reader(before), reader(after), out, (done, total) => progress({ done, total }), options),
  'compare.items': ({ path, kind, field, offset, limit }) => compareItems(path, kind, field, offset, limit),
  /** A users file for an import checked and split into chunks (nothing is sent from here). */
  'import.prepare': (args) => prepareImport(args),
  'compare.csv': ({ path, csvPath, names }) => compareCsv(path, csvPath, names),
  /** An access review report: the snapshot read through its reader, the changes through the one comparison. */
  review: async ({ id, path, previousPath, out, compareOut, format, roles, inactiveDays }, progress) => {
    const signal = { aborted: false };
    reviews.set(id, signal);
    const current = reader(path);
    const previous = previousPath ? reader(previousPath) : null;
    const meta = await current.meta;
    const writer =
      format === 'xlsx'
        ? xlsxReport(out)
        : htmlReport(out, {
            title: `Access review of ${meta.tenantLabel}${meta.tenantDomain ? ` (${meta.tenantDomain})` : ''}`,
            lede: `From the snapshot ${meta.id} taken ${meta.createdAt} (${meta.count.toLocaleString('en')} users). Made by Tenant Desk ${new Date().toISOString()}.`,
            sections: ['Summary', 'Role holders', 'Flags', 'Changes'],
          });
    try {
      return await writeAccessReview({
        current,
        previous,
        compare: previous
          ? async (fields, onProgress) => {
              await compareSnapshots(previous, current, compareOut, onProgress, { fields });
              return () => compareRows(compareOut);
            }
          : null,
        roles,
        inactiveDays,
        writer,
        progress,
        stopped: () => signal.aborted,
        cancelled: () => new OfflineError('validation', 'Cancelled.'),
        generatedAt: new Date(),
      });
    } catch (err) {
      await writer.abort();
      throw err;
    } finally {
      reviews.delete(id);
      rmSync(compareOut, { force: true });
    }
  },
  'review.abort': ({ id }): true => {
    const r = reviews.get(id);
    if (r) r.aborted = true;
    return true;
  },
};

function errorOf(err: unknown): { code: string; message: string } {
  if (err instanceof QueryError) return { code: 'invalid_query', message: err.message };
  const e = asOfflineError(err, 'the file');
  return { code: e.code, message: e.message };
}

/** Why a request is refused before anything runs: an unknown method, or arguments its schema doesn't take. */
function refusal(
  req: WorkerRequest,
): { code: string; message: string } | { method: WorkerMethod; args: unknown } {
  if (typeof req.method !== 'string' || !Object.hasOwn(workerMethods, req.method))
    return { code: 'internal', message: `The offline worker has no method ${JSON.stringify(req.method)}.` };
  const method = req.method as WorkerMethod;
  const parsed = workerMethods[method].args.safeParse(req.args);
  if (parsed.success) return { method, args: parsed.data };
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length ? ` (${issue.path.join('.')})` : '';
  return { code: 'internal', message: `The offline worker refused ${method}: ${issue.message}${where}.` };
}

port.on('message', (req: WorkerRequest) => {
  const send = (res: WorkerResponse) => port.postMessage(res);
  const checked = refusal(req);
  if ('code' in checked) return send({ id: req.id, ok: false, error: checked });
  const run = methods[checked.method] as (args: unknown, progress: (data: unknown) => void) => unknown;
  void (async () => {
    try {
      const result = await run(checked.args, (data) => send({ id: req.id, progress: data }));
      send({ id: req.id, ok: true, result });
    } catch (err) {
      send({ id: req.id, ok: false, error: errorOf(err) });
    }
  })();
});
port.postMessage({ ready: true });
