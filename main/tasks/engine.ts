// The one engine for long work. A task kind (kinds/) says what its work is: how it runs — or goes on after a pause or
// a crash, reading back first what was in flight — what its screen shows, its audit entry and its results. The
// engine owns everything the kinds share: each task's record (<data dir>/tasks/<id>/task.json, written atomically)
// and journal (journal.jsonl, appended and flushed before the step it announces), its status and the one
// `task:progress` event, pause / resume / cancel, the tasks a stopped run left running (offered for resume as
// "interrupted"), the task's own audit entry (begun when it is created, finished when it ends), its results as CSV,
// and the sweep of old tasks and of half-created ones.
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  ENDED_TASK,
  type AuditResolution,
  type DownloadRef,
  type Reason,
  type TaskDetail,
  type TaskKind,
  type TaskProgress,
  type TaskStatus,
  type TaskSummary,
} from '../../preload/contract.js';
import type { AuditLog, NewAuditEntry } from '../audit/audit-log.js';
import { csvDownload } from '../downloads/csv-download.js';
import type { DownloadStore } from '../downloads/download-store.js';
import { AppError, classify } from '../errors.js';
import { AppendOnlyFile } from '../fs/append-only-file.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { linesForward } from '../fs/lines.js';
import { processAlive } from '../fs/sweep.js';
import { currentReason, withReason } from '../audit/reason-context.js';

/** A task as it is kept on disk. Spec: what it was asked to do (never changed); state: how far it got. */
export interface TaskRecord<Spec = unknown, State = unknown> {
  id: string;
  kind: TaskKind;
  tenantId: string | null;
  tenantDomain: string | null;
  createdAt: string;
  finishedAt?: string;
  status: TaskStatus;
  reason?: string;
  /** The task's own audit entry, when it writes to a tenant: its id, and what it was begun as. */
  auditId?: string;
  auditAs?: { action: string; target: string | null; jobId?: string };
  /** Why the work was started (a ticket, a note): its writes carry it, after a restart too. */
  why?: Reason;
  spec: Spec;
  state: State;
}

/** How a run ended: finished, or stopped to be resumed. */
export type TaskEnd =
  { status: 'completed' | 'failed' | 'cancelled'; reason?: string } | { status: 'paused'; reason: string };

/** Why a run is asked to stop. */
export type StopRequest = { kind: 'pause' | 'cancel' | 'close'; reason?: string };

export interface TaskJournal {
  /** Appends one line; resolves once it is on disk. */
  append(line: unknown): Promise<void>;
  /** Every whole line so far, in order (a torn last line, from a crash mid-write, is skipped). */
  replay(): AsyncGenerator<unknown>;
}

/** What a kind's run is given. */
export interface TaskContext<Spec, State> {
  readonly id: string;
  /** The task's folder: its record, its journal, and the kind's own files. */
  readonly dir: string;
  readonly record: TaskRecord<Spec, State>;
  readonly spec: Spec;
  state: State;
  /** This run goes on with a task a crash interrupted: what was in flight must be read back, never sent again. */
  readonly afterCrash: boolean;
  /** Aborted when the task is asked to stop; `stop` says why. */
  readonly signal: AbortSignal;
  readonly stop: StopRequest | null;
  readonly journal: TaskJournal;
  /** Writes the state (atomically) and tells the window, at most a few times a second unless forced. */
  save(force?: boolean): void;
  /** Tells the window how far it got without writing (progress that a crash may lose). */
  progress(force?: boolean): void;
}

export interface TaskResults {
  filename: string;
  /** A byte-order mark first, for spreadsheet programs that need one to read UTF-8 (true unless told). */
  bom?: boolean;
  columns: string[];
  rows: AsyncIterable<unknown[]> | Iterable<unknown[]>;
}

