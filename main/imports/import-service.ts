// User imports: a file checked and split (in the offline worker), then sent chunk by chunk as Auth0 import jobs —
// each chunk a write through the one write path (guard, audit, scheduler) — with at most two of a tenant's jobs in
// Auth0 at once, each followed until done and its refused rows read back and tied to the rows of the file. The
// import's state is written atomically at each step and its refused rows appended, so a killed process loses
// nothing: an import that was running comes back "interrupted", to be resumed.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  IMPORT_CONCURRENT_JOBS,
  type ChannelParsedInput,
  type DownloadRef,
  type ImportChunk,
  type ImportFailure,
  type ImportPreview,
  type ImportSummary,
} from '../../preload/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import { enforceGuard } from '../operations/guard.js';
import { sendChunk } from '../operations/import-chunk.js';
import type { WritePath } from '../operations/write-path.js';
import { csvDownload } from '../downloads/csv-download.js';
import type { DownloadStore } from '../downloads/download-store.js';
import { AppError, toEnvelope } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { sweepOlderThan } from '../fs/sweep.js';
import type { OfflineEngine } from '../offline/offline-engine.js';
import { withRequestPolicy } from '../scheduler/rate-scheduler.js';
import type { TaskContext, TaskEnd, TaskEngine, TaskKindModule, TaskRecord } from '../tasks/engine.js';
import type { TenantService } from '../tenants/tenant-service.js';
import type { UploadStore } from '../uploads/upload-store.js';
import { readConnections } from '../users/user-reads.js';
import type { PreparedImport } from './import-file.js';

export interface ImportServiceOptions {
  dataDir: string;
  tenants: TenantService;
  writes: WritePath;
  audit: AuditLog;
  engine: OfflineEngine;
  uploads: UploadStore;
  downloads: DownloadStore;
  tasks: TaskEngine;
  /** How often a sent chunk's job is asked about (Auth0's jobs take seconds to minutes). */
  pollMs?: number;
  /** How long to wait when Auth0 says too many import jobs run (other tools' jobs count too). */
  busyRetryMs?: number;
}

/** A tenant's import slots: Auth0 runs at most two import jobs at once per tenant, whoever started them. */
class Slots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  async acquire(): Promise<() => void> {
    if (this.active >= IMPORT_CONCURRENT_JOBS) await new Promise<void>((r) => this.waiting.push(r));
    else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }
}

interface Prepared {
  preview: ImportPreview;
  connectionName: string;
  chunks: PreparedImport['chunks'];
  /** The file as the window handed it over: removed once the import starts (its parts are built by then). */
  uploadId: string;
  preparedAt: number;
}

/** A prepared import nobody starts for this long is forgotten, its parts and file removed. */
const PREPARED_KEEP_MS = 60 * 60_000;

const DONE: ReadonlySet<string> = new Set(['completed', 'failed', 'unknown']);

/** An import's task: everything it needs is in its state, the summary the Imports screen shows. */
interface ImportSpec {
  importId: string;
}
type ImportRecord = TaskRecord<ImportSpec, ImportSummary>;

/** The summary as the window shows it: the task's status and, when it stopped, why. */
function importSummary(record: ImportRecord): ImportSummary {
  const status: ImportSummary['status'] = record.status;
  return {
    ...record.state,
    status,
    ...(record.finishedAt ? { finishedAt: record.finishedAt } : {}),
    ...(record.reason && status !== 'completed' ? { message: record.reason } : {}),
  };
}

function recount(summary: ImportSummary): void {
  const counts = { inserted: 0, updated: 0, failed: 0, total: 0 };
  for (const c of summary.chunks)
    if (c.summary) for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] += c.summary[k];
  summary.counts = counts;
}

