// Access review reports of snapshots (#24) as tasks of the one engine (kind access-review): started from the window or
// the command line, written by the offline worker (nothing of a tenant is asked: snapshots only), followed through
// task:progress and cancelled like any export. The file is a download of this run — removed when Tenant Desk quits,
// like every export holding users' data; the task keeps only the report's counts.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AccessReviewSummary,
  ChannelParsedInput,
  ErrorEnvelope,
  ExportStatus,
  ReviewFormat,
  SnapshotSummary,
} from '../../preload/contract.js';
import type { DownloadStore } from '../downloads/download-store.js';
import { AppError } from '../errors.js';
import type { OfflineEngine } from '../offline/offline-engine.js';
import type { SnapshotService } from '../snapshots/snapshot-service.js';
import type { TaskContext, TaskEnd, TaskEngine, TaskKindModule } from '../tasks/engine.js';
import type { ReviewStep } from './access-review.js';

export interface ReviewServiceOptions {
  engine: OfflineEngine;
  downloads: DownloadStore;
  snapshots: SnapshotService;
  tasks: TaskEngine;
  envelope: (err: unknown, what: string) => ErrorEnvelope;
}

const CONTENT_TYPES: Record<ReviewFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  html: 'text/html; charset=utf-8',
};
/** The comparison with the previous snapshot, in the task's folder while the report is written. */
const COMPARE_FILE = 'review-compare.sqlite';

const STEP_WORDS: Record<ReviewStep, string> = {
  counting: 'Counting the users',
  comparing: 'Comparing with the previous snapshot',
  holders: 'Writing the role holders',
  flags: 'Writing the flags',
  changes: 'Writing the changes',
};
/** Where each step starts, in percent of the whole (counting and comparing read every user; the rest fewer). */
const STEP_START: Record<ReviewStep, number> = {
  counting: 0,
  comparing: 35,
  holders: 65,
  flags: 80,
  changes: 95,
};
const STEP_END: Record<ReviewStep, number> = {
  counting: 35,
  comparing: 65,
  holders: 80,
  flags: 95,
  changes: 99,
};

interface ReviewSpec {
  input: ChannelParsedInput<'reviews:start'>;
  snapshot: SnapshotSummary;
  previous: SnapshotSummary | null;
  fileName: string;
}
interface ReviewState {
  status: ExportStatus;
  review?: AccessReviewSummary;
}