/** A kind of long work. */
export interface TaskKindModule<Spec = unknown, State = unknown> {
  kind: TaskKind;
  /** Whether it can be paused and resumed (an export can only be cancelled; a crash still offers it for resume). */
  pausable: boolean;
  /**
   * Reads what the kind keeps in memory for a task of an earlier run (a bulk job's users, from its plan and journal),
   * before the task is listed or resumed.
   */
  restore?(record: TaskRecord<Spec, State>): Promise<void>;
  /** Runs the task, or goes on with it; resolves when it ended or stopped as asked (ctx.signal). */
  run(ctx: TaskContext<Spec, State>): Promise<TaskEnd>;
  /** A paused or interrupted task cancelled: what the kind must undo or remove; the record says how far it got. */
  cancelStopped?(ctx: TaskContext<Spec, State>): Promise<string | undefined> | string | undefined;
  /** Called once a task ended (completed, failed or cancelled): files it no longer needs go. */
  ended?(ctx: TaskContext<Spec, State>): void;
  /** What the window shows. */
  describe(
    record: TaskRecord<Spec, State>,
    live: boolean,
  ): { label: string; progress: TaskProgress; detail: TaskDetail };
  /** Its audit entry at the end: whether it fully succeeded, and what it did. */
  audit?(record: TaskRecord<Spec, State>): { success: boolean; after: unknown; error?: string };
  results?(record: TaskRecord<Spec, State>, dir: string): TaskResults | Promise<TaskResults>;
  /**
   * The record was read again from disk (another Tenant Desk on the same data directory — the window or the command
   * line — ran it meanwhile): whatever the kind keeps in memory for it is out of date.
   */
  reload?(record: TaskRecord<Spec, State>): void;
}

export interface TaskEngineOptions {
  dataDir: string;
  audit: AuditLog;
  downloads: DownloadStore;
  emit: (summary: TaskSummary) => void;
  /** Ended tasks older than this are removed with their files at start (30 days unless told). */
  keepEndedMs?: number;
  now?: () => number;
  log?: (message: string, details: Record<string, unknown>) => void;
}

interface Live {
  record: TaskRecord;
  kind: TaskKindModule;
  journal: AppendOnlyFile;
  controller: AbortController | null;
  stop: StopRequest | null;
  run: Promise<void> | null;
  lastEmit: number;
  /** Another process running this task now (its owner file), or null. */
  elsewhere: number | null;
  /** task.json's mtime when this process last wrote or read it. */
  seen: number;
}

/**
 * Who runs a task: `owner` in its folder, created exclusively with the process id before a run starts and removed
 * when it stops. Two Tenant Desks on one data directory (the window and the command line) never run one task at once.
 */
const OWNER_FILE = 'owner';

const KEEP_ENDED_MS = 30 * 24 * 3600_000;
/** A task of each kind in words, for the audit log. */
const TASK_NOUN: Record<TaskKind, string> = {
  bulk: 'job',
  import: 'import',
  export: 'export',
  'snapshot-export': 'export',
  'snapshot-file': 'snapshot',
  compare: 'comparison',
  'org-compare': 'comparison',
  'access-review': 'report',
};
/** A folder with no record yet older than this was half-created by a run that stopped. */
const HALF_CREATED_MS = 3600_000;

const stoppedWords = (kind: TaskKind) =>
  `Tenant Desk stopped while this ${TASK_NOUN[kind]} ran. Resume it to finish: what was under way is read back first, nothing is done twice.`;

export class TaskEngine {
  readonly dir: string;
  private readonly kinds = new Map<TaskKind, TaskKindModule>();
  private readonly tasks = new Map<string, Live>();
  private readonly now: () => number;
  private loaded = false;
  /** The reading back of the writes a stopped run left pending (app start); resumed work waits for it. */
  private recovery: Promise<unknown> = Promise.resolve();
  private restored: Promise<void> = Promise.resolve();

  constructor(private readonly o: TaskEngineOptions) {
    this.dir = join(o.dataDir, 'tasks');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.now = o.now ?? Date.now;
  }