/** The rows Auth0 refused, from the task's journal (and the failures file of an earlier version). */
function failuresOf(dir: string): ImportFailure[] {
  const out: ImportFailure[] = [];
  const earlier = join(dir, 'failures.ndjson');
  if (existsSync(earlier))
    for (const l of readFileSync(earlier, 'utf8').split('\n').filter(Boolean))
      out.push(JSON.parse(l) as ImportFailure);
  const journal = join(dir, 'journal.jsonl');
  if (existsSync(journal))
    for (const l of readFileSync(journal, 'utf8').split('\n').filter(Boolean)) {
      try {
        const line = JSON.parse(l) as { failure?: ImportFailure };
        if (line.failure) out.push(line.failure);
      } catch {
        // a torn last line
      }
    }
  return out.sort((a, b) => (a.row ?? Infinity) - (b.row ?? Infinity) || a.chunk - b.chunk);
}

/**
 * Imports an earlier version kept in <data dir>/imports/<id>/import.json: each becomes a task (its record written,
 * the folder moved whole into the engine's), so that it is listed, resumed and cancelled like any other.
 */
function adoptEarlierImports(dir: string, tasksDir: string): void {
  for (const id of readdirSync(dir)) {
    const file = join(dir, id, 'import.json');
    if (!existsSync(file)) continue;
    try {
      const summary = JSON.parse(readFileSync(file, 'utf8')) as ImportSummary;
      const auditFile = join(dir, id, 'audit-id');
      const auditId = existsSync(auditFile) ? readFileSync(auditFile, 'utf8') : '';
      const record: ImportRecord = {
        id: summary.importId,
        kind: 'import',
        tenantId: summary.tenantId,
        tenantDomain: summary.tenantDomain,
        createdAt: summary.createdAt,
        ...(summary.finishedAt ? { finishedAt: summary.finishedAt } : {}),
        status: summary.status,
        ...(summary.message ? { reason: summary.message } : {}),
        ...(auditId
          ? {
              auditId,
              auditAs: { action: 'users.import', target: `${summary.rows} users from ${summary.fileName}` },
            }
          : {}),
        spec: { importId: summary.importId },
        state: summary,
      };
      writeFileAtomic(join(dir, id, 'task.json'), JSON.stringify(record));
      renameSync(join(dir, id), join(tasksDir, id));
      for (const name of ['import.json', 'audit-id']) rmSync(join(tasksDir, id, name), { force: true });
    } catch {
      // A damaged record is left on disk for a person to look at; it is not offered.
    }
  }
}

export class ImportService {
  private readonly dir: string;
  private readonly prepared = new Map<string, Prepared>();
  private readonly slots = new Map<string, Slots>();
  private readonly pollMs: number;
  private readonly busyRetryMs: number;

  constructor(private readonly o: ImportServiceOptions) {
    this.dir = join(o.dataDir, 'imports');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.pollMs = o.pollMs ?? 1000;
    this.busyRetryMs = o.busyRetryMs ?? 5000;
    adoptEarlierImports(this.dir, o.tasks.dir);
    // Parts prepared in an earlier run and never started: they hold users (and password hashes) for nothing.
    sweepOlderThan(this.dir, PREPARED_KEEP_MS, () => true);
    o.tasks.register(this.kind);
  }

  /** Prepared imports nobody started within PREPARED_KEEP_MS: their parts and file go. */
  private forgetStalePrepared(): void {
    const now = Date.now();
    for (const [id, p] of this.prepared)
      if (now - p.preparedAt > PREPARED_KEEP_MS) {
        this.prepared.delete(id);
        this.o.uploads.remove(p.uploadId);
        rmSync(this.importDir(id), { recursive: true, force: true });
      }
  }

  /** Where an import's parts are built while it is prepared (they move into its task when it starts). */
  private importDir(importId: string): string {
    return join(this.dir, importId);
  }

  private slotsOf(tenantId: string): Slots {
    let s = this.slots.get(tenantId);
    if (!s) this.slots.set(tenantId, (s = new Slots()));
    return s;
  }

  // ---------- preparing ----------

