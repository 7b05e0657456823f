// User imports: a file checked and split (in the offline worker), then sent chunk by chunk as Auth0 import jobs —
// each chunk a write through the one write path (guard, audit, scheduler) — with at most two of a tenant's jobs in
// Auth0 at once, each followed until done and its refused rows read back and tied to the rows of the file. The
// import's state is written atomically at each step and its refused rows appended, so a killed process loses
// nothing: an import that was running comes back "interrupted", to be resumed.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  IMPORT_CONCURRENT_JOBS,
  type AuditResolution,
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
  emit: (summary: ImportSummary) => void;
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

interface Run {
  summary: ImportSummary;
  auditId: string;
  cancelled: boolean;
}

const DONE: ReadonlySet<string> = new Set(['completed', 'failed', 'unknown']);

/** Thrown into a running import's loops when the app stops. */
class ImportStopped extends Error {}

export class ImportService {
  private readonly dir: string;
  private readonly prepared = new Map<string, Prepared>();
  private readonly summaries = new Map<string, ImportSummary>();
  private readonly runs = new Map<string, Run>();
  private readonly slots = new Map<string, Slots>();
  private readonly pollMs: number;
  private readonly busyRetryMs: number;
  /** Set when the app stops: running imports stop where they are, their record as last written (interrupted). */
  private closed = false;

