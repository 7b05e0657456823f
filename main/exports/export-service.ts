// Exports: any list of users to a CSV, NDJSON or XLSX file, streamed, and optionally kept as an offline snapshot.
//
// How the users are read: a whole tenant or connection through Auth0's users-export job; a query's matches through
// search while they are at most 1,000, else through an export job filtered here with the tenant's own query rules;
// picked rows by their ids. How the file is made: when Auth0 can write it as asked (NDJSON; CSV of at most 30 fields
// without whole metadata objects) and no snapshot is kept, Auth0's file is streamed through gunzip straight into
// ours — CSV with a guard that neutralises formulas on the way — the fast path; otherwise Auth0 is asked for JSON with
// every field and the offline worker writes the file (and the snapshot) from it. Progress goes out as events;
// cancelling stops the download and removes what was half-written.
import { scopedSignal } from '../auth0/scoped-signal.js';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AUTH0_CSV_MAX_FIELDS,
  type ChannelParsedInput,
  type ErrorEnvelope,
  type ExportField,
  type ExportFormat,
  type ExportPhase,
  type ExportSource,
  type ExportStatus,
  type SnapshotSummary,
  type TaskDetail,
  type TaskProgress,
} from '../../preload/contract.js';
import { QueryError } from '../../query/index.js';
import { checkQuery, queryError } from '../query-check.js';
import type { DownloadStore } from '../downloads/download-store.js';
import { AppError } from '../errors.js';
import { EXPORT_FIELDS } from '../offline/export-lines.js';
import type { OfflineEngine } from '../offline/offline-engine.js';
import type { SinkResult, SinkSpec } from '../offline/sink.js';
import { withRequestPolicy } from '../scheduler/rate-scheduler.js';
import type { ManagementClient } from 'auth0';
import type { SnapshotMeta } from '../snapshots/snapshot-file.js';
import { allMembers, listOrganizations } from '../organizations/org-reads.js';
import { readMembersPage } from '../roles/role-reads.js';
import type { StoredProfile } from '../tenants/profile-store.js';
import type { TaskContext, TaskEnd, TaskEngine, TaskKindModule } from '../tasks/engine.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { SEARCH_CAP } from '../users/user-reads.js';
import { downloadExport, downloadFailure, runExportJob } from './auth0-export.js';
import { CsvFormulaGuard } from './csv-guard.js';
import { SNAPSHOT_FILE_LIMITS, textLines } from '../intake/text.js';

export interface ExportServiceOptions {
  tenants: TenantService;
  downloads: DownloadStore;
  engine: OfflineEngine;
  tasks: TaskEngine;
  snapshotsDir: string;
  /** An error as the window shows it (scrubbed, with an incident id for our own failures). */
  envelope: (err: unknown, what: string) => ErrorEnvelope;
  /** A snapshot's summary once written (its size on disk added). */
  summarize: (meta: SnapshotMeta) => SnapshotSummary;
}

/** Each format's content type (the window's save dialog, the browser host's downloads). */
export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  parquet: 'application/vnd.apache.parquet',
};
const EXTENSIONS: Record<ExportFormat, string> = {
  csv: 'csv',
  ndjson: 'ndjson',
  xlsx: 'xlsx',
  parquet: 'parquet',
};
const PHASE_WORDS: Record<ExportPhase, string> = {
  starting: 'Starting',
  organizations: 'Reading the organizations’ members',
  roles: 'Reading the roles’ members',
  pending: 'Auth0 has queued the export',
  processing: 'Auth0 is exporting the users',
  downloading: 'Downloading and writing the file',
  searching: 'Reading the users through search',
  reading: 'Reading the users',
  writing: 'Writing the file',
  completed: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};
const BATCH_BYTES = 1 << 18;
const LOOKUP_BATCH = 50;

const isWholeMetadata = (f: ExportField) => f.name === 'app_metadata' || f.name === 'user_metadata';
const quoteTerm = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;

export function snapshotId(): string {
  return `snap_${randomBytes(8).toString('hex')}`;
}

/** Counts the line feeds going through (NDJSON: one user per line). */
class LineCounter extends Transform {
  lines = 0;
  constructor() {
    super({ highWaterMark: 1 << 20 });
  }
  override _transform(chunk: Buffer, _e: BufferEncoding, done: (err?: Error | null, data?: Buffer) => void) {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) this.lines++;
    done(null, chunk);
  }
}

