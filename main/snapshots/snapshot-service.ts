// Offline snapshots in the data dir (snapshots/<id>.sqlite): listed, searched with Auth0's syntax and the tenant's
// rules (no tenant, no network), opened user by user, exported, compared, and deleted only when asked. A users file
// exported elsewhere becomes a snapshot too. The heavy work runs in the offline worker; this service keeps paths,
// ids and progress.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type {
  Auth0User,
  ChannelParsedInput,
  CompareItem,
  CompareSummary,
  DownloadRef,
  ErrorEnvelope,
  ExportFormat,
  ExportStatus,
  SnapshotSummary,
  UserSearchResult,
} from '../../preload/contract.js';
import type { DiagnosticsLog } from '../diagnostics/diagnostics-log.js';
import type { DownloadStore } from '../downloads/download-store.js';
import { AppError } from '../errors.js';
import { snapshotId } from '../exports/export-service.js';
import type { OfflineEngine } from '../offline/offline-engine.js';
import type { SinkResult } from '../offline/sink.js';
import type { TenantService } from '../tenants/tenant-service.js';
import type { UploadStore } from '../uploads/upload-store.js';
import type { SnapshotMeta } from './snapshot-file.js';
import type { CompareCounts } from '../offline/compare.js';
import { sessionName, sweepTemporary } from '../fs/sweep.js';

export interface SnapshotServiceOptions {
  dir: string;
  engine: OfflineEngine;
  downloads: DownloadStore;
  uploads: UploadStore;
  tenants: TenantService;
  emit: (status: ExportStatus) => void;
  envelope: (err: unknown, what: string) => ErrorEnvelope;
  log: DiagnosticsLog;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export class SnapshotService {
  private readonly compareDir: string;
  private readonly comparisons = new Map<string, { path: string; summary: CompareSummary }>();
  private readonly running = new Map<string, { aborted: boolean; status: ExportStatus }>();

  constructor(private readonly o: SnapshotServiceOptions) {
    mkdirSync(o.dir, { recursive: true, mode: 0o700 });
    this.compareDir = join(o.dir, 'comparisons');
    mkdirSync(this.compareDir, { recursive: true, mode: 0o700 });
    // Comparisons are for the session that made them; a snapshot half-built by a crash was never finished. (Those of
    // another Tenant Desk still running on this data dir are its own, and stay.)
    sweepTemporary(o.dir, 1);
  }

  private path(id: string): string {
    return join(this.o.dir, `${id}.sqlite`);
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
      statSync(this.path(id));
    } catch {
      throw new AppError('not_found', 'That snapshot does not exist (it may have been deleted).');
    }
    return this.o.engine.call<SnapshotMeta>('snapshot.meta', { path: this.path(id) });
  }

