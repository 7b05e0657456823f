// A bulk job's files, in its task's folder (<data dir>/tasks/<job id>/, see tasks/engine.ts): plan.jsonl (one line per
// user: the write planned and the state it was planned from; never changed once the job starts) and the task's
// journal.jsonl (each user's state as it moves: sent → done / failed / skipped / unknown, with what the tenant
// answered), appended and flushed before the write it announces is sent. Killing the process at any instant loses
// nothing: at the next start the journal is replayed and the job offered for resume. Plans not yet started wait in
// <data dir>/plans/. Jobs of an earlier version (<data dir>/jobs/<id>/) are moved into the engine's folder once.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BulkChange, JobCounts, JobItemState, JobSummary } from '../../preload/contract.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { linesForward } from '../fs/lines.js';
import type { OpCall } from '../operations/operation.js';
import type { TaskRecord } from '../tasks/engine.js';

/** What a bulk job was asked to do (its task's spec). */
export interface BulkSpec {
  change: BulkChange;
  changeLabel: string;
  sourceLabel: string;
  total: number;
  undoable: boolean;
  /** The plan it was started from (a plan id names its job too: after a kill its id may never have been seen). */
  planId?: string;
  undoOf?: string;
  retryOf?: string;
  /** The names of the roles a roles change adds or removes, by id, as the plan read them. */
  roleNames?: Record<string, string>;
}

/** How far it got, as last saved (the journal is the truth; this lets a list show it without reading that). */
export interface BulkState {
  counts?: JobCounts;
}

export type BulkRecord = TaskRecord<BulkSpec, BulkState>;

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

/** One state change of one user, as appended to the journal. */
export interface JournalLine {
  i: number;
  s: JobItemState;
  /** The audit id of the write, once it is recorded as pending (so a later run can finish that entry). */
  aid?: string;
  e?: string;
  a?: unknown;
  t: number;
}

export function plansDir(dataDir: string): string {
  const dir = join(dataDir, 'plans');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export async function* planLines(file: string): AsyncGenerator<PlanLine> {
  for await (const line of linesForward(file)) yield JSON.parse(line) as PlanLine;
}

/** The journal replayed: each user's latest state and what went with it. A torn last line is skipped. */
export async function replayJournal(file: string): Promise<Map<number, JournalLine>> {
  const latest = new Map<number, JournalLine>();
  if (!existsSync(file)) return latest;
  for await (const text of linesForward(file)) {
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

/** job.json as an earlier version wrote it: a job's summary with flat counts and its audit entry's id. */
type EarlierJob = Omit<JobSummary, 'counts' | 'rps' | 'etaSeconds'> & {
  total: number;
  auditId: string;
};

/**
 * Jobs an earlier version kept in <data dir>/jobs/: each folder becomes a task (its record written next to its plan
 * and journal, then the folder moved whole), so that they are listed, resumed and undone like any other.
 */
export function adoptEarlierJobs(dataDir: string, tasksDir: string): number {
  const old = join(dataDir, 'jobs');
  if (!existsSync(old)) return 0;
  let moved = 0;
  for (const id of readdirSync(old)) {
    const dir = join(old, id);
    const file = join(dir, 'job.json');
    if (!id.startsWith('job_') || !existsSync(file)) continue;
    const job = JSON.parse(readFileSync(file, 'utf8')) as EarlierJob;
    const record: BulkRecord = {
      id: job.id,
      kind: 'bulk',
      tenantId: job.tenantId,
      tenantDomain: job.tenantDomain,
      createdAt: job.createdAt,
      ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
      status: job.status,
      ...(job.pausedReason ? { reason: job.pausedReason } : {}),
      auditId: job.auditId,
      auditAs: { action: `bulk.${job.change.kind}`, target: `${job.total} users`, jobId: job.id },
      spec: {
        change: job.change,
        changeLabel: job.changeLabel,
        sourceLabel: job.sourceLabel,
        total: job.total,
        undoable: job.undoable,
        ...(job.undoOf ? { undoOf: job.undoOf } : {}),
        ...(job.retryOf ? { retryOf: job.retryOf } : {}),
      },
      state: {},
    };
    writeFileAtomic(join(dir, 'task.json'), JSON.stringify(record));
    renameSync(dir, join(tasksDir, id));
    rmSync(join(tasksDir, id, 'job.json'), { force: true });
    moved++;
  }
  // Plans never started are for the session that made them.
  rmSync(old, { recursive: true, force: true });
  return moved;
}