/** What an export was asked to do (its task's spec): the request, and the ids it will make, fixed up front. */
interface ExportSpec {
  input: ChannelParsedInput<'exports:start'>;
  tenantLabel: string;
  fileName: string;
  /** The snapshot it keeps, if asked: one id, so that a resumed export never makes a second. */
  snapshotId: string | null;
  snapshotCreatedAt: string;
}

/** How far it got: what the window shows, and the Auth0 export job it waits for (asked for once). */
interface ExportState {
  status: ExportStatus;
  auth0JobId?: string;
}

export class ExportService {
  constructor(private readonly o: ExportServiceOptions) {
    mkdirSync(o.snapshotsDir, { recursive: true, mode: 0o700 });
    o.tasks.register(this.kind);
  }

  async start(input: ChannelParsedInput<'exports:start'>): Promise<ExportStatus> {
    const profile = this.o.tenants.stored(input.tenantId);
    if (this.o.tasks.has(input.exportId)) throw new AppError('conflict', 'That export exists already.');
    if (input.source.kind === 'query') checkQuery(input.source.q);
    const status: ExportStatus = {
      exportId: input.exportId,
      kind: 'export',
      tenantId: profile.id,
      label: `${sourceWords(input.source)} of ${profile.label} as ${input.format.toUpperCase()}`,
      phase: 'starting',
      method: null,
      percentDone: null,
      timeLeftSeconds: null,
      users: 0,
      written: 0,
      message: PHASE_WORDS.starting,
      notes: [],
    };
    const task = await this.o.tasks.create<ExportSpec, ExportState>('export', {
      id: input.exportId,
      tenantId: profile.id,
      tenantDomain: profile.domain,
      spec: {
        input,
        tenantLabel: profile.label,
        fileName: fileName(profile, input.source, input.format),
        snapshotId: input.keepSnapshot ? snapshotId() : null,
        snapshotCreatedAt: new Date().toISOString(),
      },
      state: { status },
    });
    return (task.detail as { export: ExportStatus }).export;
  }

  /** Runs an export to its end: its last status (completed, failed or cancelled). */
  async complete(input: ChannelParsedInput<'exports:start'>): Promise<ExportStatus> {
    await this.start(input);
    await this.o.tasks.settled(input.exportId);
    return structuredClone(this.o.tasks.record<ExportSpec, ExportState>(input.exportId).state.status);
  }

  /** Exports as the engine runs them. Cancelled or stopped, the half-written file goes; resumed, Auth0's export job is not asked for again. */
  readonly kind: TaskKindModule<ExportSpec, ExportState> = {
    kind: 'export',
    pausable: false,
    run: (ctx) => this.run(ctx),
    cancelStopped: (ctx) => {
      this.update(ctx, { phase: 'cancelled' }, true);
      return 'Cancelled.';
    },
    describe: (record) => exportDescription(record.state.status, 'export'),
  };

  private update(
    ctx: TaskContext<ExportSpec, ExportState>,
    patch: Partial<ExportStatus>,
    force = false,
  ): void {
    const status = ctx.state.status;
    const phaseChanged = patch.phase !== undefined && patch.phase !== status.phase;
    Object.assign(status, patch);
    if (patch.phase) status.message = PHASE_WORDS[patch.phase];
    // A change of phase is written (a resumed export starts from it); counts are only shown.
    if (force || phaseChanged) ctx.save(true);
    else ctx.progress();
  }