  async prepare(input: ChannelParsedInput<'imports:prepare'>): Promise<ImportPreview> {
    this.forgetStalePrepared();
    const profile = this.o.tenants.stored(input.tenantId);
    if (this.o.tasks.has(input.importId))
      throw new AppError('conflict', 'That import has already started; prepare the file as a new import.');
    const file = this.o.uploads.file(input.uploadId);
    const connections = await readConnections(this.o.tenants.connection(profile.id).management);
    const connection = connections.find((c) => c.id === input.connectionId);
    if (!connection)
      throw new AppError('not_found', `The tenant ${profile.label} has no connection ${input.connectionId}.`);
    if (!connection.isDatabase)
      throw new AppError(
        'validation',
        `${connection.name} is not a database connection: Auth0 imports users only into database connections.`,
      );
    const prep = await this.o.engine.call('import.prepare', {
      path: file.path,
      fileName: input.fileName,
      dir: join(this.importDir(input.importId), 'chunks'),
      ...(input.format ? { format: input.format } : {}),
      ...(input.mapping ? { mapping: input.mapping } : {}),
    });
    const preview: ImportPreview = {
      importId: input.importId,
      tenantId: profile.id,
      fileName: input.fileName,
      bytes: statSync(file.path).size,
      format: prep.format,
      connection: { id: connection.id, name: connection.name },
      converted: prep.converted,
      notes: prep.notes,
      ...(prep.columns ? { columns: prep.columns, mapping: prep.mapping!, sample: prep.sample! } : {}),
      rows: prep.rows,
      valid: prep.valid,
      errors: prep.errors,
      errorCount: prep.errorCount,
      chunks: prep.chunks.length,
      ready: prep.errorCount === 0 && prep.chunks.length > 0,
    };
    this.prepared.set(input.importId, {
      preview,
      connectionName: connection.name,
      chunks: prep.chunks,
      uploadId: input.uploadId,
      preparedAt: Date.now(),
    });
    return preview;
  }

  // ---------- running: tasks of the engine ----------

  async start(input: ChannelParsedInput<'imports:start'>): Promise<ImportSummary> {
    const p = this.prepared.get(input.importId);
    if (!p)
      throw new AppError(
        'not_found',
        'That import is not prepared (or has started already); choose the file again.',
      );
    if (!p.preview.ready)
      throw new AppError(
        'validation',
        'The file has rows Auth0 would refuse: fix them first; nothing was sent.',
      );
    const profile = this.o.tenants.stored(p.preview.tenantId);
    const rows = p.preview.valid;
    const target = `${rows} users from ${p.preview.fileName}`;
    enforceGuard(
      this.o.audit,
      'imports:start',
      {
        tenantId: profile.id,
        environment: profile.environment,
        domain: profile.domain,
        requireReason: profile.requireReason ?? false,
      },
      input,
      { action: 'users.import', target },
      { count: rows, verb: 'import' },
    );
    const summary: ImportSummary = {
      importId: p.preview.importId,
      tenantId: profile.id,
      tenantDomain: profile.domain,
      fileName: p.preview.fileName,
      format: p.preview.format,
      connectionId: p.preview.connection.id,
      connectionName: p.connectionName,
      upsert: input.upsert,
      sendCompletionEmail: input.sendCompletionEmail,
      createdAt: new Date().toISOString(),
      status: 'running',
      rows,
      chunks: p.chunks.map((c) => ({ ...c, state: 'waiting' })),
      counts: { inserted: 0, updated: 0, failed: 0, total: 0 },
    };
    const task = await this.o.tasks.create<ImportSpec, ImportSummary>('import', {
      id: summary.importId,
      tenantId: profile.id,
      tenantDomain: profile.domain,
      spec: { importId: summary.importId },
      state: summary,
      audit: {
        tenantId: profile.id,
        tenantDomain: profile.domain,
        action: 'users.import',
        target,
        before: {
          file: p.preview.fileName,
          connection: p.connectionName,
          upsert: input.upsert,
          parts: p.preview.chunks,
        },
      },
      // The parts built while preparing move into the task's folder.
      adopt: (dir) => renameSync(join(this.importDir(summary.importId), 'chunks'), join(dir, 'chunks')),
    });
    this.prepared.delete(input.importId);
    rmSync(this.importDir(summary.importId), { recursive: true, force: true });
    // Its parts are built: the file as handed over is not needed any more.
    this.o.uploads.remove(p.uploadId);
    return (task.detail as { import: ImportSummary }).import;
  }

