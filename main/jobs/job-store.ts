// Jobs on disk, in <data dir>/jobs/<job id>/: job.json (what the job is and its status, written atomically),
// plan.jsonl (one line per user: the operation planned and the state it was planned from; never changed once the
// job starts) and journal.jsonl (each user's state as it moves: sent → done / failed / skipped / unknown, with what
// the tenant answered), appended and flushed before the write it announces is sent. Killing the process at any
// instant loses nothing: on the next start the journal is replayed and the job offered for resume.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { BulkChange, JobItemState, JobStatus } from '../../preload/contract.js';
import { AppendOnlyFile } from '../fs/append-only-file.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { linesForward } from '../fs/lines.js';
import type { OpCall } from '../operations/operation.js';

export interface JobMeta {
  id: string;
  tenantId: string;
  tenantDomain: string;
  change: BulkChange;
  changeLabel: string;
  sourceLabel: string;
  createdAt: string;
  finishedAt?: string;
  status: JobStatus;
  pausedReason?: string;
  total: number;
  undoable: boolean;
  undoOf?: string;
  retryOf?: string;
  /** The job's own audit entry (begun at start, finished at the end). */
  auditId: string;
}

/** One user of a plan, as written to plan.jsonl. */
export interface PlanLine {
  i: number;
  u: string;
  e?: string;
  s: 'change' | 'skip';
  n?: string;
  /** The write to send (an earlier version wrote its own form, read by callOf in bulk-ops.ts). */
  op?: OpCall;
  b?: unknown;
  a?: unknown;
}

/** One state change of one user, as appended to journal.jsonl. */
export interface JournalLine {
  i: number;
  s: JobItemState;
  /** The audit id of the write, once it is recorded as pending (so a later run can finish that entry). */
  aid?: string;
  e?: string;
  a?: unknown;
  t: number;
}

/** The journal of one job: an entry's promise resolves once it is on disk (flushed off the event loop). */
export class Journal {
  private readonly out: AppendOnlyFile;

  constructor(readonly file: string) {
    this.out = new AppendOnlyFile(file);
  }

  append(entry: JournalLine): Promise<void> {
    return this.out.append(`${JSON.stringify(entry)}\n`);
  }

  close(): Promise<void> {
    return this.out.close();
  }
}

export class JobStore {
  readonly dir: string;
  readonly plansDir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'jobs');
    this.plansDir = join(this.dir, 'plans');
    mkdirSync(this.plansDir, { recursive: true, mode: 0o700 });
  }

  jobDir(id: string): string {
    return join(this.dir, id);
  }

  planFile(planId: string): string {
    return join(this.plansDir, `${planId}.jsonl`);
  }

  /** Makes a plan a job: its folder, the plan moved in (kept as planned), job.json written last. */
  create(meta: JobMeta, planFile: string): void {
    const dir = this.jobDir(meta.id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    renameSync(planFile, join(dir, 'plan.jsonl'));
    this.save(meta);
  }

  save(meta: JobMeta): void {
    writeFileAtomic(join(this.jobDir(meta.id), 'job.json'), `${JSON.stringify(meta, null, 2)}\n`);
  }

  ids(): string[] {
    return readdirSync(this.dir).filter(
      (d) => d.startsWith('job_') && existsSync(join(this.dir, d, 'job.json')),
    );
  }

  meta(id: string): JobMeta {
    return JSON.parse(readFileSync(join(this.jobDir(id), 'job.json'), 'utf8')) as JobMeta;
  }

  async *plan(id: string): AsyncGenerator<PlanLine> {
    for await (const line of linesForward(join(this.jobDir(id), 'plan.jsonl')))
      yield JSON.parse(line) as PlanLine;
  }

  journal(id: string): Journal {
    return new Journal(join(this.jobDir(id), 'journal.jsonl'));
  }

  /** The journal replayed: each user's latest state and what went with it. A torn last line is skipped. */
  async replay(id: string): Promise<Map<number, JournalLine>> {
    const latest = new Map<number, JournalLine>();
    for await (const text of linesForward(join(this.jobDir(id), 'journal.jsonl'))) {
      let line: JournalLine;
      try {
        line = JSON.parse(text) as JournalLine;
      } catch {
        continue;
      }
      const previous = latest.get(line.i);
      // An audit id, once known, stays with the item.
      latest.set(line.i, previous?.aid && !line.aid ? { ...line, aid: previous.aid } : line);
    }
    return latest;
  }
}