  private async run(ctx: TaskContext<ExportSpec, ExportState>): Promise<TaskEnd> {
    const { signal } = ctx;
    const { input } = ctx.spec;
    const profile = this.o.tenants.stored(input.tenantId);
    const status = ctx.state.status;
    // Going on after a stop: what was counted and noted is done again from the start.
    Object.assign(status, { users: 0, written: 0, notes: [], percentDone: null, timeLeftSeconds: null });
    delete status.error;
    const file = this.o.downloads.reserve(ctx.spec.fileName, CONTENT_TYPES[input.format]);
    const sinkId = input.exportId;
    let sinkOpen = false;
    const snapshot = ctx.spec.snapshotId ? { id: ctx.spec.snapshotId } : null;
    try {
      const connection = this.o.tenants.connection(profile.id);
      const snapshotSpec: SinkSpec['snapshot'] = snapshot
        ? {
            path: join(this.o.snapshotsDir, `${snapshot.id}.duckdb`),
            meta: {
              id: snapshot.id,
              tenantId: profile.id,
              tenantLabel: profile.label,
              tenantDomain: profile.domain,
              environment: profile.environment,
              createdAt: ctx.spec.snapshotCreatedAt,
              sourceLabel: sourceWords(input.source),
              query: input.source.kind === 'query' ? input.source.q : null,
              fields: input.fields.map((f) => f.exportAs ?? f.name),
              origin: 'export',
            },
          }
        : undefined;
      // Each user's organizations, from every organization's members (Auth0's users export has none of them).
      const memberships = input.includeOrganizations
        ? await this.readMemberships(connection.management, signal, (n) =>
            this.update(ctx, { phase: 'organizations', users: n }),
          )
        : null;
      // Each user's roles, from every role's members (the export has none of them either).
      const roleHolders = input.includeRoles
        ? await this.readRoleHolders(connection.management, signal, (n) =>
            this.update(ctx, { phase: 'roles', users: n }),
          )
        : null;
      const fields = [
        ...input.fields,
        ...(memberships ? [{ name: 'organizations' }] : []),
        ...(roleHolders ? [{ name: 'roles' }] : []),
      ];
      const fileSpec = { path: file.path, format: input.format, fields, bom: input.bom };
      const openSink = async (spec: SinkSpec) => {
        await this.o.engine.call('sink.open', { id: sinkId, spec });
        sinkOpen = true;
      };
      /** Sends lines (or users' JSON) to the worker a megabyte at a time, waiting for each batch to be written. */
      const feed = async (lines: AsyncIterable<string>) => {
        const texts = memberships || roleHolders ? withAccess(lines, memberships, roleHolders) : lines;
        let batch: string[] = [];
        let bytes = 0;
        const send = async () => {
          const r = await this.o.engine.call('sink.write', {
            id: sinkId,
            texts: batch,
          });
          batch = [];
          bytes = 0;
          this.update(ctx, { users: r.read, written: r.written });
        };
        for await (const text of texts) {
          if (signal.aborted) throw signal.reason;
          batch.push(text);
          bytes += text.length;
          if (bytes >= BATCH_BYTES) await send();
        }
        if (batch.length) await send();
      };

      /** Sends the download's bytes (UTF-8 lines) to the worker a piece at a time, waiting for each to be written. */
      const feedBytes = async (chunks: AsyncIterable<Buffer>) => {
        for await (const bytes of chunks) {
          if (signal.aborted) throw signal.reason;
          const r = await this.o.engine.call('sink.write-bytes', { id: sinkId, bytes });
          this.update(ctx, { users: r.read, written: r.written });
        }
      };

      const source = input.source;
      const wholeExport = source.kind === 'tenant' || source.kind === 'connection';
      const q: string | null = source.kind === 'query' ? source.q.trim() : null;
      let method: ExportStatus['method'] = 'export-job';
      if (source.kind === 'query') {
        const first = await withRequestPolicy({ lane: 'job' }, () =>
          scopedSignal(signal, (abortSignal) =>
            connection.management.users.list(
              {
                q: q || undefined,
                search_engine: 'v3',
                page: 0,
                per_page: 1,
                include_totals: true,
                fields: 'user_id',
              },
              { abortSignal },
            ),
          ),
        );
        const total = (first.response as { total?: number }).total ?? 0;
        method = total <= SEARCH_CAP ? 'search' : 'export-job';
        if (method === 'export-job')
          status.notes.push(
            `${total.toLocaleString('en')} users match: past Auth0's 1,000-result search limit, so Auth0 exports every user and the query is applied here, with the tenant's rules`,
          );
      } else if (source.kind === 'users') method = 'lookup';
      this.update(ctx, { method });

      const passthrough =
        wholeExport &&
        !snapshot &&
        !memberships &&
        !roleHolders &&
        (input.format === 'ndjson' ||
          (input.format === 'csv' &&
            input.fields.length <= AUTH0_CSV_MAX_FIELDS &&
            !input.fields.some(isWholeMetadata)));
      if (wholeExport && !passthrough && (input.format === 'csv' || input.format === 'ndjson'))
        status.notes.push(
          snapshot
            ? 'Auth0 is asked for JSON with every field (a snapshot keeps whole users); the file is written from it here'
            : input.fields.length > AUTH0_CSV_MAX_FIELDS
              ? `Auth0 is asked for JSON: ${input.fields.length} fields are more than its CSV takes (${AUTH0_CSV_MAX_FIELDS}); the CSV is written here`
              : "Auth0 is asked for JSON: its CSV can't hold whole metadata objects; the CSV is written here",
        );

      let result: SinkResult;
      if (method === 'export-job') {
        const connectionId = source.kind === 'connection' ? source.connectionId : undefined;
        const onStatus = (s: {
          status: string;
          percentDone: number | null;
          timeLeftSeconds: number | null;
        }) =>
          this.update(ctx, {
            phase:
              s.status === 'processing' ? 'processing' : s.status === 'completed' ? 'downloading' : 'pending',
            percentDone: s.percentDone,
            timeLeftSeconds: s.timeLeftSeconds,
          });
        if (passthrough) {
          const job = await withRequestPolicy({ lane: 'job' }, () =>
            runExportJob(
              connection,
              {
                format: input.format === 'csv' ? 'csv' : 'json',
                fields: input.fields.map((f) => ({
                  name: f.name,
                  ...(f.exportAs ? { export_as: f.exportAs } : {}),
                })),
                ...(connectionId ? { connectionId } : {}),
              },
              signal,
              onStatus,
              this.auth0Job(ctx),
            ),
          );
          this.update(ctx, { phase: 'downloading' });
          const body = await downloadExport(connection, job.jobId, job.location, signal);
          const guard = input.format === 'csv' ? new CsvFormulaGuard({ bom: input.bom }) : null;
          const counter = new LineCounter();
          const tick = setInterval(
            () =>
              this.update(ctx, {
                users: guard ? guard.rows : counter.lines,
                written: guard ? guard.rows : counter.lines,
              }),
            250,
          );
          try {
            await pipeline(body, guard ?? counter, file.open(), { signal });
          } catch (err) {
            throw signal.aborted ? signal.reason : downloadFailure(err);
          } finally {
            clearInterval(tick);
          }
          const rows = guard ? guard.rows : counter.lines;
          if (guard?.neutralised)
            status.notes.push(
              `${guard.neutralised} cell${guard.neutralised === 1 ? '' : 's'} that a spreadsheet would run as a formula got a leading apostrophe`,
            );
          result = { read: rows, written: rows, notes: [] };
        } else {
          await openSink({
            input: 'export-line',
            ...(q ? { filter: q } : {}),
            file: fileSpec,
            ...(snapshotSpec ? { snapshot: snapshotSpec } : {}),
          });
          const fields = [...EXPORT_FIELDS];
          for (const f of input.fields)
            if (!fields.includes(f.name) && !/^(app|user)_metadata\./.test(f.name)) fields.push(f.name);
          const job = await withRequestPolicy({ lane: 'job' }, () =>
            runExportJob(
              connection,
              {
                format: 'json',
                fields: fields.map((name) => ({ name, export_as: name })),
                ...(connectionId ? { connectionId } : {}),
              },
              signal,
              onStatus,
              this.auth0Job(ctx),
            ),
          );
          this.update(ctx, { phase: 'downloading' });
          const body = await downloadExport(connection, job.jobId, job.location, signal);
          try {
            // Lines that gain each user's access are cut here; others go to the worker as the download's bytes, cut
            // into lines there (measured: the window's process 30 MB smaller during an XLSX export of 100,000 users).
            if (memberships || roleHolders) await feed(textLines(body, SNAPSHOT_FILE_LIMITS.maxRecordBytes));
            else await feedBytes(body);
          } catch (err) {
            throw signal.aborted ? signal.reason : downloadFailure(err);
          }
          this.update(ctx, { phase: 'writing' });
          result = await this.o.engine.call('sink.finish', { id: sinkId });
          sinkOpen = false;
        }
      } else {
        await openSink({
          input: 'user',
          file: fileSpec,
          ...(snapshotSpec ? { snapshot: snapshotSpec } : {}),
        });
        this.update(ctx, { phase: method === 'search' ? 'searching' : 'reading' });
        const management = connection.management;
        const users =
          method === 'search'
            ? (async function* () {
                for (let page = 0; page * 100 < SEARCH_CAP; page++) {
                  const r = await withRequestPolicy({ lane: 'job' }, () =>
                    scopedSignal(signal, (abortSignal) =>
                      management.users.list(
                        { q: q || undefined, search_engine: 'v3', page, per_page: 100, include_totals: true },
                        { abortSignal },
                      ),
                    ),
                  );
                  const body = r.response as { users?: unknown[]; total?: number };
                  const list = body.users ?? r.data;
                  for (const u of list) yield JSON.stringify(u);
                  if (list.length < 100 || (page + 1) * 100 >= (body.total ?? 0)) break;
                }
              })()
            : lookups(
                source.kind === 'users' ? source.userIds : [],
                async (ids) => {
                  const r = await withRequestPolicy({ lane: 'job' }, () =>
                    scopedSignal(signal, (abortSignal) =>
                      management.users.list(
                        {
                          q: `user_id:(${ids.map(quoteTerm).join(' OR ')})`,
                          search_engine: 'v3',
                          per_page: 100,
                          page: 0,
                        },
                        { abortSignal },
                      ),
                    ),
                  );
                  return ((r.response as { users?: unknown[] }).users ?? r.data) as Record<string, unknown>[];
                },
                (missing) =>
                  status.notes.push(
                    `${missing.toLocaleString('en')} of the picked users no longer exist${missing === 1 ? 's' : ''}: not in the file`,
                  ),
              );
        await feed(users);
        this.update(ctx, { phase: 'writing' });
        result = await this.o.engine.call('sink.finish', { id: sinkId });
        sinkOpen = false;
      }
      const done = await file.commit();
      status.notes.push(...result.notes);
      this.update(
        ctx,
        {
          phase: 'completed',
          users: result.read,
          written: result.written,
          percentDone: 100,
          timeLeftSeconds: 0,
          file: { id: done.id, filename: done.filename, bytes: done.bytes },
          ...(result.snapshot ? { snapshot: this.o.summarize(result.snapshot) } : {}),
        },
        true,
      );
      return { status: 'completed' };
    } catch (err) {
      if (sinkOpen) await this.o.engine.call('sink.abort', { id: sinkId }).catch(() => undefined);
      file.discard();
      if (ctx.stop?.kind === 'cancel') {
        this.update(ctx, { phase: 'cancelled' }, true);
        return { status: 'cancelled' };
      }
      // Stopped by a quit: left as it was, resumed at the next start.
      if (ctx.stop) return { status: 'paused', reason: ctx.stop.reason ?? 'Stopped.' };
      const error = this.o.envelope(err instanceof QueryError ? queryError(err) : err, 'export');
      this.update(ctx, { phase: 'failed', error }, true);
      return { status: 'failed', reason: error.message };
    }
  }

