// Runs one bulk job as a task of the engine (tasks/engine.ts): its users a few at a time in the scheduler's job lane
// (the window's own requests go first), each write through the write path (guard judged at the job's start, audit,
// scheduler) with its "sent" journaled before it leaves, its outcome after. A user left "sent" by a crash is read back
// by its operation before anything is sent again; what can't be read back (an email, a link) is reported "unknown",
// never resent. The job pauses itself — with the reason in words — when going on can't succeed (a locked keychain,
// refused credentials, a tenant that keeps answering 429).
import type { JobCounts, JobItemState } from '../../preload/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import { actionOf, type OpCall } from '../operations/operation.js';
import { operationNamed, type AnyOperation } from '../operations/registry.js';
import { SkipWrite, type TenantApi, type WritePath } from '../operations/write-path.js';
import { classify, toEnvelope } from '../errors.js';
import { withRequestPolicy } from '../scheduler/rate-scheduler.js';
import type { TaskEnd, TaskJournal } from '../tasks/engine.js';
import { callOf } from './bulk-ops.js';
import type { JournalLine, PlanLine } from './job-store.js';

export interface RunnerItem {
  line: PlanLine;
  state: JobItemState;
  aid?: string;
  error?: string;
  after?: unknown;
}

export interface RunnerDeps {
  jobId: string;
  tenantId: string;
  tenantDomain: string;
  writes: WritePath;
  audit: AuditLog;
  api: () => TenantApi;
  concurrency?: number;
  now?: () => number;
  /** Backoff between attempts of one user (tests make it short). */
  retryDelayMs?: number;
}

/** What a run is given by its task. */
export interface RunnerTask {
  journal: TaskJournal;
  signal: AbortSignal;
  stop: { kind: 'pause' | 'cancel' | 'close'; reason?: string } | null;
  /** Tells the window how far it got (a few times a second at most). */
  progress(force?: boolean): void;
}

/** Errors that no retry of the next user would fix: the job pauses and says why. */
const STOPS_THE_JOB = new Set([
  'keychain_locked',
  'keychain_unavailable',
  'no_secret',
  'unauthorized',
  'tls',
  'insufficient_scope',
]);
/** Errors after which the write surely did not happen (refused before anything was applied). */
const NOT_APPLIED = new Set([
  'keychain_locked',
  'keychain_unavailable',
  'no_secret',
  'unauthorized',
  'tls',
  'insufficient_scope',
  'rate_limited',
  'validation',
  'confirmation_required',
]);
export const TERMINAL: readonly JobItemState[] = ['done', 'skipped', 'failed', 'unknown', 'cancelled'];

export class JobRunner {
  /** Password-change links made by this run: kept in memory for the results file, never written. */
  readonly links = new Map<number, { ticket: string; expiresAt: string }>();
  private readonly completions: number[] = [];
  private rateLimitedInARow = 0;
  private failedInARow = 0;
  private selfPause: string | null = null;
  private task: RunnerTask | null = null;
  private readonly now: () => number;

  constructor(
    private readonly deps: RunnerDeps,
    readonly items: RunnerItem[],
  ) {
    this.now = deps.now ?? Date.now;
  }

  get running(): boolean {
    return this.task !== null;
  }

  counts(): JobCounts {
    const c: JobCounts = {
      total: this.items.length,
      done: 0,
      skipped: 0,
      failed: 0,
      unknown: 0,
      cancelled: 0,
      remaining: 0,
    };
    // A user left "sent" by a job that is not running (Tenant Desk stopped mid-write) is unknown until resuming
    // reads it back; while the job runs, "sent" is a write in flight.
    const inFlight = this.running;
    for (const it of this.items) {
      if (it.state === 'done') c.done++;
      else if (it.state === 'skipped') c.skipped++;
      else if (it.state === 'failed') c.failed++;
      else if (it.state === 'unknown' || (it.state === 'sent' && !inFlight)) c.unknown++;
      else if (it.state === 'cancelled') c.cancelled++;
      else c.remaining++;
    }
    return c;
  }