  register(kind: TaskKindModule<never, never>): void {
    this.kinds.set(kind.kind, kind as unknown as TaskKindModule);
  }

  taskDir(id: string): string {
    return join(this.dir, id);
  }

  /**
   * The tasks of earlier runs, once every kind is registered: one that was running is "interrupted" (on disk before
   * anything else happens), ended ones older than the keep time go with their files, half-created folders too.
   */
  load(): void {
    if (this.loaded) return;
    this.loaded = true;
    const keep = this.o.keepEndedMs ?? KEEP_ENDED_MS;
    for (const id of readdirSync(this.dir)) {
      const dir = this.taskDir(id);
      const file = join(dir, 'task.json');
      if (!existsSync(file)) {
        if (this.now() - statSync(dir).mtimeMs > HALF_CREATED_MS)
          rmSync(dir, { recursive: true, force: true });
        continue;
      }
      let record: TaskRecord;
      try {
        record = JSON.parse(readFileSync(file, 'utf8')) as TaskRecord;
      } catch (err) {
        // A damaged record is left on disk for a person to look at; it is not offered.
        this.o.log?.('a task record could not be read', { id, message: (err as Error).message });
        continue;
      }
      const kind = this.kinds.get(record.kind);
      if (!kind) continue;
      if (
        ENDED_TASK.includes(record.status) &&
        record.finishedAt &&
        this.now() - Date.parse(record.finishedAt) > keep
      ) {
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      const elsewhere = this.ownerElsewhere(id);
      if (record.status === 'running' && elsewhere === null) {
        record.status = 'interrupted';
        record.reason = stoppedWords(record.kind);
        this.write(record);
      }
      const live = this.live(record, kind);
      live.elsewhere = record.status === 'running' ? elsewhere : null;
      this.tasks.set(id, live);
    }
    const restoring = [...this.tasks.values()].map((l) =>
      (l.kind.restore?.(l.record) ?? Promise.resolve()).catch((err: unknown) =>
        this.o.log?.('a task could not be read', { id: l.record.id, message: (err as Error).message }),
      ),
    );
    this.restored = Promise.all(restoring).then(() => undefined);
  }

  /** Work a stopped run left resumes only after this (the app's recovery of pending writes). */
  waitBeforeResuming(recovery: Promise<unknown>): void {
    this.recovery = recovery;
  }

  /** Resolves once the tasks of earlier runs are read back (listing and resuming wait for it). */
  ready(): Promise<void> {
    this.load();
    return this.restored;
  }

  private live(record: TaskRecord, kind: TaskKindModule): Live {
    return {
      record,
      kind,
      journal: new AppendOnlyFile(join(this.taskDir(record.id), 'journal.jsonl')),
      controller: null,
      stop: null,
      run: null,
      lastEmit: 0,
      elsewhere: null,
      seen: this.mtime(record.id),
    };
  }

  private mtime(id: string): number {
    try {
      return statSync(join(this.taskDir(id), 'task.json')).mtimeMs;
    } catch {
      return 0;
    }
  }

  private write(record: TaskRecord): void {
    writeFileAtomic(join(this.taskDir(record.id), 'task.json'), JSON.stringify(record));
    const live = this.tasks.get(record.id);
    if (live) live.seen = this.mtime(record.id);
  }

  /** The id of another live process that runs this task now, or null. */
  private ownerElsewhere(id: string): number | null {
    let pid: number;
    try {
      pid = Number(readFileSync(join(this.taskDir(id), OWNER_FILE), 'utf8').trim());
    } catch {
      return null;
    }
    // This process's own mark is stale (an engine of this process that closed); a dead process's too.
    if (pid === process.pid || !processAlive(pid)) return null;
    return pid;
  }

  /** Marks this process as the task's runner, or refuses in words when another process runs it. */
  private claim(live: Live): void {
    const file = join(this.taskDir(live.record.id), OWNER_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx', 0o600);
        writeSync(fd, String(process.pid));
        closeSync(fd);
        live.elsewhere = null;
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const other = this.ownerElsewhere(live.record.id);
        if (other !== null) {
          live.elsewhere = other;
          throw new AppError(
            'conflict',
            `This ${TASK_NOUN[live.record.kind]} is running in another Tenant Desk (process ${other}) on this data directory: it can\u2019t run in two places at once. Follow it there, or stop it there first.`,
          );
        }
        rmSync(file, { force: true }); // a stopped process's mark
      }
    }
    throw new AppError('conflict', 'This work could not be claimed; try again.');
  }