  /** The Auth0 export job this export waits for: asked for once, its id saved before anything else, found again on resume. */
  /** Who holds which role: every role's members, by checkpoint (no limit), at the tenant's rate. */
  private async readRoleHolders(
    management: ManagementClient,
    signal: AbortSignal,
    progress: (members: number) => void,
  ): Promise<Map<string, Record<string, true>>> {
    const out = new Map<string, Record<string, true>>();
    const roles: { id: string; name: string }[] = [];
    for await (const r of await withRequestPolicy({ lane: 'job' }, () =>
      management.roles.list({ per_page: 100 }),
    ))
      roles.push({ id: String(r.id), name: String(r.name ?? r.id) });
    let n = 0;
    for (const role of roles) {
      let from: string | undefined;
      do {
        if (signal.aborted) throw signal.reason;
        const page = await withRequestPolicy({ lane: 'job' }, () =>
          readMembersPage(management, role.id, from, 100),
        );
        for (const m of page.members) {
          const held = out.get(m.user_id) ?? Object.create(null);
          held[role.name] = true;
          out.set(m.user_id, held);
          if (++n % 500 === 0) progress(n);
        }
        from = page.next ?? undefined;
      } while (from);
    }
    return out;
  }

  /** Who belongs to which organization, with their organization role names: every organization's members. */
  private async readMemberships(
    management: ManagementClient,
    signal: AbortSignal,
    progress: (members: number) => void,
  ): Promise<Map<string, Record<string, { roles: string[] }>>> {
    const out = new Map<string, Record<string, { roles: string[] }>>();
    let from: string | undefined;
    let n = 0;
    do {
      const page = await withRequestPolicy({ lane: 'job' }, () =>
        listOrganizations(management, { nameFilter: '', take: 100, ...(from ? { from } : {}) }),
      );
      for (const org of page.organizations) {
        for await (const m of allMembers(management, org.id)) {
          if (signal.aborted) throw signal.reason;
          const of = out.get(m.userId) ?? Object.create(null);
          of[org.name] = { roles: m.roles.map((r) => r.name).sort() };
          out.set(m.userId, of);
          if (++n % 500 === 0) progress(n);
        }
      }
      from = page.next ?? undefined;
    } while (from);
    return out;
  }

