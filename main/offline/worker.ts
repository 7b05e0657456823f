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
import { LineSplitter, SNAPSHOT_FILE_LIMITS, type TextLine } from '../intake/text.js';
import {
  convertLegacySnapshot,
  setSnapshotBuilder,
  SnapshotReader,
  type SnapshotBuilder,
} from '../snapshots/snapshot-file.js';
import { QueryError } from '../../query/index.js';
import type { Auth0User } from '../../preload/contract.js';
import {
  workerMethods,
  type WorkerImplementation,
  type WorkerMethod,
  type WorkerBuildAnswer,
  type WorkerBuildAsk,
  type WorkerRequest,
  type WorkerResponse,
} from './protocol.js';

const port = parentPort;
if (!port) throw new Error('the offline worker runs in a worker thread');

const sinks = new Map<string, { sink: Sink; signal: { aborted: boolean }; lines?: LineSplitter }>();
/** Access review reports being written, by id: whether each was asked to stop. */
const reviews = new Map<string, { aborted: boolean }>();
/** Open snapshots, the most recently used last; a few are kept open (each opened once, however many ask). */
const readers = new Map<string, Promise<SnapshotReader>>();
const READERS_OPEN = 6;

async function reader(path: string): Promise<SnapshotReader> {
  let r = readers.get(path);
  if (r) {
    readers.delete(path);
    readers.set(path, r);
    return r;
  }
  r = SnapshotReader.open(path).catch((err: unknown) => {
    readers.delete(path);
    throw new OfflineError('not_found', `The snapshot cannot be opened: ${(err as Error).message}`);
  });
  readers.set(path, r);
  for (const [p, old] of readers) {
    if (readers.size <= READERS_OPEN) break;
    readers.delete(p);
    void old.then((o) => o.close()).catch(() => undefined);
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
  'sink.write-bytes': ({ id, bytes }) => {
    const s = sinkOf(id);
    s.lines ??= new LineSplitter(SNAPSHOT_FILE_LIMITS.maxRecordBytes);
    const out: TextLine[] = [];
    s.lines.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), out);
    return s.sink.write(out.map((l) => l.text));
  },
  'sink.finish': async ({ id }) => {
    const { sink, lines } = sinkOf(id);
    try {
      // The last line of bytes without a line break after it.
      const last: TextLine[] = [];
      lines?.end(last);
      if (last.length) await sink.write(last.map((l) => l.text));
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
  'snapshot.meta': async ({ path }) => (await reader(path)).meta,
  'snapshot.query': async ({ path, q, sort, offset, limit }) => {
    const t0 = performance.now();
    const r = await (await reader(path)).query(q, { offset, limit, ...(sort ? { sort } : {}) });
    // A snapshot keeps each user as Auth0 gave it (users are checked on the way in).
    return { total: r.total, users: r.users as Auth0User[], ms: performance.now() - t0 };
  },
  'snapshot.counts': async ({ path, queries, facets }) => {
    const t0 = performance.now();
    const r = await reader(path);
    const totals: number[] = [];
    for (const q of queries) totals.push((await r.query(q, { offset: 0, limit: 0 })).total);
    const byField: Record<string, { key: string; count: number }[]> = {};
    for (const f of facets) byField[f.field] = await r.facet(f.field, f.limit);
    return { totals, facets: byField, ms: performance.now() - t0 };
  },
  'snapshot.user': async ({ path, userId }) => {
    const u = await (await reader(path)).user(userId);
    if (!u) throw new OfflineError('not_found', 'That user is not in this snapshot.');
    return u as Auth0User;
  },
  'snapshot.close': async ({ path }): Promise<true> => {
    const r = readers.get(path);
    readers.delete(path);
    await r?.then((o) => o.close()).catch(() => undefined);
    return true;
  },
  /** A snapshot of the earlier format rewritten in this one (the caller removes the old file). */
  'snapshot.convert': ({ from, to }) => convertLegacySnapshot(from, to),
  /** A snapshot's users (every one, or a query's matches) into a sink writing a file. */
  'snapshot.export': async ({ id, path, q, spec }, progress) => {
    const sink = new Sink(spec);
    const signal = { aborted: false };
    sinks.set(id, { sink, signal });
    try {
      let batch: Record<string, unknown>[] = [];
      for await (const u of (await reader(path)).matching(q)) {
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
  compare: async ({ before, after, out, options }, progress) =>
    compareSnapshots(
      await reader(before),
      await reader(after),
      out,
      (done, total) => progress({ done, total }),
      options,
    ),
  'compare.items': ({ path, kind, field, offset, limit }) => compareItems(path, kind, field, offset, limit),
  /** A users file for an import checked and split into chunks (nothing is sent from here). */
  'import.prepare': (args) => prepareImport(args),
  'compare.csv': ({ path, csvPath, names }) => compareCsv(path, csvPath, names),
  /** An access review report: the snapshot read through its reader, the changes through the one comparison. */
  review: async ({ id, path, previousPath, out, compareOut, format, roles, inactiveDays }, progress) => {
    const signal = { aborted: false };
    reviews.set(id, signal);
    const current = await reader(path);
    const previous = previousPath ? await reader(previousPath) : null;
    const meta = current.meta;
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

// Snapshots are built by a process of their own, which main starts (a worker thread cannot start Electron's utility
// processes): asked here, answered by main.
const builds = new Map<
  number,
  { resolve: (r: Awaited<ReturnType<SnapshotBuilder>>) => void; reject: (e: Error) => void }
>();
let nextBuild = 1;
setSnapshotBuilder(
  (request) =>
    new Promise((resolve, reject) => {
      const buildId = nextBuild++;
      builds.set(buildId, { resolve, reject });
      port.postMessage({ build: { buildId, request } } satisfies WorkerBuildAsk);
    }),
);

port.on('message', (req: WorkerRequest | WorkerBuildAnswer) => {
  if ('buildDone' in req) {
    const b = builds.get(req.buildDone);
    builds.delete(req.buildDone);
    if (req.ok) {
      const { ok: _ok, buildDone: _id, ...result } = req;
      b?.resolve(result);
    } else b?.reject(new Error(req.message));
    return;
  }
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