  /** User imports as the engine runs them: each part sent once, two Auth0 jobs at a time, each followed to its end. */
  readonly kind: TaskKindModule<ImportSpec, ImportSummary> = {
    kind: 'import',
    pausable: true,
    run: (ctx) => this.drive(ctx),
    cancelStopped: (ctx) => {
      const summary = ctx.state;
      const unsent = summary.chunks.filter((c) => c.state === 'waiting').length;
      summary.message = `Cancelled after it stopped: ${unsent} of ${summary.chunks.length} parts were not sent.`;
      return summary.message;
    },
    ended: (ctx) => rmSync(join(ctx.dir, 'chunks'), { recursive: true, force: true }),
    describe: (record) => {
      const summary = importSummary(record);
      const c = summary.counts;
      const sent = summary.chunks.filter((x) => DONE.has(x.state)).length;
      return {
        label: `${summary.rows.toLocaleString('en')} users from ${summary.fileName} into ${summary.connectionName}`,
        progress: {
          done: sent,
          total: summary.chunks.length,
          unit: 'parts',
          words: `${c.inserted.toLocaleString('en')} inserted, ${c.updated.toLocaleString('en')} updated, ${c.failed.toLocaleString('en')} refused`,
        },
        detail: { kind: 'import', import: summary },
      };
    },
    audit: (record) => ({
      success: record.state.chunks.every((c) => c.state === 'completed'),
      after: { counts: record.state.counts },
      ...(record.state.message ? { error: record.state.message } : {}),
    }),
    results: (record, dir) => {
      const all = failuresOf(dir);
      return {
        filename: `${record.state.fileName.replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '-')}-import-failures.csv`,
        columns: ['row', 'part', 'email', 'code', 'message', 'path'],
        rows: all.map((f) => [f.row ?? '', f.chunk + 1, f.email ?? '', f.code, f.message, f.path ?? '']),
      };
    },
  };

  /** Runs (or goes on with) an import: parts not sent are sent, parts sent are followed until Auth0 ends them. */
  private async drive(ctx: TaskContext<ImportSpec, ImportSummary>): Promise<TaskEnd> {
    const summary = ctx.state;
    if (ctx.afterCrash)
      for (const c of summary.chunks)
        if (c.state === 'sending') {
          // Sent or not, Auth0 never said: sending it again could import its rows twice.
          c.state = 'unknown';
          c.error =
            'Tenant Desk stopped while this part was being sent; Auth0 may or may not have it. Check its rows on the tenant.';
        }
    summary.status = 'running';
    delete summary.message;
    ctx.save(true);
    const slots = this.slotsOf(summary.tenantId);
    const work = summary.chunks
      .filter((c) => !DONE.has(c.state))
      .map(async (chunk) => {
        const release = await slots.acquire();
        try {
          if (ctx.signal.aborted) return;
          if (chunk.state === 'waiting') await this.send(ctx, chunk);
          if (chunk.jobId && !DONE.has(chunk.state)) await this.follow(ctx, chunk);
        } catch (err) {
          if (ctx.signal.aborted) return;
          chunk.state = chunk.jobId ? 'unknown' : 'failed';
          chunk.error = toEnvelope(err).message;
          ctx.save();
        } finally {
          release();
        }
      });
    await Promise.all(work);
    const states = summary.chunks.map((c) => c.state);
    const unsent = states.filter((st) => st === 'waiting').length;
    if (ctx.stop?.kind === 'cancel') {
      summary.message = `Cancelled: ${unsent} of ${states.length} parts were not sent; Auth0 finishes the jobs it has.`;
      return { status: 'cancelled', reason: summary.message };
    }
    if (ctx.stop) return { status: 'paused', reason: ctx.stop.reason ?? 'Paused.' };
    if (states.every((st) => st === 'completed')) return { status: 'completed' };
    const bad = summary.chunks.filter((c) => c.state !== 'completed');
    summary.message = `${bad.length} of ${states.length} parts did not complete: ${bad
      .slice(0, 3)
      .map((c) => `part ${c.index + 1}: ${c.error ?? c.state}`)
      .join('; ')}`;
    return { status: 'failed', reason: summary.message };
  }