  private auth0Job(ctx: TaskContext<ExportSpec, ExportState>) {
    return {
      ...(ctx.state.auth0JobId ? { jobId: ctx.state.auth0JobId } : {}),
      created: (jobId: string) => {
        ctx.state.auth0JobId = jobId;
        ctx.save(true);
      },
    };
  }
}

/** Picked users by id, a batch per search; how many were not found is reported. */
async function* lookups(
  ids: string[],
  find: (ids: string[]) => Promise<Record<string, unknown>[]>,
  missing: (n: number) => void,
): AsyncGenerator<string> {
  let found = 0;
  for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
    const batch = ids.slice(i, i + LOOKUP_BATCH);
    const wanted = new Set(batch);
    for (const u of await find(batch))
      if (wanted.has(u.user_id as string)) {
        wanted.delete(u.user_id as string);
        found++;
        yield JSON.stringify(u);
      }
  }
  if (found < ids.length) missing(ids.length - found);
}

/** What the Tasks screen shows of an export (of a tenant, of a snapshot, or a file opened as a snapshot). */
export function exportDescription(
  status: ExportStatus,
  kind: 'export' | 'snapshot-export' | 'snapshot-file',
): { label: string; progress: TaskProgress; detail: TaskDetail } {
  const percent =
    status.percentDone !== null && status.phase !== 'completed' ? ` (${status.percentDone}%)` : '';
  return {
    label: status.label,
    progress: { done: status.written, total: null, unit: 'users', words: `${status.message}${percent}` },
    detail: { kind, export: status },
  };
}

