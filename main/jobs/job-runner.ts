// Runs one bulk job: its users a few at a time in the scheduler's job lane (the window's own requests go first),
// each write through the write path (guard, audit, scheduler) with its "sent" journaled before it leaves, its
// outcome after. A user left "sent" by a crash is read back before anything is sent again; what can't be read back
// (an email, a link) is reported "unknown", never resent. The job pauses itself — with the reason in words — when
// going on can't succeed (a locked keychain, refused credentials, a tenant that keeps answering 429).
import type { Auth0User, JobCounts, JobItemState, JobSummary } from '../../preload/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import { SkipWrite, type TenantApi, type WritePath } from '../commands/write-path.js';
import { classify, toEnvelope } from '../errors.js';
import { withRequestPolicy } from '../scheduler/rate-scheduler.js';
import { deleteUser } from '../users/account-commands.js';
import {
  invalidateRememberBrowser,
  mfaReset,
  passwordTicket,
  sendVerificationEmail,
  unblockBruteForce,
} from '../users/security-commands.js';
import { asUser, readMfa, readUserRoles } from '../users/user-reads.js';
import { changeRoles, mergeMetadata, setBlockedAsPlanned, setEmailVerifiedTo } from './bulk-commands.js';
import { showsApplied, verifiable, type ItemOp } from './bulk-ops.js';
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
    const op = item.line.op;
    if (!op) return this.record(item, 'skipped', { e: item.line.n ?? 'nothing to change' });
    if (item.state === 'sent') {
      const seen = await this.readBack(item, op).catch(() => 'again' as const);
      if (seen === 'unknown')
        return this.record(item, 'unknown', {
          e: 'Sent just before Tenant Desk stopped; whether it arrived can\u2019t be read back, so it was not sent again.',
        });
      if (seen !== 'again') {
        if (item.aid) this.finishPendingAudit(item, op, seen.after);
        return this.record(item, 'done', { a: seen.after });
      }
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const outcome = await this.apply(item, op);
        this.rateLimitedInARow = 0;
        this.failedInARow = 0;
        return await this.record(
          item,
          outcome.state,
          outcome.after !== undefined ? { a: outcome.after } : {},
        );
      } catch (err) {
        // Read just before sending: changed since the plan, or already as asked. Nothing was sent.
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
        const repeatable = op.op !== 'verification-email' && op.op !== 'password-link';
        if (toEnvelope(e).retryable && repeatable && attempt < 2) {
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

  private finishPendingAudit(item: RunnerItem, op: ItemOp, after: unknown): void {
    const m = this.deps.meta;
    this.deps.audit.finish(item.aid!, {
      tenantId: m.tenantId,
      tenantDomain: m.tenantDomain,
      action: auditAction(op),
      target: item.line.u,
      jobId: m.id,
      outcome: 'success',
      ...(item.line.b !== undefined ? { before: item.line.b } : {}),
      after: { verified: 'read back after Tenant Desk restarted', ...(after as object) },
    });
  }

  /** After a crash: did the write this user was sent arrive? Read the tenant rather than send blindly. */
  private async readBack(item: RunnerItem, op: ItemOp): Promise<'again' | 'unknown' | { after: unknown }> {
    if (!verifiable(op)) return 'unknown';
    const { management } = this.deps.api();
    const userId = item.line.u;
    return withRequestPolicy({ lane: 'job' }, async () => {
      let user: Auth0User | null;
      try {
        user = asUser(await management.users.get(userId));
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode !== 404) throw err;
        user = null;
      }
      const now = {
        user,
        ...(op.op === 'roles' && user
          ? { roles: (await readUserRoles(management, userId)).map((r) => r.id) }
          : {}),
        ...(op.op === 'brute-force-unblock'
          ? { blocks: (await management.userBlocks.list(userId)).blocked_for ?? [] }
          : {}),
        ...(op.op === 'mfa-reset' && user
          ? { methods: (await readMfa(management, userId)).authenticationMethods }
          : {}),
      };
      if (!showsApplied(op, now)) return 'again';
      return { after: op.op === 'roles' ? item.line.a : user ? afterOf(op, user) : { deleted: true } };
    });
  }

  private async apply(item: RunnerItem, op: ItemOp): Promise<{ state: 'done' | 'skipped'; after?: unknown }> {
    const m = this.deps.meta;
    const base = {
      tenantId: m.tenantId,
      userId: item.line.u,
      // The job as a whole was confirmed at its start (for a production tenant: domain and count typed back).
      guard: { confirmed: true as const, typedDomain: m.tenantDomain },
    };
    const options = {
      lane: 'job' as const,
      jobId: m.id,
      onSend: (aid: string) => this.record(item, 'sent', { aid }),
    };
    const { writes } = this.deps;
    switch (op.op) {
      // Each of these reads the user just before it is sent, against the plan's before-state (bulk-commands.ts).
      case 'metadata': {
        const expected = (item.line.b ?? {}) as Record<string, unknown>;
        const user = await writes.run(
          mergeMetadata,
          { ...base, kind: op.kind, changes: op.changes, expected },
          options,
        );
        return { state: 'done', after: afterOf(op, user) };
      }
      case 'roles': {
        const expected = ((item.line.b as { roles?: string[] } | undefined)?.roles ?? []).slice();
        await writes.run(changeRoles, { ...base, add: op.add, remove: op.remove, expected }, options);
        return { state: 'done', after: item.line.a };
      }
      case 'set-blocked': {
        const user = await writes.run(setBlockedAsPlanned, { ...base, value: op.blocked }, options);
        return { state: 'done', after: afterOf(op, user) };
      }
      case 'email-verified': {
        const user = await writes.run(setEmailVerifiedTo, { ...base, value: op.value }, options);
        return { state: 'done', after: afterOf(op, user) };
      }
      case 'brute-force-unblock': {
        const { management } = this.deps.api();
        const blocks = await withRequestPolicy({ lane: 'job' }, () =>
          management.userBlocks.list(item.line.u),
        );
        if (!(blocks.blocked_for ?? []).length)
          return { state: 'skipped', after: { note: 'no brute-force block' } };
        await writes.run(unblockBruteForce, base, {
          ...options,
          before: blocks.blocked_for as { identifier: string }[],
        });
        return { state: 'done' };
      }
      case 'mfa-reset': {
        const { management } = this.deps.api();
        const mfa = await withRequestPolicy({ lane: 'job' }, () => readMfa(management, item.line.u));
        if (mfa.authenticationMethods.length === 0)
          return { state: 'skipped', after: { note: 'no MFA factors' } };
        await writes.run(mfaReset, base, { ...options, before: mfa });
        return { state: 'done' };
      }
      case 'verification-email':
        return { state: 'done', after: await writes.run(sendVerificationEmail, base, options) };
      case 'forget-browsers':
        await writes.run(invalidateRememberBrowser, base, options);
        return { state: 'done' };
      case 'password-link': {
        const link = await writes.run(
          passwordTicket,
          {
            ...base,
            ttlSec: op.ttlSec,
            markEmailVerified: false,
            ...(op.resultUrl ? { resultUrl: op.resultUrl } : {}),
          },
          options,
        );
        // The link itself is a credential: kept in memory for the results file, never in the journal.
        this.links.set(item.line.i, link);
        return { state: 'done', after: { expiresAt: link.expiresAt } };
      }
      case 'delete':
        await writes.run(deleteUser, base, { ...options, before: asUser(item.line.b ?? {}) });
        return { state: 'done', after: { deleted: true } };
    }
  }
}