  private async send(ctx: TaskContext<ImportSpec, ImportSummary>, chunk: ImportChunk): Promise<void> {
    const summary = ctx.state;
    const file = join(ctx.dir, 'chunks', `chunk-${chunk.index}.json`);
    const body = readFileSync(file);
    for (;;) {
      if (ctx.signal.aborted) return;
      chunk.state = 'sending';
      ctx.save();
      try {
        const { jobId } = await this.o.writes.run(
          sendChunk,
          {
            tenantId: summary.tenantId,
            importId: summary.importId,
            fileName: summary.fileName,
            chunk,
            body,
            connectionId: summary.connectionId,
            upsert: summary.upsert,
            sendCompletionEmail: summary.sendCompletionEmail,
          },
          { lane: 'job', judgedAtStart: true },
        );
        chunk.jobId = jobId;
        chunk.state = 'pending';
        delete chunk.error;
        ctx.save(true);
        // Auth0 has the part: its users (and their password hashes) are not kept here any longer.
        rmSync(file, { force: true });
        return;
      } catch (err) {
        const e = toEnvelope(err);
        // Two import jobs of this tenant already run in Auth0 (another tool's count too): wait for a place.
        if (e.code === 'rate_limited' && !ctx.signal.aborted) {
          chunk.state = 'waiting';
          chunk.error = `Auth0 is busy with other import jobs; trying again. (${e.message})`;
          ctx.save();
          await sleep(this.busyRetryMs, undefined, { signal: ctx.signal }).catch(() => undefined);
          continue;
        }
        if (e.code === 'network' || e.code === 'timeout') {
          chunk.state = 'unknown';
          chunk.error = `The answer to this part was lost (${e.message}); Auth0 may or may not have it. Check its rows on the tenant.`;
        } else if (e.code === 'rate_limited') {
          // Stopped while waiting for a place: nothing was sent.
          chunk.state = 'waiting';
        } else {
          chunk.state = 'failed';
          chunk.error = e.message;
        }
        ctx.save(true);
        return;
      }
    }
  }

  /** Asks Auth0 about a chunk's job until it ends, then reads its refused rows. */
  private async follow(ctx: TaskContext<ImportSpec, ImportSummary>, chunk: ImportChunk): Promise<void> {
    const summary = ctx.state;
    const management = this.o.tenants.connection(summary.tenantId).management;
    for (;;) {
      if (ctx.signal.aborted) return;
      const job = await withRequestPolicy({ lane: 'job' }, () => management.jobs.get(chunk.jobId!));
      const status = String(job.status);
      if (status === 'completed' || status === 'failed') {
        const failures: ImportFailure[] = [];
        if (status === 'completed') {
          const s = (job.summary ?? {}) as Partial<
            Record<'inserted' | 'updated' | 'failed' | 'total', number>
          >;
          chunk.summary = {
            inserted: s.inserted ?? 0,
            updated: s.updated ?? 0,
            failed: s.failed ?? 0,
            total: s.total ?? chunk.rows,
          };
          if (chunk.summary.failed > 0) failures.push(...(await this.refusedRows(ctx, chunk)));
          chunk.state = 'completed';
        } else {
          chunk.state = 'failed';
          chunk.error = `Auth0 failed this part's job${job.status_details ? `: ${String(job.status_details)}` : '.'}`;
          chunk.summary = { inserted: 0, updated: 0, failed: chunk.rows, total: chunk.rows };
          failures.push({ row: null, chunk: chunk.index, code: 'JOB_FAILED', message: chunk.error });
        }
        // Appended and flushed before the part's state says it was read, so a crash never loses them.
        for (const f of failures) await ctx.journal.append({ failure: f });
        recount(summary);
        ctx.save(true);
        return;
      }
      if (status !== chunk.state) {
        chunk.state = status === 'processing' ? 'processing' : 'pending';
        ctx.save();
      }
      await sleep(this.pollMs, undefined, { signal: ctx.signal }).catch(() => undefined);
    }
  }

