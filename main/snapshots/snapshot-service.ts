// Offline snapshots in the data dir (snapshots/<id>.duckdb): listed, searched with Auth0's syntax and the tenant's
// rules (no tenant, no network), opened user by user, exported, compared, and deleted only when asked. A users file
// exported elsewhere becomes a snapshot too. The heavy work runs in the offline worker; this service keeps paths,
// ids and progress.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type {
  Auth0User,
  ChannelParsedInput,
  CompareItem,
  CompareSummary,
  DownloadRef,
  ErrorEnvelope,
  ExportStatus,
  SnapshotSummary,
  UserSearchResult,
} from '../../preload/contract.js';
import type { DiagnosticsLog } from '../diagnostics/diagnostics-log.js';
import type { DownloadStore } from '../downloads/download-store.js';
import { AppError } from '../errors.js';
import type { OfflineEngine } from '../offline/offline-engine.js';
import type { SinkResult } from '../offline/sink.js';
import type { WorkerArgs, WorkerProgress } from '../offline/protocol.js';
import type { TenantService } from '../tenants/tenant-service.js';
import type { UploadStore } from '../uploads/upload-store.js';
import type { SnapshotMeta } from './snapshot-file.js';
import { sweepTemporary } from '../fs/sweep.js';
import type { TaskContext, TaskEnd, TaskEngine, TaskKindModule } from '../tasks/engine.js';
import { CONTENT_TYPES, exportDescription, snapshotId } from '../exports/export-service.js';

export interface SnapshotServiceOptions {
  dir: string;
  engine: OfflineEngine;
  downloads: DownloadStore;
  uploads: UploadStore;
  tenants: TenantService;
  tasks: TaskEngine;
  envelope: (err: unknown, what: string) => ErrorEnvelope;
  log: DiagnosticsLog;
}

/** The users file a snapshot is opened from, moved into its task's folder until the task ends. */
const SOURCE_FILE = 'source';
/** A comparison's result, in its task's folder. */
const COMPARE_FILE = 'compare.sqlite';

/** The long work of this feature keeps its ExportStatus, as the Snapshots screen shows it. */
interface StatusState {
  status: ExportStatus;
}
interface OpenFileSpec {
  meta: Omit<SnapshotMeta, 'count'>;
}
interface SnapshotExportSpec {
  input: ChannelParsedInput<'snapshots:export'>;
  count: number;
  fileName: string;
}
interface CompareSpec {
  before: SnapshotSummary;
  after: SnapshotSummary;
  key: string;
  fields: string[] | null;
  label: string;
}
interface CompareState {
  summary?: CompareSummary;
}

export class SnapshotService {
  constructor(private readonly o: SnapshotServiceOptions) {
    mkdirSync(o.dir, { recursive: true, mode: 0o700 });
    // A snapshot half-built by a crash was never finished. (Those of another Tenant Desk still running on this data
    // dir are its own, and stay.) Comparisons of an earlier version were for the session that made them.
    sweepTemporary(o.dir, 1);
    rmSync(join(o.dir, 'comparisons'), { recursive: true, force: true });
    o.tasks.register(this.openFileKind);
    o.tasks.register(this.exportKind);
    o.tasks.register(this.compareKind);
  }

  private path(id: string): string {
    return join(this.o.dir, `${id}.duckdb`);
  }

  /** A snapshot of the earlier format (SQLite), converted on its first open. */
  private legacyPath(id: string): string {
    return join(this.o.dir, `${id}.sqlite`);
  }

  /** Converts a snapshot of the earlier format once (every caller asking meanwhile waits for the same work). */
  private converting = new Map<string, Promise<void>>();
  private async converted(id: string): Promise<void> {
    if (existsSync(this.path(id)) || !existsSync(this.legacyPath(id))) return;
    let work = this.converting.get(id);
    if (!work) {
      work = (async () => {
        await this.o.engine.call('snapshot.convert', { from: this.legacyPath(id), to: this.path(id) });
        rmSync(this.legacyPath(id), { force: true });
        this.o.log.write('info', 'a snapshot of the earlier format was converted', { snapshot: id });
      })().finally(() => this.converting.delete(id));
      this.converting.set(id, work);
    }
    await work;
  }

  summarize(meta: SnapshotMeta): SnapshotSummary {
    let bytes = 0;
    try {
      bytes = statSync(this.path(meta.id)).size;
    } catch {
      // listed as it was found
    }
    return { ...meta, bytes };
  }