  /** Users finished per second over the last ten seconds (0 when not running). */
  rps(): number {
    if (!this.running) return 0;
    const windowStart = this.now() - 10_000;
    while (this.completions.length && this.completions[0]! < windowStart) this.completions.shift();
    return this.completions.length / 10;
  }

  private async record(
    item: RunnerItem,
    state: JobItemState,
    extra: Omit<Partial<JournalLine>, 'i' | 's' | 't'> = {},
  ) {
    item.state = state;
    if (extra.aid) item.aid = extra.aid;
    if (extra.e !== undefined) item.error = extra.e;
    if (extra.a !== undefined) item.after = extra.a;
    await this.task!.journal.append({ i: item.line.i, s: state, t: this.now(), ...extra });
    if (TERMINAL.includes(state)) this.completions.push(this.now());
    this.task!.progress();
  }

  private get stopping(): boolean {
    return this.task!.signal.aborted || this.selfPause !== null;
  }

  /** Runs (or goes on running) whatever is not finished, until done or asked to stop. */
  async run(task: RunnerTask): Promise<TaskEnd> {
    this.task = task;
    this.selfPause = null;
    this.rateLimitedInARow = 0;
    this.failedInARow = 0;
    try {
      const pending = this.items.filter((it) => it.state === 'planned' || it.state === 'sent');
      let next = 0;
      const worker = async () => {
        while (!this.stopping && next < pending.length) await this.runItem(pending[next++]!);
      };
      await Promise.all(Array.from({ length: this.deps.concurrency ?? 6 }, worker));
      if (task.stop?.kind === 'cancel') {
        await this.cancelPlanned(task);
        return { status: 'cancelled', reason: 'Cancelled: the users not yet sent were not changed.' };
      }
      if (task.stop) return { status: 'paused', reason: task.stop.reason ?? 'Paused.' };
      if (this.selfPause) return { status: 'paused', reason: this.selfPause };
      if (this.items.every((it) => TERMINAL.includes(it.state))) return { status: 'completed' };
      return { status: 'paused', reason: 'Some users are still to do.' };
    } finally {
      this.task = null;
    }
  }

  /** The users not sent when the job was cancelled (while running, or while stopped). */
  async cancelPlanned(task: Pick<RunnerTask, 'journal' | 'progress'>): Promise<void> {
    const previous = this.task;
    this.task = { ...task, signal: AbortSignal.abort(), stop: { kind: 'cancel' } };
    try {
      for (const it of this.items) if (it.state === 'planned') await this.record(it, 'cancelled');
    } finally {
      this.task = previous;
    }
  }

