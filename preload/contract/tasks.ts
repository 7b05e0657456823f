// Long work of every kind — bulk jobs, imports, exports, snapshots built from a file, comparisons — as tasks of one
// engine: listed together, controlled the same way, their progress in one event.
import { z } from 'zod';
import { idSchema } from './shared.js';
import type { DownloadRef } from './app.js';
import type { JobSummary } from './bulk.js';
import type { CompareSummary, ExportStatus } from './exports.js';
import type { ImportSummary } from './imports.js';
import type { OrgCompareSummary } from './cross.js';
import type { AccessReviewSummary } from './reviews.js';

export const taskKinds = [
  'bulk',
  'import',
  'export',
  'snapshot-export',
  'snapshot-file',
  'compare',
  'org-compare',
  'access-review',
] as const;
export type TaskKind = (typeof taskKinds)[number];

/** Words for each kind, as the Tasks screen shows them. */
export const TASK_KIND_WORDS: Record<TaskKind, string> = {
  bulk: 'Bulk edit',
  import: 'Import',
  export: 'Export',
  'snapshot-export': 'Export of a snapshot',
  'snapshot-file': 'Snapshot from a file',
  compare: 'Comparison',
  'org-compare': 'Organizations compared',
  'access-review': 'Access review report',
};

/**
 * running: under way. paused: stopped by you or by itself (the reason says why), to be resumed. interrupted: Tenant
 * Desk stopped while it ran — offered for resume; nothing is done twice. completed / failed / cancelled: ended.
 */
export type TaskStatus = 'running' | 'paused' | 'interrupted' | 'completed' | 'failed' | 'cancelled';
export const ENDED_TASK: readonly TaskStatus[] = ['completed', 'failed', 'cancelled'];

export interface TaskProgress {
  done: number;
  /** null while the total is not known yet. */
  total: number | null;
  /** What is counted ("users", "parts"). */
  unit: string;
  /** Where it stands, in words. */
  words: string;
}

/** Each kind's own view of a task, for its screen (the job's counts, the import's parts, the export's file…). */
export type TaskDetail =
  | { kind: 'bulk'; job: JobSummary }
  | { kind: 'import'; import: ImportSummary }
  | { kind: 'export'; export: ExportStatus }
  | { kind: 'snapshot-export'; export: ExportStatus }
  | { kind: 'snapshot-file'; export: ExportStatus }
  | { kind: 'compare'; compare?: CompareSummary }
  | { kind: 'org-compare'; orgCompare?: OrgCompareSummary }
  | { kind: 'access-review'; export: ExportStatus; review?: AccessReviewSummary };

export interface TaskSummary {
  id: string;
  kind: TaskKind;
  tenantId: string | null;
  tenantDomain: string | null;
  /** What the task does, in words. */
  label: string;
  status: TaskStatus;
  /** Why it paused, was interrupted or failed, in words. */
  reason?: string;
  createdAt: string;
  finishedAt?: string;
  progress: TaskProgress;
  /** What can be done with it now. */
  can: { pause: boolean; resume: boolean; cancel: boolean; results: boolean };
  detail: TaskDetail;
}

export const taskIdSchema = z.string().regex(/^[\w-]{8,64}$/, 'Not a task id');

export const tasksChannels = {
  /** Every task, newest first: of one tenant, or of all (a snapshot from a file has none). */
  'tasks:list': {
    input: z.object({ tenantId: idSchema.optional() }).strict(),
    output: {} as TaskSummary[],
  },
  'tasks:get': {
    input: z.object({ taskId: taskIdSchema }).strict(),
    output: {} as TaskSummary,
  },
  /**
   * Pause (what is in flight finishes, nothing new starts), resume (a paused or interrupted task; what a crash left
   * in flight is read back first, never sent twice), cancel (what was not started is not).
   */
  'tasks:control': {
    input: z.object({ taskId: taskIdSchema, action: z.enum(['pause', 'resume', 'cancel']) }).strict(),
    output: {} as TaskSummary,
  },
  /** The task's results as CSV: each user's outcome (a bulk job), each refused row (an import). */
  'tasks:results': {
    input: z.object({ taskId: taskIdSchema }).strict(),
    output: {} as DownloadRef,
  },
};
