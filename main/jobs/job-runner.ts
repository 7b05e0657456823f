// Runs one bulk job: its users a few at a time in the scheduler's job lane (the window's own requests go first),
// each write through the write path (guard, audit, scheduler) with its "sent" journaled before it leaves, its
// outcome after. A user left "sent" by a crash is read back before anything is sent again; what can't be read back
// (an email, a link) is reported "unknown", never resent. The job pauses itself — with the reason in words — when
// going on can't succeed (a locked keychain, refused credentials, a tenant that keeps answering 429).
import type { JobCounts, JobItemState, JobSummary } from '../../preload/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import { actionOf, type OpCall } from '../operations/operation.js';
import { operationNamed, type AnyOperation } from '../operations/registry.js';
import { SkipWrite, type TenantApi, type WritePath } from '../operations/write-path.js';
import { classify, toEnvelope } from '../errors.js';
import { withRequestPolicy } from '../scheduler/rate-scheduler.js';
import { callOf } from './bulk-ops.js';
import type { JobMeta, Journal, JournalLine, PlanLine } from './job-store.js';

export interface RunnerItem {
  line: PlanLine;
  state: JobItemState;
  aid?: string;
  error?: string;
  after?: unknown;
}

export interface RunnerDeps {
  meta: JobMeta;
  writes: WritePath;
  audit: AuditLog;
  journal: Journal;
  api: () => TenantApi;
  save: (meta: JobMeta) => void;
  emit: (summary: JobSummary) => void;
  concurrency?: number;
  now?: () => number;
  /** Backoff between attempts of one user (tests make it short). */
  retryDelayMs?: number;
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
const TERMINAL: readonly JobItemState[] = ['done', 'skipped', 'failed', 'unknown', 'cancelled'];

export class JobRunner {
  readonly links = new Map<number, { ticket: string; expiresAt: string }>();
  private stopping: { kind: 'pause' | 'cancel'; reason?: string } | null = null;
  private loop: Promise<void> | null = null;
  private readonly completions: number[] = [];
  private rateLimitedInARow = 0;
  private failedInARow = 0;
  private lastEmit = 0;
  private readonly now: () => number;

  constructor(
    private readonly deps: RunnerDeps,
    readonly items: RunnerItem[],
  ) {
    this.now = deps.now ?? Date.now;
  }

  get meta(): JobMeta {
    return this.deps.meta;
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
    const inFlight = this.deps.meta.status === 'running';
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

  summary(): JobSummary {
    const m = this.deps.meta;
    const counts = this.counts();
    const windowStart = this.now() - 10_000;
    while (this.completions.length && this.completions[0]! < windowStart) this.completions.shift();
    const rps = this.completions.length / 10;
    return {
      id: m.id,
      tenantId: m.tenantId,
      tenantDomain: m.tenantDomain,
      change: m.change,
      changeLabel: m.changeLabel,
      sourceLabel: m.sourceLabel,
      createdAt: m.createdAt,
      ...(m.finishedAt ? { finishedAt: m.finishedAt } : {}),
      status: m.status,
      ...(m.pausedReason ? { pausedReason: m.pausedReason } : {}),
      counts,
      ...(m.status === 'running' ? { rps: Math.round(rps * 10) / 10 } : {}),
      ...(m.status === 'running' && rps > 0 ? { etaSeconds: Math.ceil(counts.remaining / rps) } : {}),
      undoable: m.undoable,
      ...(m.undoOf ? { undoOf: m.undoOf } : {}),
      ...(m.retryOf ? { retryOf: m.retryOf } : {}),
    };
  }

  private emit(force = false): void {
    const t = this.now();
    if (!force && t - this.lastEmit < 250) return;
    this.lastEmit = t;
    this.deps.emit(this.summary());
  }

  private setStatus(status: JobMeta['status'], reason?: string): void {
    const m = this.deps.meta;
    m.status = status;
    if (reason) m.pausedReason = reason;
    else delete m.pausedReason;
    if (status === 'completed' || status === 'cancelled') m.finishedAt = new Date(this.now()).toISOString();
    this.deps.save(m);
    this.emit(true);
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
    await this.deps.journal.append({ i: item.line.i, s: state, t: this.now(), ...extra });
    if (TERMINAL.includes(state)) this.completions.push(this.now());
    this.emit();
  }

  /** Runs (or goes on running) whatever is not finished. */
  start(): void {
    if (this.loop) return;
    this.stopping = null;
    this.setStatus('running');
    this.loop = this.run().finally(() => {
      this.loop = null;
    });
  }

  /** Stops sending new users; those in flight finish. Resolves once the job is paused. */
  async pause(reason?: string): Promise<void> {
    if (!this.loop) return;
    this.stopping = { kind: 'pause', ...(reason ? { reason } : {}) };
    await this.loop;
  }

  async cancel(): Promise<void> {
    if (this.loop) {
      this.stopping = { kind: 'cancel' };
      await this.loop;
    } else await this.finishCancelled();
  }

  whenStopped(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  private async finishCancelled(): Promise<void> {
    for (const it of this.items) if (it.state === 'planned') await this.record(it, 'cancelled');
    this.finishAudit('cancelled');
    this.setStatus('cancelled');
  }

  private finishAudit(how: 'completed' | 'cancelled'): void {
    const m = this.deps.meta;
    this.deps.audit.finish(m.auditId, {
      tenantId: m.tenantId,
      tenantDomain: m.tenantDomain,
      action: `bulk.${m.change.kind}`,
      target: `${m.total} users`,
      jobId: m.id,
      outcome: this.counts().failed === 0 && how === 'completed' ? 'success' : 'failure',
      after: { status: how, ...this.counts() },
      ...(how === 'cancelled' ? { error: 'Cancelled.' } : {}),
    });
  }

  private async run(): Promise<void> {
    const pending = this.items.filter((it) => it.state === 'planned' || it.state === 'sent');
    let next = 0;
    const worker = async () => {
      while (!this.stopping && next < pending.length) await this.runItem(pending[next++]!);
    };
    await Promise.all(Array.from({ length: this.deps.concurrency ?? 6 }, worker));
    if (this.stopping?.kind === 'cancel') return this.finishCancelled();
    if (this.stopping?.kind === 'pause') return this.setStatus('paused', this.stopping.reason);
    if (this.items.every((it) => TERMINAL.includes(it.state))) {
      this.finishAudit('completed');
      this.setStatus('completed');
    } else this.setStatus('paused', 'Some users are still to do.');
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
    if (!this.stopping) this.stopping = { kind: 'pause', reason };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  /** The write's input: the plan line's parameters for its user on this job's tenant. */
  private input(item: RunnerItem, call: OpCall) {
    return { ...call.params, tenantId: this.deps.meta.tenantId, userId: item.line.u };
  }

  private finishPendingAudit(item: RunnerItem, op: AnyOperation, call: OpCall, after: unknown): void {
    const m = this.deps.meta;
    this.deps.audit.finish(item.aid!, {
      tenantId: m.tenantId,
      tenantDomain: m.tenantDomain,
      action: actionOf(op, this.input(item, call)),
      target: item.line.u,
      jobId: m.id,
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
    const m = this.deps.meta;
    const input = this.input(item, call);
    const result = await this.deps.writes.run(op, input, {
      lane: 'job',
      jobId: m.id,
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