  async list(): Promise<SnapshotSummary[]> {
    const out: SnapshotSummary[] = [];
    for (const name of readdirSync(this.o.dir)) {
      const m = /^(snap_[0-9a-f]{16})\.sqlite$/.exec(name);
      if (!m) continue;
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
    const r = await this.o.engine.call<{ total: number; users: Auth0User[]; ms: number }>('snapshot.query', {
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

  async user(snapshotId: string, userId: string): Promise<Auth0User> {
    await this.meta(snapshotId);
    return this.o.engine.call<Auth0User>('snapshot.user', { path: this.path(snapshotId), userId });
  }

  async delete(snapshotId: string): Promise<{ deleted: true }> {
    await this.meta(snapshotId);
    await this.o.engine.call('snapshot.close', { path: this.path(snapshotId) });
    rmSync(this.path(snapshotId), { force: true });
    for (const [id, c] of this.comparisons)
      if (c.summary.before.id === snapshotId || c.summary.after.id === snapshotId) {
        this.comparisons.delete(id);
        rmSync(c.path, { force: true });
      }
    return { deleted: true };
  }

  /** A users file (from uploads) opened as a new snapshot, as a job with progress events. */
  openFile(input: ChannelParsedInput<'snapshots:open-file'>): ExportStatus {
    const file = this.o.uploads.file(input.uploadId);
    const tenant = input.tenantId ? this.o.tenants.stored(input.tenantId) : null;
    const id = snapshotId();
    const status: ExportStatus = {
      exportId: input.exportId,
      kind: 'open-file',
      tenantId: tenant?.id ?? null,
      label: `${file.name} as the snapshot “${input.label}”`,
      phase: 'reading',
      method: 'file',
      percentDone: 0,
      timeLeftSeconds: null,
      users: 0,
      written: 0,
      message: 'Reading the file',
      notes: [],
    };
    const signal = { aborted: false, status };
    this.running.set(input.exportId, signal);
    const meta: Omit<SnapshotMeta, 'count'> = {
      id,
      tenantId: tenant?.id ?? null,
      tenantLabel: input.label,
      tenantDomain: tenant?.domain ?? null,
      environment: tenant?.environment ?? null,
      createdAt: new Date().toISOString(),
      sourceLabel: `the file ${file.name}`,
      query: null,
      fields: [],
      origin: 'file',
      fileName: file.name,
    };
    let last = 0;
    void this.o.engine
      .call<SinkResult>(
        'snapshot.open-file',
        {
          id: input.exportId,
          path: file.path,
          spec: { input: 'export-line', snapshot: { path: this.path(id), meta } },
        },
        (p) => {
          const { read, bytesRead, bytes } = p as { read: number; bytesRead: number; bytes: number };
          if (Date.now() - last < 250) return;
          last = Date.now();
          Object.assign(status, {
            users: read,
            written: read,
            percentDone: Math.floor((bytesRead / bytes) * 100),
          });
          this.o.emit({ ...status });
        },
      )
      .then((r) => {
        Object.assign(status, {
          phase: 'completed',
          message: 'Done',
          users: r.read,
          written: r.written,
          percentDone: 100,
          ...(r.snapshot ? { snapshot: this.summarize(r.snapshot) } : {}),
        });
      })
      .catch((err: unknown) => {
        Object.assign(
          status,
          signal.aborted
            ? { phase: 'cancelled', message: 'Cancelled' }
            : {
                phase: 'failed',
                message: 'Failed',
                error: this.o.envelope(err, 'opening a users file as a snapshot'),
              },
        );
      })
      .finally(() => {
        this.running.delete(input.exportId);
        this.o.uploads.remove(input.uploadId);
        this.o.emit({ ...status });
      });
    return { ...status };
  }

  /** Cancels an import or a snapshot export; null when it is not one of ours. */
  async cancel(exportId: string): Promise<ExportStatus | null> {
    const run = this.running.get(exportId);
    if (!run) return null;
    run.aborted = true;
    await this.o.engine.call('sink.abort', { id: exportId }).catch(() => undefined);
    return { ...run.status };
  }

  /** A snapshot's users (all, or a query's matches) as a file, as a job with progress events. */
  async export(input: ChannelParsedInput<'snapshots:export'>): Promise<ExportStatus> {
    const meta = await this.meta(input.snapshotId);
    const file = this.o.downloads.reserve(
      `${meta.tenantLabel.replace(/[^\w.-]+/g, '-')}-snapshot-${meta.createdAt.slice(0, 10)}${input.q.trim() ? '-query' : ''}.${input.format}`,
      CONTENT_TYPES[input.format],
    );
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
    const signal = { aborted: false, status };
    this.running.set(input.exportId, signal);
    let last = 0;
    void this.o.engine
      .call<SinkResult>(
        'snapshot.export',
        {
          id: input.exportId,
          path: this.path(input.snapshotId),
          q: input.q,
          spec: {
            input: 'user',
            file: { path: file.path, format: input.format, fields: input.fields, bom: input.bom },
          },
        },
        (p) => {
          if (Date.now() - last < 250) return;
          last = Date.now();
          const { read } = p as { read: number };
          Object.assign(status, {
            users: read,
            written: read,
            percentDone: Math.floor((read / Math.max(1, meta.count)) * 100),
          });
          this.o.emit({ ...status });
        },
      )
      .then(async (r) => {
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
      })
      .catch((err: unknown) => {
        file.discard();
        Object.assign(
          status,
          signal.aborted
            ? { phase: 'cancelled', message: 'Cancelled' }
            : { phase: 'failed', message: 'Failed', error: this.o.envelope(err, 'snapshot export') },
        );
      })
      .finally(() => {
        this.running.delete(input.exportId);
        this.o.emit({ ...status });
      });
    return { ...status };
  }

  /**
   * Two snapshots compared: by user_id (one tenant over time), or across tenants by email or another field, then
   * only over the chosen fields.
   */
  async compare(
    beforeId: string,
    afterId: string,
    options: { key?: string; fields?: string[] } = {},
  ): Promise<CompareSummary> {
    if (beforeId === afterId) throw new AppError('validation', 'Choose two different snapshots to compare.');
    const [before, after] = [
      this.summarize(await this.meta(beforeId)),
      this.summarize(await this.meta(afterId)),
    ];
    const compareId = `cmp_${randomBytes(8).toString('hex')}`;
    const path = join(this.compareDir, sessionName(`${compareId}.sqlite`));
    const counts = await this.o.engine.call<CompareCounts>('compare', {
      before: this.path(beforeId),
      after: this.path(afterId),
      out: path,
      options: { key: options.key ?? 'user_id', fields: options.fields ?? null },
    });
    const summary: CompareSummary = {
      compareId,
      before,
      after,
      ...counts,
      sameTenant: before.tenantDomain !== null && before.tenantDomain === after.tenantDomain,
      key: options.key ?? 'user_id',
      compared: options.fields ?? null,
    };
    this.comparisons.set(compareId, { path, summary });
    return summary;
  }

  private comparison(id: string) {
    const c = this.comparisons.get(id);
    if (!c)
      throw new AppError('not_found', 'That comparison is no longer available; compare the snapshots again.');
    return c;
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