  constructor(private readonly o: ImportServiceOptions) {
    this.dir = join(o.dataDir, 'imports');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.pollMs = o.pollMs ?? 1000;
    this.busyRetryMs = o.busyRetryMs ?? 5000;
    // Parts prepared in an earlier run and never started: they hold users (and password hashes) for nothing.
    sweepOlderThan(this.dir, PREPARED_KEEP_MS, (id) => !existsSync(join(this.dir, id, 'import.json')));
    this.load();
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

  /** The parts of an import that will not be sent any more (it ended): removed, with their rows. */
  private removeParts(importId: string): void {
    rmSync(join(this.importDir(importId), 'chunks'), { recursive: true, force: true });
  }

  /** Imports of earlier runs; one that was running when Tenant Desk stopped is "interrupted", offered for resume. */
  private load(): void {
    for (const id of readdirSync(this.dir)) {
      const file = join(this.dir, id, 'import.json');
      if (!existsSync(file)) continue;
      try {
        const summary = JSON.parse(readFileSync(file, 'utf8')) as ImportSummary;
        if (summary.status === 'running') {
          summary.status = 'interrupted';
          summary.message =
            'Tenant Desk stopped while this import ran. Resume it: parts already sent are followed up, the rest sent.';
        }
        this.summaries.set(summary.importId, summary);
      } catch {
        // A damaged record is left on disk for a person to look at; it is not offered.
      }
    }
  }

  private importDir(importId: string): string {
    return join(this.dir, importId);
  }

  private save(summary: ImportSummary): void {
    if (this.closed) throw new ImportStopped();
    writeFileAtomic(join(this.importDir(summary.importId), 'import.json'), JSON.stringify(summary));
    this.o.emit(structuredClone(summary));
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
    if (this.summaries.has(input.importId))
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
    const prep = await this.o.engine.call<PreparedImport>('import.prepare', {
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

  // ---------- running ----------

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
      { tenantId: profile.id, environment: profile.environment, domain: profile.domain },
      input,
      { action: 'users.import', target },
      { count: rows, verb: 'import' },
    );
    const { id: auditId, written } = this.o.audit.begin({
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
    });
    await written;
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
    this.prepared.delete(input.importId);
    // Its parts are built: the file as handed over is not needed any more.
    this.o.uploads.remove(p.uploadId);
    this.summaries.set(summary.importId, summary);
    writeFileAtomic(join(this.importDir(summary.importId), 'audit-id'), auditId);
    this.save(summary);
    this.drive({ summary, auditId, cancelled: false });
    return structuredClone(summary);
  }

  resume(importId: string): ImportSummary {
    const summary = this.summary(importId);
    if (summary.status !== 'interrupted')
      throw new AppError('validation', 'Only an interrupted import can be resumed.');
    for (const c of summary.chunks)
      if (c.state === 'sending') {
        // Sent or not, Auth0 never said: sending it again could import its rows twice.
        c.state = 'unknown';
        c.error =
          'Tenant Desk stopped while this part was being sent; Auth0 may or may not have it. Check its rows on the tenant.';
      }
    summary.status = 'running';
    delete summary.message;
    this.save(summary);
    this.drive({ summary, auditId: this.auditIdOf(importId), cancelled: false });
    return structuredClone(summary);
  }

  cancel(importId: string): ImportSummary {
    const run = this.runs.get(importId);
    const summary = this.summaries.get(importId);
    if (!run && summary?.status === 'interrupted') {
      // Not to be resumed: what was never sent goes, with its users.
      const unsent = summary.chunks.filter((c) => c.state === 'waiting').length;
      summary.status = 'cancelled';
      summary.message = `Cancelled after Tenant Desk stopped: ${unsent} of ${summary.chunks.length} parts were not sent.`;
      summary.finishedAt = new Date().toISOString();
      this.ended(summary, this.auditIdOf(importId));
      return structuredClone(summary);
    }
    if (!run) throw new AppError('validation', 'That import is not running.');
    run.cancelled = true;
    run.summary.message = 'Cancelled: parts not yet sent will not be sent; Auth0 finishes the jobs it has.';
    this.save(run.summary);
    return structuredClone(run.summary);
  }

  private drive(run: Run): void {
    const { summary } = run;
    this.runs.set(summary.importId, run);
    const slots = this.slotsOf(summary.tenantId);
    const work = summary.chunks
      .filter((c) => !DONE.has(c.state))
      .map(async (chunk) => {
        const release = await slots.acquire();
        try {
          if (chunk.state === 'waiting') {
            if (run.cancelled) return;
            await this.send(run, chunk);
          }
          if (chunk.jobId && !DONE.has(chunk.state)) await this.follow(run, chunk);
        } catch (err) {
          if (this.closed) return;
          chunk.state = chunk.jobId ? 'unknown' : 'failed';
          chunk.error = toEnvelope(err).message;
          this.save(summary);
        } finally {
          release();
        }
      });
    void Promise.all(work).then(() => this.finish(run));
  }

  private async send(run: Run, chunk: ImportChunk): Promise<void> {
    const { summary } = run;
    const body = readFileSync(join(this.importDir(summary.importId), 'chunks', `chunk-${chunk.index}.json`));
    for (;;) {
      chunk.state = 'sending';
      this.save(summary);
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
        this.save(summary);
        // Auth0 has the part: its users (and their password hashes) are not kept here any longer.
        rmSync(join(this.importDir(summary.importId), 'chunks', `chunk-${chunk.index}.json`), {
          force: true,
        });
        return;
      } catch (err) {
        if (this.closed) throw err;
        const e = toEnvelope(err);
        // Two import jobs of this tenant already run in Auth0 (another tool's count too): wait for a place.
        if (e.code === 'rate_limited' && !run.cancelled) {
          chunk.state = 'waiting';
          chunk.error = `Auth0 is busy with other import jobs; trying again. (${e.message})`;
          this.save(summary);
          await sleep(this.busyRetryMs);
          continue;
        }
        if (e.code === 'network' || e.code === 'timeout') {
          chunk.state = 'unknown';
          chunk.error = `The answer to this part was lost (${e.message}); Auth0 may or may not have it. Check its rows on the tenant.`;
        } else {
          chunk.state = 'failed';
          chunk.error = e.message;
        }
        this.save(summary);
        return;
      }
    }
  }

  /** Asks Auth0 about a chunk's job until it ends, then reads its refused rows. */
  private async follow(run: Run, chunk: ImportChunk): Promise<void> {
    const { summary } = run;
    const management = this.o.tenants.connection(summary.tenantId).management;
    for (;;) {
      if (this.closed) throw new ImportStopped();
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
          if (chunk.summary.failed > 0) failures.push(...(await this.refusedRows(summary, chunk)));
          chunk.state = 'completed';
        } else {
          chunk.state = 'failed';
          chunk.error = `Auth0 failed this part's job${job.status_details ? `: ${String(job.status_details)}` : '.'}`;
          chunk.summary = { inserted: 0, updated: 0, failed: chunk.rows, total: chunk.rows };
          failures.push({ row: null, chunk: chunk.index, code: 'JOB_FAILED', message: chunk.error });
        }
        if (failures.length)
          appendFileSync(
            join(this.importDir(summary.importId), 'failures.ndjson'),
            failures.map((f) => `${JSON.stringify(f)}\n`).join(''),
            { mode: 0o600 },
          );
        this.recount(summary);
        this.save(summary);
        return;
      }
      if (status !== chunk.state) {
        chunk.state = status === 'processing' ? 'processing' : 'pending';
        this.save(summary);
      }
      await sleep(this.pollMs);
    }
  }

  /** Auth0's refused rows of a job, each tied back to its row of the file by email. */
  private async refusedRows(summary: ImportSummary, chunk: ImportChunk): Promise<ImportFailure[]> {
    const management = this.o.tenants.connection(summary.tenantId).management;
    const raw = (await withRequestPolicy({ lane: 'job' }, () =>
      management.jobs.errors.get(chunk.jobId!),
    )) as unknown;
    const list = Array.isArray(raw) ? (raw as { user?: Record<string, unknown>; errors?: unknown[] }[]) : [];
    const rows = JSON.parse(
      readFileSync(join(this.importDir(summary.importId), 'chunks', `rows-${chunk.index}.json`), 'utf8'),
    ) as [number, string][];
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

  private recount(summary: ImportSummary): void {
    const counts = { inserted: 0, updated: 0, failed: 0, total: 0 };
    for (const c of summary.chunks)
      if (c.summary)
        for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] += c.summary[k];
    summary.counts = counts;
  }

  private finish(run: Run): void {
    if (this.closed) return;
    const { summary } = run;
    this.runs.delete(summary.importId);
    const states = summary.chunks.map((c) => c.state);
    summary.status = run.cancelled
      ? 'cancelled'
      : states.every((s) => s === 'completed')
        ? 'completed'
        : 'failed';
    const unsent = states.filter((s) => s === 'waiting').length;
    if (run.cancelled) summary.message = `Cancelled: ${unsent} of ${states.length} parts were not sent.`;
    else if (summary.status === 'failed') {
      const bad = summary.chunks.filter((c) => c.state !== 'completed');
      summary.message = `${bad.length} of ${states.length} parts did not complete: ${bad
        .slice(0, 3)
        .map((c) => `part ${c.index + 1}: ${c.error ?? c.state}`)
        .join('; ')}`;
    }
    summary.finishedAt = new Date().toISOString();
    this.ended(summary, run.auditId);
  }

  /** An import that will not go on: its record saved, its parts removed, its audit entry finished. */
  private ended(summary: ImportSummary, auditId: string): void {
    this.save(summary);
    this.removeParts(summary.importId);
    if (auditId)
      this.o.audit.finish(auditId, {
        tenantId: summary.tenantId,
        tenantDomain: summary.tenantDomain,
        action: 'users.import',
        target: `${summary.rows} users from ${summary.fileName}`,
        outcome: summary.status === 'completed' ? 'success' : 'failure',
        after: { status: summary.status, counts: summary.counts },
        ...(summary.message ? { error: summary.message } : {}),
      });
  }

  private auditIdOf(importId: string): string {
    const file = join(this.importDir(importId), 'audit-id');
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  /** The app is stopping: nothing more is sent or written; what runs is picked up as interrupted next time. */
  close(): void {
    this.closed = true;
  }

  /** Where an import stands, for its own audit entry left pending by a stopped run (found by that entry's id). */
  auditResolution(auditId: string): { resolution: AuditResolution; words: string } | null {
    const summary = [...this.summaries.values()].find((s) => this.auditIdOf(s.importId) === auditId);
    if (!summary) return null;
    const sent = summary.chunks.filter((c) => c.jobId || c.state === 'unknown').length;
    const tally = `${sent} of ${summary.chunks.length} parts sent`;
    if (summary.status === 'completed')
      return { resolution: 'applied', words: `the import had finished (${tally})` };
    if (summary.status === 'interrupted')
      return {
        resolution: 'unknown',
        words: `the import is interrupted with ${tally}; resume or cancel it in Imports (its outcome is recorded when it ends)`,
      };
    return { resolution: 'unknown', words: `the import had ended ${summary.status} (${tally})` };
  }

  // ---------- reading ----------

  summary(importId: string): ImportSummary {
    const s = this.summaries.get(importId);
    if (!s) throw new AppError('not_found', 'There is no such import.');
    return s;
  }

  get(importId: string): ImportSummary {
    return structuredClone(this.summary(importId));
  }

  list(tenantId?: string): ImportSummary[] {
    return [...this.summaries.values()]
      .filter((s) => !tenantId || s.tenantId === tenantId)
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
      .map((s) => structuredClone(s));
  }

  private failuresOf(importId: string): ImportFailure[] {
    this.summary(importId);
    const file = join(this.importDir(importId), 'failures.ndjson');
    if (!existsSync(file)) return [];
    const out = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as ImportFailure);
    return out.sort((a, b) => (a.row ?? Infinity) - (b.row ?? Infinity) || a.chunk - b.chunk);
  }

  failures(input: ChannelParsedInput<'imports:failures'>): { items: ImportFailure[]; total: number } {
    const all = this.failuresOf(input.importId);
    return { items: all.slice(input.offset, input.offset + input.limit), total: all.length };
  }

  failuresCsv(importId: string): Promise<DownloadRef> {
    const all = this.failuresOf(importId);
    const s = this.summary(importId);
    return csvDownload(
      this.o.downloads,
      `${s.fileName.replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '-')}-import-failures.csv`,
      ['row', 'part', 'email', 'code', 'message', 'path'],
      all.map((f) => [f.row ?? '', f.chunk + 1, f.email ?? '', f.code, f.message, f.path ?? '']),
    );
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