  private release(live: Live): void {
    if (this.ownerElsewhere(live.record.id) === null)
      rmSync(join(this.taskDir(live.record.id), OWNER_FILE), { force: true });
  }

  /**
   * Reads again what another process changed: tasks it created since this one started, and the records of tasks not
   * running here that it wrote since (a task it ran and that is no longer running there is interrupted).
   */
  private rescan(): void {
    if (!this.loaded) return;
    for (const id of readdirSync(this.dir)) {
      const live = this.tasks.get(id);
      if (live?.run) continue;
      const seen = this.mtime(id);
      if (seen === 0 || (live && live.seen === seen && live.elsewhere === null)) continue;
      let record: TaskRecord;
      try {
        record = JSON.parse(readFileSync(join(this.taskDir(id), 'task.json'), 'utf8')) as TaskRecord;
      } catch {
        continue;
      }
      const kind = this.kinds.get(record.kind);
      if (!kind) continue;
      const elsewhere = this.ownerElsewhere(id);
      if (record.status === 'running' && elsewhere === null) {
        record.status = 'interrupted';
        record.reason = stoppedWords(record.kind);
        writeFileAtomic(join(this.taskDir(id), 'task.json'), JSON.stringify(record));
      }
      const fresh = live ?? this.live(record, kind);
      fresh.record = record;
      fresh.elsewhere = record.status === 'running' ? elsewhere : null;
      fresh.seen = this.mtime(id);
      this.tasks.set(id, fresh);
      kind.reload?.(record);
    }
  }