const safe = (s: string) =>
  s
    .replace(/[^\w.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'snapshot';
const stamp = (iso: string) => iso.slice(0, 16).replace(/[-:]/g, '').replace('T', '-');

export class ReviewService {
  constructor(private readonly o: ReviewServiceOptions) {
    o.tasks.register(this.kind);
  }

  /** Starts a report: a task whose last status carries the file and whose detail carries the report's counts. */
  async start(input: ChannelParsedInput<'reviews:start'>): Promise<ExportStatus> {
    const snapshot = (await this.o.snapshots.described(input.snapshotId)).summary;
    const previous = input.previousId ? (await this.o.snapshots.described(input.previousId)).summary : null;
    if (this.o.tasks.has(input.reviewId)) throw new AppError('conflict', 'That work exists already.');
    const status: ExportStatus = {
      exportId: input.reviewId,
      kind: 'access-review',
      tenantId: snapshot.tenantId,
      label: `Access review of ${snapshot.tenantLabel} (snapshot of ${snapshot.createdAt.slice(0, 16).replace('T', ' ')}) as ${input.format.toUpperCase()}`,
      phase: 'reading',
      method: 'snapshot',
      percentDone: 0,
      timeLeftSeconds: null,
      users: 0,
      written: 0,
      message: STEP_WORDS.counting,
      notes: [],
    };
    await this.o.tasks.create<ReviewSpec, ReviewState>('access-review', {
      id: input.reviewId,
      tenantId: snapshot.tenantId,
      tenantDomain: snapshot.tenantDomain,
      spec: {
        input,
        snapshot,
        previous,
        fileName: `${safe(snapshot.tenantLabel)}-access-review-${stamp(snapshot.createdAt)}.${input.format}`,
      },
      state: { status },
    });
    return structuredClone(this.o.tasks.record<ReviewSpec, ReviewState>(input.reviewId).state.status);
  }

  /** Runs a report to its end (the command line): its task as it ended. */
  async complete(input: ChannelParsedInput<'reviews:start'>): Promise<ReviewState> {
    await this.start(input);
    await this.o.tasks.settled(input.reviewId);
    return structuredClone(this.o.tasks.record<ReviewSpec, ReviewState>(input.reviewId).state);
  }

  readonly kind: TaskKindModule<ReviewSpec, ReviewState> = {
    kind: 'access-review',
    pausable: false,
    run: (ctx) => this.run(ctx),
    cancelStopped: (ctx) => {
      Object.assign(ctx.state.status, { phase: 'cancelled', message: 'Cancelled' });
      return 'Cancelled.';
    },
    ended: (ctx) => rmSync(join(ctx.dir, COMPARE_FILE), { force: true }),
    describe: (record) => {
      const s = record.state.status;
      const percent = s.percentDone !== null && s.phase !== 'completed' ? ` (${s.percentDone}%)` : '';
      return {
        label: s.label,
        progress: { done: s.users, total: null, unit: 'users', words: `${s.message}${percent}` },
        detail: {
          kind: 'access-review',
          export: s,
          ...(record.state.review ? { review: record.state.review } : {}),
        },
      };
    },
  };

  private async run(ctx: TaskContext<ReviewSpec, ReviewState>): Promise<TaskEnd> {
    const { input, fileName } = ctx.spec;
    const status = ctx.state.status;
    Object.assign(status, {
      phase: 'reading',
      message: STEP_WORDS.counting,
      users: 0,
      written: 0,
      notes: [],
    });
    delete status.error;
    delete ctx.state.review;
    ctx.save(true);
    const file = this.o.downloads.reserve(fileName, CONTENT_TYPES[input.format]);
    const abort = () => void this.o.engine.call('review.abort', { id: ctx.id }).catch(() => undefined);
    ctx.signal.addEventListener('abort', abort, { once: true });
    try {
      const current = await this.o.snapshots.described(input.snapshotId);
      const previous = input.previousId ? await this.o.snapshots.described(input.previousId) : null;
      const review = await this.o.engine.call(
        'review',
        {
          id: ctx.id,
          path: current.path,
          ...(previous ? { previousPath: previous.path } : {}),
          out: file.path,
          compareOut: join(ctx.dir, COMPARE_FILE),
          format: input.format,
          roles: input.roles,
          inactiveDays: input.inactiveDays,
        },
        ({ step, done, total }) => {
          const span = STEP_END[step] - STEP_START[step];
          Object.assign(status, {
            phase: step === 'counting' || step === 'comparing' ? 'reading' : 'writing',
            message: STEP_WORDS[step],
            users: done,
            percentDone: STEP_START[step] + Math.floor((span * Math.min(done, total)) / Math.max(1, total)),
          });
          ctx.progress();
        },
      );
      const done = await file.commit();
      ctx.state.review = review;
      Object.assign(status, {
        phase: 'completed',
        message: 'Done',
        users: review.snapshot.count,
        written: review.snapshot.count,
        percentDone: 100,
        notes: review.warnings,
        file: { id: done.id, filename: done.filename, bytes: done.bytes },
      });
      ctx.save(true);
      return { status: 'completed' };
    } catch (err) {
      file.discard();
      if (ctx.stop?.kind === 'cancel') {
        Object.assign(status, { phase: 'cancelled', message: 'Cancelled' });
        ctx.save(true);
        return { status: 'cancelled' };
      }
      if (ctx.stop) return { status: 'paused', reason: ctx.stop.reason ?? 'Stopped.' };
      const error = this.o.envelope(err, 'access review report');
      Object.assign(status, { phase: 'failed', message: 'Failed', error });
      ctx.save(true);
      return { status: 'failed', reason: error.message };
    } finally {
      ctx.signal.removeEventListener('abort', abort);
      rmSync(join(ctx.dir, COMPARE_FILE), { force: true });
    }
  }
}