  /** Auth0's refused rows of a job, each tied back to its row of the file by email. */
  private async refusedRows(
    ctx: TaskContext<ImportSpec, ImportSummary>,
    chunk: ImportChunk,
  ): Promise<ImportFailure[]> {
    const summary = ctx.state;
    const management = this.o.tenants.connection(summary.tenantId).management;
    const raw = (await withRequestPolicy({ lane: 'job' }, () =>
      management.jobs.errors.get(chunk.jobId!),
    )) as unknown;
    const list = Array.isArray(raw) ? (raw as { user?: Record<string, unknown>; errors?: unknown[] }[]) : [];
    const rows = JSON.parse(readFileSync(join(ctx.dir, 'chunks', `rows-${chunk.index}.json`), 'utf8')) as [
      number,
      string,
    ][];
    const byEmail = new Map<string, number[]>();
    for (const [row, email] of rows) byEmail.set(email, [...(byEmail.get(email) ?? []), row]);
    const out: ImportFailure[] = [];
    for (const entry of list) {
      const email = typeof entry.user?.email === 'string' ? entry.user.email : undefined;
      const row = email ? (byEmail.get(email.toLowerCase())?.shift() ?? null) : null;
      for (const e of (entry.errors ?? []) as { code?: unknown; message?: unknown; path?: unknown }[])
        out.push({
          row,
          chunk: chunk.index,
          ...(email ? { email } : {}),
          code: String(e.code ?? 'UNKNOWN'),
          message: String(e.message ?? ''),
          ...(typeof e.path === 'string' && e.path ? { path: e.path } : {}),
        });
    }
    return out;
  }

  failures(input: ChannelParsedInput<'imports:failures'>): { items: ImportFailure[]; total: number } {
    this.o.tasks.record(input.importId, 'import');
    const all = failuresOf(this.o.tasks.taskDir(input.importId));
    return { items: all.slice(input.offset, input.offset + input.limit), total: all.length };
  }

  /** An example file for a connection: the CSV header this screen maps at once, or Auth0's JSON. */
  async template(input: ChannelParsedInput<'imports:template'>): Promise<DownloadRef> {
    const profile = this.o.tenants.stored(input.tenantId);
    const connections = await readConnections(this.o.tenants.connection(profile.id).management);
    const connection = connections.find((c) => c.id === input.connectionId);
    if (!connection)
      throw new AppError('not_found', `The tenant ${profile.label} has no connection ${input.connectionId}.`);
    const example: Record<string, unknown> = {
      email: 'ada@example.com',
      email_verified: true,
      ...(connection.requiresUsername ? { username: 'ada' } : {}),
      given_name: 'Ada',
      family_name: 'Lovelace',
      name: 'Ada Lovelace',
      password_hash: '$2b$10$C9bxkiG2C4QKk5TNMj1x0uXMB4lfuuqPiDHUYbjwP1BmnIM2kT1zS',
      user_metadata: { plan: 'gold' },
      app_metadata: { tier: 'b' },
    };
    const name = `import-template-${connection.name.replace(/[^\w.-]+/g, '-')}.${input.format}`;
    if (input.format === 'csv') {
      const columns = Object.keys(example).flatMap((k) =>
        k.endsWith('_metadata') ? Object.keys(example[k] as object).map((m) => `${k}.${m}`) : [k],
      );
      const values = columns.map((c) => {
        const [k, m] = c.split('.');
        return String(m ? (example[k!] as Record<string, unknown>)[m] : example[c]);
      });
      return csvDownload(this.o.downloads, name, columns, [values], { bom: false });
    }
    const file = this.o.downloads.reserve(name, 'application/json');
    try {
      writeFileAtomic(file.path, `${JSON.stringify([example], null, 2)}\n`);
      const { id, filename, bytes } = await file.commit();
      return { id, filename, bytes };
    } catch (err) {
      file.discard();
      throw err;
    }
  }
}