  /**
   * A new task: its folder (with the files `adopt` moves in), its audit entry begun (on disk before anything is
   * sent), its record written, then started.
   */
  async create<Spec, State>(
    kindName: TaskKind,
    init: {
      id: string;
      tenantId: string | null;
      tenantDomain: string | null;
      spec: Spec;
      state: State;
      audit?: Omit<NewAuditEntry, 'outcome' | 'error' | 'after'>;
      adopt?: (dir: string) => void;
    },
  ): Promise<TaskSummary> {
    this.load();
    const kind = this.kinds.get(kindName);
    if (!kind) throw new Error(`No task kind ${kindName}`);
    if (this.tasks.has(init.id) || existsSync(join(this.taskDir(init.id), 'task.json')))
      throw new AppError('conflict', 'That task exists already.');
    const dir = this.taskDir(init.id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      init.adopt?.(dir);
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    let auditId: string | undefined;
    if (init.audit) {
      const begun = this.o.audit.begin(init.audit);
      await begun.written;
      auditId = begun.id;
    }
    const record: TaskRecord = {
      id: init.id,
      kind: kindName,
      tenantId: init.tenantId,
      tenantDomain: init.tenantDomain,
      createdAt: new Date(this.now()).toISOString(),
      status: 'running',
      ...(auditId && init.audit
        ? {
            auditId,
            auditAs: {
              action: init.audit.action,
              target: init.audit.target,
              ...(init.audit.jobId ? { jobId: init.audit.jobId } : {}),
            },
          }
        : {}),
      ...(currentReason() ? { why: currentReason() } : {}),
      spec: init.spec,
      state: init.state,
    };
    this.write(record);
    const live = this.live(record, kind);
    this.tasks.set(record.id, live);
    this.start(live, false);
    return this.summary(live);
  }

  private start(live: Live, afterCrash: boolean): void {
    this.claim(live);
    const controller = new AbortController();
    live.controller = controller;
    live.stop = null;
    live.record.status = 'running';
    delete live.record.reason;
    this.write(live.record);
    this.emit(live, true);
    const ctx = this.context(live, afterCrash, controller.signal);
    // Its writes carry the reason it was started with, resumed after a restart or not. Work a stopped run left goes on
    // only once that run's pending writes are read back (so a write in flight then is judged before anything is sent
    // again, and the audit says it once).
    const after = afterCrash ? this.recovery.catch(() => undefined) : Promise.resolve();
    live.run = after
      .then(() => withReason(live.record.why, () => live.kind.run(ctx)))
      .catch((err: unknown): TaskEnd => {
        if (live.stop?.kind === 'cancel') return { status: 'cancelled' };
        if (live.stop) return { status: 'paused', reason: live.stop.reason ?? 'Paused.' };
        const e = classify(err);
        this.o.log?.('a task failed', { id: live.record.id, kind: live.record.kind, code: e.code });
        return { status: 'failed', reason: e.message };
      })
      .then((end) => this.settle(live, ctx, end))
      .finally(() => {
        live.run = null;
        live.controller = null;
        this.release(live);
      });
  }

  private context(live: Live, afterCrash: boolean, signal: AbortSignal): TaskContext<unknown, unknown> {
    const file = join(this.taskDir(live.record.id), 'journal.jsonl');
    const write = () => this.write(live.record);
    const emit = (force: boolean) => this.emit(live, force);
    return {
      id: live.record.id,
      dir: this.taskDir(live.record.id),
      record: live.record,
      spec: live.record.spec,
      get state() {
        return live.record.state;
      },
      set state(value) {
        live.record.state = value;
      },
      afterCrash,
      signal,
      get stop() {
        return live.stop;
      },
      journal: {
        append: (line) => live.journal.append(`${JSON.stringify(line)}\n`),
        async *replay() {
          if (!existsSync(file)) return;
          for await (const text of linesForward(file)) {
            try {
              yield JSON.parse(text) as unknown;
            } catch {
              // a torn last line
            }
          }
        },
      },
      save(force = false) {
        write();
        emit(force);
      },
      progress(force = false) {
        emit(force);
      },
    };
  }

  /** A run ended: its status saved, and, when the task itself ended, its audit entry finished and its files tidied. */
  private async settle(live: Live, ctx: TaskContext<unknown, unknown>, end: TaskEnd): Promise<void> {
    await live.journal.drain();
    const record = live.record;
    if (live.stop?.kind === 'close') return; // left "running" on disk: interrupted at the next start
    if (end.status === 'paused' && live.stop?.kind === 'cancel') end = { status: 'cancelled' };
    record.status = end.status;
    if (end.reason) record.reason = end.reason;
    else delete record.reason;
    if (ENDED_TASK.includes(end.status)) this.finish(live, ctx);
    else this.write(record);
    this.emit(live, true);
  }

  private finish(live: Live, ctx: TaskContext<unknown, unknown>): void {
    const record = live.record;
    record.finishedAt = new Date(this.now()).toISOString();
    this.write(record);
    try {
      live.kind.ended?.(ctx);
    } catch (err) {
      this.o.log?.('a task could not tidy up', { id: record.id, message: (err as Error).message });
    }
    if (record.auditId && record.tenantId) {
      const audit = live.kind.audit?.(record);
      const as = record.auditAs ?? { action: `task.${record.kind}`, target: record.id };
      this.o.audit.finish(record.auditId, {
        tenantId: record.tenantId,
        tenantDomain: record.tenantDomain ?? '',
        action: as.action,
        target: as.target,
        ...(as.jobId ? { jobId: as.jobId } : {}),
        outcome: record.status === 'completed' && (audit?.success ?? true) ? 'success' : 'failure',
        after: { status: record.status, ...((audit?.after as object | undefined) ?? {}) },
        ...(record.status === 'cancelled'
          ? { error: record.reason ?? 'Cancelled.' }
          : audit?.error || record.reason
            ? { error: audit?.error ?? record.reason }
            : {}),
      });
    }
  }

  private emit(live: Live, force: boolean): void {
    const t = this.now();
    if (!force && t - live.lastEmit < 250) return;
    live.lastEmit = t;
    this.o.emit(this.summary(live));
  }

  private summary(live: Live): TaskSummary {
    const r = live.record;
    const running = live.run !== null || r.status === 'running';
    const d = live.kind.describe(r, running);
    const ended = ENDED_TASK.includes(r.status);
    return {
      id: r.id,
      kind: r.kind,
      tenantId: r.tenantId,
      tenantDomain: r.tenantDomain,
      label: d.label,
      status: r.status,
      ...(r.reason ? { reason: r.reason } : {}),
      createdAt: r.createdAt,
      ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
      progress: d.progress,
      ...(live.elsewhere !== null
        ? { reason: `Running in another Tenant Desk (process ${live.elsewhere}) on this data directory.` }
        : {}),
      can: {
        pause: r.status === 'running' && live.kind.pausable && live.elsewhere === null,
        resume: r.status === 'paused' || r.status === 'interrupted',
        cancel: !ended && live.elsewhere === null,
        results: live.kind.results !== undefined,
      },
      // A copy: the kind goes on changing its own state after this summary is sent.
      detail: structuredClone(d.detail),
    };
  }

  private get(id: string): Live {
    this.load();
    const live = this.tasks.get(id);
    if (!live) throw new AppError('not_found', 'There is no such task (it may have been removed).');
    return live;
  }

  /** The record of a task, for its kind's service (its plan, its items). */
  record<Spec, State>(id: string, kind?: TaskKind): TaskRecord<Spec, State> {
    const live = this.get(id);
    if (kind && live.record.kind !== kind)
      throw new AppError('not_found', `That is not a task of kind ${kind}.`);
    return live.record as TaskRecord<Spec, State>;
  }

  has(id: string): boolean {
    this.load();
    return this.tasks.has(id);
  }

  async describe(id: string): Promise<TaskSummary> {
    await this.ready();
    this.rescan();
    return this.summary(this.get(id));
  }

  async list(filter: { tenantId?: string; kind?: TaskKind } = {}): Promise<TaskSummary[]> {
    await this.ready();
    this.rescan();
    return [...this.tasks.values()]
      .filter(
        (l) =>
          (!filter.tenantId || l.record.tenantId === filter.tenantId) &&
          (!filter.kind || l.record.kind === filter.kind),
      )
      .map((l) => this.summary(l))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Removes a task and its folder (a comparison whose snapshot was deleted): stopped first if it runs. */
  async forget(id: string): Promise<void> {
    const live = this.get(id);
    if (live.run) await this.requestStop(live, { kind: 'cancel' });
    this.tasks.delete(id);
    await live.journal.close();
    rmSync(this.taskDir(id), { recursive: true, force: true });
  }

  /** Resolves once the task's current run (if any) has stopped. */
  async settled(id: string): Promise<void> {
    await this.get(id).run;
  }

  async control(id: string, action: 'pause' | 'resume' | 'cancel', reason?: string): Promise<TaskSummary> {
    await this.ready();
    this.rescan();
    const live = this.get(id);
    const status = live.record.status;
    if (live.elsewhere !== null)
      throw new AppError(
        'conflict',
        `This ${TASK_NOUN[live.record.kind]} is running in another Tenant Desk (process ${live.elsewhere}) on this data directory: ${action} it there.`,
      );
    if (action === 'pause') {
      if (status !== 'running' || !live.run)
        throw new AppError('validation', 'Only running work can be paused.');
      if (!live.kind.pausable)
        throw new AppError('validation', 'This kind of work can\u2019t be paused; cancel it instead.');
      await this.requestStop(live, { kind: 'pause', reason: reason ?? 'Paused by you.' });
    } else if (action === 'resume') {
      if (status !== 'paused' && status !== 'interrupted')
        throw new AppError('validation', 'Only paused or interrupted work can be resumed.');
      this.start(live, status === 'interrupted');
    } else {
      if (ENDED_TASK.includes(status)) throw new AppError('validation', 'This work has already ended.');
      if (live.run) await this.requestStop(live, { kind: 'cancel' });
      else {
        const ctx = this.context(live, false, AbortSignal.abort());
        const words = await live.kind.cancelStopped?.(ctx);
        live.record.status = 'cancelled';
        live.record.reason = words ?? 'Cancelled.';
        this.finish(live, ctx);
        this.emit(live, true);
      }
    }
    return this.summary(live);
  }

  private async requestStop(live: Live, stop: StopRequest): Promise<void> {
    if (!live.stop || stop.kind === 'cancel') live.stop = stop;
    live.controller?.abort(new AppError('validation', stop.reason ?? 'Stopped.'));
    await live.run;
  }

  /** A running task pauses itself (a locked keychain, a tenant that keeps refusing): the reason is shown. */
  async pauseFor(id: string, reason: string): Promise<void> {
    const live = this.get(id);
    if (live.run) await this.requestStop(live, { kind: 'pause', reason });
  }

  async results(id: string): Promise<DownloadRef> {
    const live = this.get(id);
    if (!live.kind.results) throw new AppError('validation', 'This kind of work has no results file.');
    const r = await live.kind.results(live.record, this.taskDir(id));
    return csvDownload(this.o.downloads, r.filename, r.columns, r.rows, { bom: r.bom ?? true });
  }

  /** Where a task stands, for its audit entry left pending by a stopped run (null: no task has it). */
  async auditResolution(auditId: string): Promise<{ resolution: AuditResolution; words: string } | null> {
    await this.ready();
    const live = [...this.tasks.values()].find((l) => l.record.auditId === auditId);
    if (!live) return null;
    const s = this.summary(live);
    const what = TASK_NOUN[s.kind];
    const tally = `${s.progress.done.toLocaleString('en')}${s.progress.total !== null ? ` of ${s.progress.total.toLocaleString('en')}` : ''} ${s.progress.unit} done${s.progress.words ? ` (${s.progress.words})` : ''}`;
    if (s.status === 'completed')
      return {
        resolution: live.kind.audit?.(live.record).success === false ? 'unknown' : 'applied',
        words: `the ${what} had finished: ${tally}`,
      };
    if (ENDED_TASK.includes(s.status))
      return { resolution: 'unknown', words: `the ${what} had ended ${s.status}: ${tally}` };
    return {
      resolution: 'unknown',
      words: `the ${what} is ${s.status} with ${tally}; resume it in Tasks (its outcome is recorded when it ends)`,
    };
  }

  /**
   * Quitting: running tasks stop where they are (what is in flight finishes), their records left as "running" so
   * that the next start offers them for resume.
   */
  async close(): Promise<void> {
    await this.restored;
    await Promise.all(
      [...this.tasks.values()]
        .filter((l) => l.run)
        .map((l) => this.requestStop(l, { kind: 'close', reason: stoppedWords(l.record.kind) })),
    );
    await Promise.all([...this.tasks.values()].map((l) => l.journal.close()));
  }

  /** Moves a file into a task's folder (a plan, an upload), so that it lives and goes with the task. */
  static adoptFile(from: string, dir: string, name: string): void {
    renameSync(from, join(dir, name));
  }
}