/** The audit action the write path recorded for an operation (the command's own name for it). */
function auditAction(op: ItemOp): string {
  const name = <I>(c: { action: string | ((input: I) => string) }, input: I) =>
    typeof c.action === 'function' ? c.action(input) : c.action;
  const user = { tenantId: '', userId: '' };
  switch (op.op) {
    case 'metadata':
      return name(mergeMetadata, { ...user, kind: op.kind, changes: op.changes, expected: {} });
    case 'roles':
      return name(changeRoles, { ...user, add: op.add, remove: op.remove, expected: [] });
    case 'set-blocked':
      return name(setBlockedAsPlanned, { ...user, value: op.blocked });
    case 'email-verified':
      return name(setEmailVerifiedTo, { ...user, value: op.value });
    case 'brute-force-unblock':
      return name(unblockBruteForce, user);
    case 'mfa-reset':
      return name(mfaReset, user);
    case 'verification-email':
      return name(sendVerificationEmail, user);
    case 'forget-browsers':
      return name(invalidateRememberBrowser, user);
    case 'password-link':
      return name(passwordTicket, { ...user, ttlSec: op.ttlSec, markEmailVerified: false });
    case 'delete':
      return name(deleteUser, user);
  }
}

/** What the journal keeps of a user after a write: what undo compares with, and what the results show. */
function afterOf(op: ItemOp, user: Auth0User): unknown {
  switch (op.op) {
    case 'metadata':
      return {
        updated_at: user.updated_at,
        values: Object.fromEntries(Object.keys(op.changes).map((k) => [k, (user[op.kind] ?? {})[k] ?? null])),
      };
    case 'set-blocked':
      return { blocked: user.blocked ?? false, updated_at: user.updated_at };
    case 'email-verified':
      return { email_verified: user.email_verified ?? false, updated_at: user.updated_at };
    default:
      return undefined;
  }
}