  private async meta(id: string): Promise<SnapshotMeta> {
    try {
      await this.converted(id);
    } catch (err) {
      throw new AppError(
        'validation',
        `That snapshot (of an earlier version) could not be converted: ${(err as Error).message}`,
      );
    }
    try {
      statSync(this.path(id));
    } catch {
      throw new AppError('not_found', 'That snapshot does not exist (it may have been deleted).');
    }
    return this.o.engine.call('snapshot.meta', { path: this.path(id) });
  }

  /** A snapshot's summary and its file, for other work on snapshots (the access review); not found said in words. */
  async described(id: string): Promise<{ summary: SnapshotSummary; path: string }> {
    return { summary: this.summarize(await this.meta(id)), path: this.path(id) };
  }

  async list(): Promise<SnapshotSummary[]> {
    const out: SnapshotSummary[] = [];
    for (const name of readdirSync(this.o.dir)) {
      const m = /^(snap_[0-9a-f]{16})\.(duckdb|sqlite)$/.exec(name);
      if (!m) continue;
      // Both while an earlier-format file is being converted: listed once.
      if (m[2] === 'sqlite' && existsSync(this.path(m[1]!))) continue;
      try {
        out.push(this.summarize(await this.meta(m[1]!)));
      } catch (err) {
        this.o.log.write('warn', 'a snapshot could not be read', {
          file: name,
          message: (err as Error).message,
        });
      }
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async search(input: ChannelParsedInput<'snapshots:search'>): Promise<UserSearchResult & { ms: number }> {
    await this.meta(input.snapshotId);
    const r = await this.o.engine.call('snapshot.query', {
      path: this.path(input.snapshotId),
      q: input.q,
      ...(input.sort ? { sort: input.sort } : {}),
      offset: input.page * input.perPage,
      limit: input.perPage,
    });
    return {
      users: r.users,
      total: r.total,
      start: input.page * input.perPage,
      limit: input.perPage,
      capped: false,
      ms: r.ms,
    };
  }

  /** Insights over a snapshot: its date, how many users match each query, and the most held keys of some fields. */
  async counts(
    snapshotId: string,
    build: (createdAt: string) => { queries: string[]; facets: { field: string; limit: number }[] },
  ): Promise<{
    createdAt: string;
    totals: number[];
    facets: Record<string, { key: string; count: number }[]>;
  }> {
    const meta = await this.meta(snapshotId);
    const { queries, facets } = build(meta.createdAt);
    const r = await this.o.engine.call('snapshot.counts', { path: this.path(snapshotId), queries, facets });
    return { createdAt: meta.createdAt, totals: r.totals, facets: r.facets };
  }

  async user(snapshotId: string, userId: string): Promise<Auth0User> {
    await this.meta(snapshotId);
    return this.o.engine.call('snapshot.user', { path: this.path(snapshotId), userId });
  }

  async delete(snapshotId: string): Promise<{ deleted: true }> {
    await this.meta(snapshotId);
    await this.o.engine.call('snapshot.close', { path: this.path(snapshotId) });
    rmSync(this.path(snapshotId), { force: true });
    // Its comparisons hold its users too: they go with it.
    for (const task of await this.o.tasks.list({ kind: 'compare' })) {
      const spec = this.o.tasks.record<CompareSpec, CompareState>(task.id).spec;
      if (spec.before.id === snapshotId || spec.after.id === snapshotId) await this.o.tasks.forget(task.id);
    }
    return { deleted: true };
  }

  // ---------- long work: tasks of the engine ----------

  /** A users file (from uploads) opened as a new snapshot: a task; the file moves into it and goes when it ends. */
  async openFile(input: ChannelParsedInput<'snapshots:open-file'>): Promise<ExportStatus> {
    const upload = this.o.uploads.file(input.uploadId);
    const tenant = input.tenantId ? this.o.tenants.stored(input.tenantId) : null;
    if (this.o.tasks.has(input.exportId)) throw new AppError('conflict', 'That work exists already.');
    const status: ExportStatus = {
      exportId: input.exportId,
      kind: 'open-file',
      tenantId: tenant?.id ?? null,
      label: `${upload.name} as the snapshot \u201c${input.label}\u201d`,
      phase: 'reading',
      method: 'file',
      percentDone: 0,
      timeLeftSeconds: null,
      users: 0,
      written: 0,
      message: 'Reading the file',
      notes: [],
    };
    const meta: Omit<SnapshotMeta, 'count'> = {
      id: snapshotId(),
      tenantId: tenant?.id ?? null,
      tenantLabel: input.label,
      tenantDomain: tenant?.domain ?? null,
      environment: tenant?.environment ?? null,
      createdAt: new Date().toISOString(),
      sourceLabel: `the file ${upload.name}`,
      query: null,
      fields: [],
      origin: 'file',
      fileName: upload.name,
    };
    const task = await this.o.tasks.create<OpenFileSpec, StatusState>('snapshot-file', {
      id: input.exportId,
      tenantId: tenant?.id ?? null,
      tenantDomain: tenant?.domain ?? null,
      spec: { meta },
      state: { status },
      adopt: (dir) => this.o.uploads.moveTo(input.uploadId, join(dir, SOURCE_FILE)),
    });
    return (task.detail as { export: ExportStatus }).export;
  }

  /** A worker call for a task: aborted (its half-written output removed) when the task is asked to stop. */
  private async workerCall<M extends 'snapshot.open-file' | 'snapshot.export'>(
    ctx: TaskContext<unknown, StatusState>,
    method: M,
    args: Omit<WorkerArgs<M>, 'id'>,
    onProgress: (p: WorkerProgress<M>) => void,
  ): Promise<SinkResult> {
    const abort = () => void this.o.engine.call('sink.abort', { id: ctx.id }).catch(() => undefined);
    ctx.signal.addEventListener('abort', abort, { once: true });
    try {
      return await this.o.engine.call(method, { id: ctx.id, ...args } as WorkerArgs<M>, onProgress);
    } finally {
      ctx.signal.removeEventListener('abort', abort);
    }
  }

  /** How a stopped or failed run of a task of these kinds ends. */
  private stopped(ctx: TaskContext<unknown, StatusState>, err: unknown, what: string): TaskEnd {
    const status = ctx.state.status;
    if (ctx.stop?.kind === 'cancel') {
      Object.assign(status, { phase: 'cancelled', message: 'Cancelled' });
      ctx.save(true);
      return { status: 'cancelled' };
    }
    if (ctx.stop) return { status: 'paused', reason: ctx.stop.reason ?? 'Stopped.' };
    const error = this.o.envelope(err, what);
    Object.assign(status, { phase: 'failed', message: 'Failed', error });
    ctx.save(true);
    return { status: 'failed', reason: error.message };
  }

  readonly openFileKind: TaskKindModule<OpenFileSpec, StatusState> = {
    kind: 'snapshot-file',
    pausable: false,
    run: async (ctx) => {
      const status = ctx.state.status;
      Object.assign(status, { phase: 'reading', message: 'Reading the file', users: 0, written: 0 });
      delete status.error;
      ctx.save(true);
      try {
        const r = await this.workerCall(
          ctx as TaskContext<unknown, StatusState>,
          'snapshot.open-file',
          {
            path: join(ctx.dir, SOURCE_FILE),
            spec: {
              input: 'export-line',
              snapshot: { path: this.path(ctx.spec.meta.id), meta: ctx.spec.meta },
            },
          },
          ({ read = 0, bytesRead = 0, bytes = 1 }) => {
            Object.assign(status, {
              users: read,
              written: read,
              percentDone: Math.floor((bytesRead / bytes) * 100),
            });
            ctx.progress();
          },
        );
        Object.assign(status, {
          phase: 'completed',
          message: 'Done',
          users: r.read,
          written: r.written,
          percentDone: 100,
          ...(r.snapshot ? { snapshot: this.summarize(r.snapshot) } : {}),
        });
        ctx.save(true);
        return { status: 'completed' };
      } catch (err) {
        return this.stopped(
          ctx as TaskContext<unknown, StatusState>,
          err,
          'opening a users file as a snapshot',
        );
      }
    },
    cancelStopped: (ctx) => {
      Object.assign(ctx.state.status, { phase: 'cancelled', message: 'Cancelled' });
      return 'Cancelled.';
    },
    // The users file is not kept once it is a snapshot (or will not be one).
    ended: (ctx) => rmSync(join(ctx.dir, SOURCE_FILE), { force: true }),
    describe: (record) => exportDescription(record.state.status, 'snapshot-file'),
  };

  /** A snapshot's users (all, or a query's matches) as a file: a task. */
  async export(input: ChannelParsedInput<'snapshots:export'>): Promise<ExportStatus> {
    const meta = await this.meta(input.snapshotId);
    if (this.o.tasks.has(input.exportId)) throw new AppError('conflict', 'That work exists already.');
    const status: ExportStatus = {
      exportId: input.exportId,
      kind: 'snapshot-export',
      tenantId: meta.tenantId,
      label: `${input.q.trim() ? `The users matching ${input.q.trim()}` : 'Every user'} of the snapshot of ${meta.tenantLabel} as ${input.format.toUpperCase()}`,
      phase: 'writing',
      method: 'snapshot',
      percentDone: null,
      timeLeftSeconds: null,
      users: 0,
      written: 0,
      message: 'Writing the file',
      notes: [],
    };
    const task = await this.o.tasks.create<SnapshotExportSpec, StatusState>('snapshot-export', {
      id: input.exportId,
      tenantId: meta.tenantId,
      tenantDomain: meta.tenantDomain,
      spec: {
        input,
        count: meta.count,
        fileName: `${meta.tenantLabel.replace(/[^\w.-]+/g, '-')}-snapshot-${meta.createdAt.slice(0, 10)}${input.q.trim() ? '-query' : ''}.${input.format}`,
      },
      state: { status },
    });
    return (task.detail as { export: ExportStatus }).export;
  }

  readonly exportKind: TaskKindModule<SnapshotExportSpec, StatusState> = {
    kind: 'snapshot-export',
    pausable: false,
    run: async (ctx) => {
      const { input } = ctx.spec;
      const status = ctx.state.status;
      Object.assign(status, {
        phase: 'writing',
        message: 'Writing the file',
        users: 0,
        written: 0,
        notes: [],
      });
      delete status.error;
      ctx.save(true);
      const file = this.o.downloads.reserve(ctx.spec.fileName, CONTENT_TYPES[input.format]);
      try {
        await this.meta(input.snapshotId);
        const r = await this.workerCall(
          ctx as TaskContext<unknown, StatusState>,
          'snapshot.export',
          {
            path: this.path(input.snapshotId),
            q: input.q,
            spec: {
              input: 'user',
              file: { path: file.path, format: input.format, fields: input.fields, bom: input.bom },
            },
          },
          ({ read = 0 }) => {
            Object.assign(status, {
              users: read,
              written: read,
              percentDone: Math.floor((read / Math.max(1, ctx.spec.count)) * 100),
            });
            ctx.progress();
          },
        );
        const done = await file.commit();
        status.notes.push(...r.notes);
        Object.assign(status, {
          phase: 'completed',
          message: 'Done',
          users: r.read,
          written: r.written,
          percentDone: 100,
          file: { id: done.id, filename: done.filename, bytes: done.bytes },
        });
        ctx.save(true);
        return { status: 'completed' };
      } catch (err) {
        file.discard();
        return this.stopped(ctx as TaskContext<unknown, StatusState>, err, 'snapshot export');
      }
    },
    cancelStopped: (ctx) => {
      Object.assign(ctx.state.status, { phase: 'cancelled', message: 'Cancelled' });
      return 'Cancelled.';
    },
    describe: (record) => exportDescription(record.state.status, 'snapshot-export'),
  };

  /**
   * Two snapshots compared — by user_id (one tenant over time), or across tenants by email or another field, then
   * only over the chosen fields — as a task whose result is kept in its folder; resolves with the comparison.
   */
  async compare(
    beforeId: string,
    afterId: string,
    options: { key?: string; fields?: string[]; label?: string; tenantId?: string } = {},
  ): Promise<CompareSummary> {
    if (beforeId === afterId) throw new AppError('validation', 'Choose two different snapshots to compare.');
    const [before, after] = [
      this.summarize(await this.meta(beforeId)),
      this.summarize(await this.meta(afterId)),
    ];
    const compareId = `cmp_${randomBytes(8).toString('hex')}`;
    await this.o.tasks.create<CompareSpec, CompareState>('compare', {
      id: compareId,
      tenantId: options.tenantId ?? after.tenantId,
      tenantDomain: after.tenantDomain,
      spec: {
        before,
        after,
        key: options.key ?? 'user_id',
        fields: options.fields ?? null,
        label:
          options.label ??
          `${before.tenantLabel} (${before.createdAt.slice(0, 16).replace('T', ' ')}) with ${after.tenantLabel} (${after.createdAt.slice(0, 16).replace('T', ' ')})`,
      },
      state: {},
    });
    await this.o.tasks.settled(compareId);
    const record = this.o.tasks.record<CompareSpec, CompareState>(compareId, 'compare');
    if (record.state.summary) return record.state.summary;
    throw new AppError(
      record.status === 'cancelled' ? 'validation' : 'internal',
      record.status === 'cancelled'
        ? 'The comparison was cancelled.'
        : (record.reason ?? 'The comparison failed.'),
    );
  }

  readonly compareKind: TaskKindModule<CompareSpec, CompareState> = {
    kind: 'compare',
    pausable: false,
    run: async (ctx) => {
      const { before, after, key, fields } = ctx.spec;
      delete ctx.state.summary;
      ctx.save(true);
      const out = join(ctx.dir, COMPARE_FILE);
      try {
        await this.meta(before.id);
        await this.meta(after.id);
        rmSync(out, { force: true });
        const counts = await this.o.engine.call('compare', {
          before: this.path(before.id),
          after: this.path(after.id),
          out,
          options: { key, fields },
        });
        ctx.state.summary = {
          compareId: ctx.id,
          before,
          after,
          ...counts,
          sameTenant: before.tenantDomain !== null && before.tenantDomain === after.tenantDomain,
          key,
          compared: fields,
        };
        ctx.save(true);
        return { status: 'completed' };
      } catch (err) {
        rmSync(out, { force: true });
        if (ctx.stop?.kind === 'cancel') return { status: 'cancelled' };
        if (ctx.stop) return { status: 'paused', reason: ctx.stop.reason ?? 'Stopped.' };
        return { status: 'failed', reason: this.o.envelope(err, 'comparison').message };
      }
    },
    describe: (record) => {
      const s = record.state.summary;
      return {
        label: record.spec.label,
        progress: {
          done: s ? s.added + s.removed + s.changed : 0,
          total: null,
          unit: 'differences',
          words: s
            ? `${s.added.toLocaleString('en')} added, ${s.removed.toLocaleString('en')} removed, ${s.changed.toLocaleString('en')} changed`
            : record.status === 'running'
              ? 'Comparing'
              : 'Not compared',
        },
        detail: { kind: 'compare', ...(s ? { compare: s } : {}) },
      };
    },
  };

  private comparison(id: string): { path: string; summary: CompareSummary } {
    const record = this.o.tasks.has(id)
      ? this.o.tasks.record<CompareSpec, CompareState>(id, 'compare')
      : null;
    const path = join(this.o.tasks.taskDir(id), COMPARE_FILE);
    if (!record?.state.summary || !existsSync(path))
      throw new AppError('not_found', 'That comparison is no longer available; compare the snapshots again.');
    return { path, summary: record.state.summary };
  }

  compareItems(
    input: ChannelParsedInput<'snapshots:compare-items'>,
  ): Promise<{ items: CompareItem[]; total: number }> {
    const c = this.comparison(input.compareId);
    return this.o.engine.call('compare.items', {
      path: c.path,
      kind: input.kind,
      ...(input.field ? { field: input.field } : {}),
      offset: input.offset,
      limit: input.limit,
    });
  }

  async compareExport(compareId: string): Promise<DownloadRef> {
    const c = this.comparison(compareId);
    const name = (s: SnapshotSummary) => s.createdAt.slice(0, 16).replace(/[-:T]/g, '');
    const safe = (label: string) => label.replace(/[^\w.-]+/g, '-');
    const { before, after, key } = c.summary;
    const across = key !== 'user_id';
    const file = this.o.downloads.reserve(
      across
        ? `${safe(before.tenantLabel)}-vs-${safe(after.tenantLabel)}-by-${safe(key)}-${name(after)}.csv`
        : `${safe(after.tenantLabel)}-changes-${name(before)}-${name(after)}.csv`,
      'text/csv; charset=utf-8',
    );
    try {
      await this.o.engine.call('compare.csv', {
        path: c.path,
        csvPath: file.path,
        ...(across ? { names: { key, before: before.tenantLabel, after: after.tenantLabel } } : {}),
      });
    } catch (err) {
      file.discard();
      throw err;
    }
    const done = await file.commit();
    return { id: done.id, filename: done.filename, bytes: done.bytes };
  }
}