export function sourceWords(source: ExportSource): string {
  switch (source.kind) {
    case 'tenant':
      return 'Every user';
    case 'connection':
      return `The users of ${source.name}`;
    case 'query':
      return source.q.trim() ? `The users matching ${source.q.trim()}` : 'Every user';
    case 'users':
      return `${source.userIds.length.toLocaleString('en')} picked user${source.userIds.length === 1 ? '' : 's'}`;
  }
}

function fileName(profile: StoredProfile, source: ExportSource, format: ExportFormat): string {
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
  const what =
    source.kind === 'connection'
      ? source.name
      : source.kind === 'query' && source.q.trim()
        ? 'query'
        : source.kind === 'users'
          ? 'picked'
          : 'all';
  const safe = (s: string) =>
    s
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'tenant';
  return `${safe(profile.label)}-${safe(what)}-users-${stamp}.${EXTENSIONS[format]}`;
}

/**
 * Each user's text with their organizations and/or roles added (a user in none gets `{}`: none is a value to compare
 * too).
 */
async function* withAccess(
  lines: AsyncIterable<string>,
  memberships: Map<string, Record<string, { roles: string[] }>> | null,
  roleHolders: Map<string, Record<string, true>> | null,
): AsyncGenerator<string> {
  for await (const line of lines) {
    if (!line.trim()) {
      yield line;
      continue;
    }
    let user: Record<string, unknown>;
    try {
      user = JSON.parse(line) as Record<string, unknown>;
    } catch {
      // The sink refuses it in words, with its line number.
      yield line;
      continue;
    }
    const id = typeof user.user_id === 'string' ? user.user_id : '';
    if (memberships) user.organizations = { ...(memberships.get(id) ?? {}) };
    if (roleHolders) user.roles = { ...(roleHolders.get(id) ?? {}) };
    yield JSON.stringify(user);
  }
}