  private async runItem(item: RunnerItem): Promise<void> {
    if (!item.line.op) return this.record(item, 'skipped', { e: item.line.n ?? 'nothing to change' });
    const call = callOf(item.line.op, item.line.b);
    const op = operationNamed(call.name)!;
    if (item.state === 'sent') {
      const seen = await this.readBack(item, op, call).catch(() => 'again' as const);
      if (seen === 'unknown')
        return this.record(item, 'unknown', {
          e: 'Sent just before Tenant Desk stopped; whether it arrived can\u2019t be read back, so it was not sent again.',
        });
      if (seen !== 'again') {
        if (item.aid) this.finishPendingAudit(item, op, call, seen.after);
        return this.record(item, 'done', seen.after !== undefined ? { a: seen.after } : {});
      }
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const after = await this.apply(item, op, call);
        this.rateLimitedInARow = 0;
        this.failedInARow = 0;
        return await this.record(item, 'done', after !== undefined ? { a: after } : {});
      } catch (err) {
        // Read just before sending: changed since the plan, already as asked, or nothing to do. Nothing was sent.
        if (err instanceof SkipWrite) {
          this.failedInARow = 0;
          return this.record(item, 'skipped', {
            e: err.message,
            ...(err.now !== undefined ? { a: err.now } : {}),
          });
        }
        const e = classify(err);
        if (NOT_APPLIED.has(e.code) && item.state === 'sent') await this.record(item, 'planned');
        if (STOPS_THE_JOB.has(e.code)) return this.requestPause(`Paused: ${e.message}`);
        if (e.code === 'rate_limited') {
          if (++this.rateLimitedInARow >= 3)
            return this.requestPause(
              'Paused: the tenant keeps refusing requests for its rate limit (429) even after waiting. Nothing was lost; resume when its traffic calms down.',
            );
          await this.sleep(this.deps.retryDelayMs ?? 5_000);
          continue;
        }
        // Repeating is safe where a lost answer can't double the effect (not another email or link).
        if (toEnvelope(e).retryable && op.mayRepeat && attempt < 2) {
          await this.sleep((this.deps.retryDelayMs ?? 1_000) * 3 ** attempt);
          continue;
        }
        await this.record(item, 'failed', { e: e.message });
        if (++this.failedInARow >= 10)
          this.requestPause(`Paused: ten users in a row failed (the last: ${e.message}).`);
        return;
      }
    }
  }

  private requestPause(reason: string): void {
    this.selfPause ??= reason;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  /** The write's input: the plan line's parameters for its user on this job's tenant. */
  private input(item: RunnerItem, call: OpCall) {
    return { ...call.params, tenantId: this.deps.tenantId, userId: item.line.u };
  }

  private finishPendingAudit(item: RunnerItem, op: AnyOperation, call: OpCall, after: unknown): void {
    const d = this.deps;
    this.deps.audit.finish(item.aid!, {
      tenantId: d.tenantId,
      tenantDomain: d.tenantDomain,
      action: actionOf(op, this.input(item, call)),
      target: item.line.u,
      op: op.name,
      jobId: d.jobId,
      outcome: 'success',
      ...(item.line.b !== undefined ? { before: item.line.b } : {}),
      after: { verified: 'read back after Tenant Desk restarted', ...(after as object) },
    });
  }

  /**
   * After a crash: did the write this user was sent arrive? The operation reads the tenant rather than send blindly;
   * one whose effect leaves nothing to read (an email, a link) is unknown, never sent again.
   */
  private async readBack(
    item: RunnerItem,
    op: AnyOperation,
    call: OpCall,
  ): Promise<'again' | 'unknown' | { after: unknown }> {
    const readBack = op.readBack;
    if (typeof readBack !== 'function') return 'unknown';
    const input = this.input(item, call);
    const read = await withRequestPolicy({ lane: 'job' }, () =>
      readBack(this.deps.api(), {
        target: item.line.u,
        intent: op.intent?.(input, undefined),
        before: item.line.b,
        time: new Date(this.now()).toISOString(),
      }),
    );
    // Not applied, or neither as planned nor as asked: sent again, and the operation's own check before sending
    // (changed since the plan? already as asked?) decides.
    if (read.resolution !== 'applied') return 'again';
    return { after: op.bulk?.after?.(read.seen, input, item.line) };
  }

  /** Sends one user's write through the write path; what the journal keeps of it after. */
  private async apply(item: RunnerItem, op: AnyOperation, call: OpCall): Promise<unknown> {
    const input = this.input(item, call);
    const result = await this.deps.writes.run(op, input, {
      lane: 'job',
      jobId: this.deps.jobId,
      // The job as a whole was judged by the guard at its start (on production: domain and count typed back).
      judgedAtStart: true,
      onSend: (aid: string) => this.record(item, 'sent', { aid }),
      ...(op.bulk?.beforeFromPlan ? { before: op.bulk.beforeFromPlan(item.line) } : {}),
      ...(op.bulk?.skipIf ? { skipIf: op.bulk.skipIf } : {}),
    });
    // A password-change link is a credential: kept in memory for the results file, never in the journal.
    const credential = op.bulk?.credential?.(result);
    if (credential) this.links.set(item.line.i, credential);
    return op.bulk?.after?.(result, input, item.line);
  }
}
