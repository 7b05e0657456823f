// Bulk edits behind the bridge. A plan finds the users and decides, user by user, what would be sent (nothing yet);
// starting it makes a durable job (guarded: on a production tenant the domain and the number of users typed back);
// jobs run in the background, report progress, can be paused, resumed (after a crash too), cancelled, retried for
// their failures and undone from their journal.
import { randomBytes } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { writeFileAtomic } from '../fs/atomic.js';
import { join } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import {
  BULK_CHANGES,
  ENDED_TASK,
  type Auth0User,
  type BulkPlanItem,
  type BulkPlanSummary,
  type ChannelParsedInput,
  type DownloadRef,
  type Events,
  type GuardAnswer,
  type JobItem,
  type JobItemState,
  type JobSummary,
  type TenantRateLimit,
} from '../../preload/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { DownloadStore } from '../downloads/download-store.js';
import { AppError } from '../errors.js';
import { logEventUserIds } from '../logs/log-users.js';
import { allMembers } from '../organizations/org-reads.js';
import { orgKey, orgRoleKey } from '../operations/org/members.js';
import { linesForward } from '../fs/lines.js';
import { enforceGuard } from '../operations/guard.js';
import type { ItemPlan, OpCall, RoleMembers } from '../operations/operation.js';
import { operationFor, operationNamed } from '../operations/registry.js';
import type { WritePath } from '../operations/write-path.js';
import { withRequestPolicy } from '../scheduler/rate-scheduler.js';
import type { TaskEngine, TaskKindModule } from '../tasks/engine.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { listEntries, listEntriesOfFile } from '../intake/id-list.js';
import type { UploadStore } from '../uploads/upload-store.js';
import { callOf, describeChange } from './bulk-ops.js';
import { resolveList, roleMembers, usersMatching, type EnumerationContext } from './enumerate.js';
import { JobRunner, type RunnerItem } from './job-runner.js';
import {
  adoptEarlierJobs,
  planLines,
  plansDir,
  replayJournal,
  type BulkRecord,
  type BulkSpec,
  type BulkState,
  type PlanLine,
} from './job-store.js';

const PLAN_KEEP_MS = 2 * 3600_000;

interface PlanState {
  summary: BulkPlanSummary;
  file: string;
  sourceLabel: string;
  undoOf?: string;
  retryOf?: string;
}

export interface JobsServiceOptions {
  dataDir: string;
  tenants: TenantService;
  writes: WritePath;
  audit: AuditLog;
  downloads: DownloadStore;
  uploads: UploadStore;
  tasks: TaskEngine;
  emit: <E extends 'bulk:planning'>(event: E, payload: Events[E]) => void;
  /** Tests make the runner's backoff short. */
  retryDelayMs?: number;
}

export class JobsService {
  private readonly plansDir: string;
  private readonly plans = new Map<string, PlanState>();
  private readonly planning = new Map<string, AbortController>();
  private readonly runners = new Map<string, JobRunner>();
  private readonly loading = new Map<string, Promise<JobRunner>>();

  constructor(private readonly o: JobsServiceOptions) {
    this.plansDir = plansDir(o.dataDir);
    // Plans nobody started are kept a while, then forgotten.
    for (const name of readdirSync(this.plansDir)) {
      const file = join(this.plansDir, name);
      if (Date.now() - statSync(file).mtimeMs > PLAN_KEEP_MS) rmSync(file, { force: true });
    }
    adoptEarlierJobs(o.dataDir, o.tasks.dir);
    o.tasks.register(this.kind);
  }

  private planFile(planId: string): string {
    return join(this.plansDir, `${planId}.jsonl`);
  }

  // ---------- plans ----------

  private context(tenantId: string, planId: string, signal: AbortSignal): EnumerationContext {
    return {
      connection: this.o.tenants.connection(tenantId),
      signal,
      progress: (phase, done, total) => this.o.emit('bulk:planning', { planId, phase, done, total }),
    };
  }

  async plan(
    input: ChannelParsedInput<'bulk:plan'>,
    extra: Partial<PlanState> = {},
  ): Promise<BulkPlanSummary> {
    const { tenantId, planId, source, change } = input;
    this.o.tenants.stored(tenantId);
    const controller = new AbortController();
    this.planning.set(planId, controller);
    try {
      return await withRequestPolicy({ lane: 'job' }, async () => {
        const ctx = this.context(tenantId, planId, controller.signal);
        let users: AsyncIterable<Auth0User> | Iterable<Auth0User>;
        let enumeration: BulkPlanSummary['enumeration'];
        let unknown: BulkPlanSummary['unknown'] = [];
        let ambiguous: BulkPlanSummary['ambiguous'] = [];
        let sourceLabel: string;
        if (source.kind === 'query') {
          const found = await usersMatching(ctx, source.q);
          users = found.users;
          enumeration = found.method;
          sourceLabel = source.q.trim()
            ? `every user matching ${source.q.trim()}`
            : 'every user of the tenant';
        } else {
          let events = 0;
          const entries =
            source.kind === 'users'
              ? source.userIds
              : source.kind === 'list'
                ? await listEntries(source.text)
                : source.kind === 'org-members'
                  ? await orgMemberIds(ctx, source.orgId)
                  : source.kind === 'log-events'
                    ? await logEventUserIds(
                        ctx.connection.management,
                        source.q,
                        controller.signal,
                        (phase, done, total) => ctx.progress(phase, done, total),
                      ).then((r) => ((events = r.events), r.userIds))
                    : await this.listFile(source.uploadId);
          const found = await resolveList(ctx, entries);
          ({ users, unknown, ambiguous } = {
            users: found.users,
            unknown: found.unknown,
            ambiguous: found.ambiguous,
          });
          enumeration = found.method;
          sourceLabel =
            source.kind === 'users'
              ? `${entries.length} selected user${entries.length === 1 ? '' : 's'}`
              : source.kind === 'org-members'
                ? `the ${entries.length.toLocaleString('en-US')} member${entries.length === 1 ? '' : 's'} of organization ${source.orgId}`
                : source.kind === 'log-events'
                  ? `the ${entries.length.toLocaleString('en-US')} user${entries.length === 1 ? '' : 's'} of ${events.toLocaleString('en-US')} log event${events === 1 ? '' : 's'} matching ${source.q.trim()}`
                  : `${entries.length} listed entr${entries.length === 1 ? 'y' : 'ies'}${source.name ? ` from ${source.name}` : ''}`;
        }
        const op = operationFor(change.kind);
        const roleIds = op.bulk.roles?.(change) ?? [];
        const members: RoleMembers = roleIds.length ? await roleMembers(ctx, roleIds) : new Map();
        const orgIds = op.bulk.orgs?.(change) ?? [];
        for (const orgId of orgIds) await readOrgMembers(ctx, orgId, members);
        const roleNames = await this.roleNames(tenantId, [
          ...roleIds,
          ...(op.bulk.roleNamesOf?.(change) ?? []),
        ]);
        const orgNames = await this.orgNames(tenantId, [
          ...orgIds,
          ...(source.kind === 'org-members' ? [source.orgId] : []),
        ]);
        const seen = source.kind === 'users' ? source.seen : undefined;
        let changedSinceSeen = 0;
        const lines = (async function* () {
          const done = new Set<string>();
          for await (const user of users) {
            if (done.has(user.user_id)) continue;
            done.add(user.user_id);
            if (seen?.[user.user_id] && user.updated_at && seen[user.user_id] !== user.updated_at)
              changedSinceSeen++;
            yield { user, plan: op.bulk.plan(change, user, members) };
          }
        })();
        const summary = await this.writePlan(planId, tenantId, lines, {
          change,
          changeLabel: describeChange(
            change,
            (id) => roleNames.get(id) ?? id,
            (id) => orgNames.get(id) ?? id,
          ),
          sourceLabel,
          enumeration,
          unknown,
          ambiguous,
          ...(roleNames.size ? { roleNames: Object.fromEntries(roleNames) } : {}),
        });
        if (changedSinceSeen)
          summary.warnings.push({
            message:
              'changed on the tenant since you selected them (someone else blocked or edited them?): the plan uses how they are now',
            count: changedSinceSeen,
          });
        this.keepPlan(planId, { summary, file: this.planFile(planId), sourceLabel, ...extra });
        return summary;
      });
    } catch (err) {
      rmSync(this.planFile(planId), { force: true });
      if (controller.signal.aborted) throw new AppError('validation', 'Finding the users was cancelled.');
      throw err;
    } finally {
      this.planning.delete(planId);
    }
  }

  /** A list file handed over by the window: read through the bounded intake, then removed (it names users). */
  private async listFile(uploadId: string): Promise<string[]> {
    try {
      return await listEntriesOfFile(this.o.uploads.file(uploadId).path);
    } finally {
      this.o.uploads.remove(uploadId);
    }
  }

  private async orgNames(tenantId: string, ids: string[]): Promise<Map<string, string>> {
    const management = this.o.tenants.connection(tenantId).management;
    const out = new Map<string, string>();
    for (const id of new Set(ids)) {
      const org = await management.organizations.get(id);
      out.set(id, String(org.display_name || org.name || id));
    }
    return out;
  }

  private async roleNames(tenantId: string, ids: string[]): Promise<Map<string, string>> {
    const management = this.o.tenants.connection(tenantId).management;
    const out = new Map<string, string>();
    for (const id of ids) out.set(id, String((await management.roles.get(id)).name ?? id));
    return out;
  }

  /** Streams planned users to the plan file and tallies the summary (only counts and reasons stay in memory). */
  private async writePlan(
    planId: string,
    tenantId: string,
    lines: AsyncIterable<{ user: Auth0User; plan: ItemPlan }>,
    head: Pick<
      BulkPlanSummary,
      'change' | 'changeLabel' | 'sourceLabel' | 'enumeration' | 'unknown' | 'ambiguous' | 'roleNames'
    >,
  ): Promise<BulkPlanSummary> {
    const out = createWriteStream(this.planFile(planId), { mode: 0o600 });
    const reasons = new Map<string, number>();
    let total = 0;
    let willChange = 0;
    let hasUndoable = false;
    for await (const { user, plan } of lines) {
      const line: PlanLine = {
        i: total++,
        u: user.user_id,
        ...(user.email ? { e: user.email } : {}),
        s: plan.op ? 'change' : 'skip',
        ...(plan.note ? { n: plan.note } : {}),
        ...(plan.op ? { op: plan.op } : {}),
        ...(plan.before !== undefined ? { b: plan.before } : {}),
        ...(plan.after !== undefined ? { a: plan.after } : {}),
      };
      if (plan.op) {
        willChange++;
        if (operationNamed(plan.op.name)?.bulk?.inverse) hasUndoable = true;
      } else {
        // Counted by kind of reason; the user's own details ("(updated …)") stay on its line.
        const reason = (plan.note ?? 'nothing to change').replace(/\s*\([^)]*\)$/, '');
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
      if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const destructive = head.change.kind === 'delete';
    return {
      planId,
      tenantId,
      ...head,
      total,
      willChange,
      skipped: total - willChange,
      skipReasons: [...reasons].map(([note, count]) => ({ note, count })).sort((a, b) => b.count - a.count),
      warnings: destructive
        ? [
            {
              message: 'will be deleted. Deleting can\u2019t be undone: save the users as JSON first',
              count: willChange,
            },
          ]
        : [],
      destructive,
      undoable: BULK_CHANGES[head.change.kind].undoable && hasUndoable,
      createdAt: new Date().toISOString(),
    };
  }

  cancelPlan(planId: string): { ok: true } {
    this.planning.get(planId)?.abort(new AppError('validation', 'Cancelled.'));
    return { ok: true };
  }

  /**
   * A plan kept in memory and beside its users (plans/<id>.json, written atomically), so that another Tenant Desk on
   * the same data directory — the command line, or the window — can show it and start it.
   */
  private keepPlan(planId: string, state: PlanState): void {
    this.plans.set(planId, state);
    const { file: _file, ...kept } = state;
    writeFileAtomic(join(this.plansDir, `${planId}.json`), JSON.stringify(kept));
  }

  planSummary(planId: string): BulkPlanSummary {
    return this.planOf(planId).summary;
  }

  private planOf(planId: string): PlanState {
    let plan = this.plans.get(planId);
    const kept = join(this.plansDir, `${planId}.json`);
    if (!plan && /^[\w-]{1,64}$/.test(planId) && existsSync(kept)) {
      try {
        plan = {
          ...(JSON.parse(readFileSync(kept, 'utf8')) as Omit<PlanState, 'file'>),
          file: this.planFile(planId),
        };
      } catch {
        plan = undefined;
      }
    }
    if (!plan || !existsSync(plan.file))
      throw new AppError(
        'not_found',
        'That plan is no longer here (it was started or has expired). Make it again.',
      );
    return plan;
  }

  async planItems(
    input: ChannelParsedInput<'bulk:plan-items'>,
  ): Promise<{ items: BulkPlanItem[]; total: number }> {
    const plan = this.planOf(input.planId);
    const items: BulkPlanItem[] = [];
    let total = 0;
    for await (const text of linesForward(plan.file)) {
      const line = JSON.parse(text) as PlanLine;
      if (input.status && line.s !== input.status) continue;
      if (total++ < input.offset || items.length >= input.limit) continue;
      items.push(planItem(line));
    }
    return { items, total };
  }

  /** For a delete: every planned user as it was read, as a JSON file. */
  async saveUsers(planId: string): Promise<DownloadRef> {
    const plan = this.planOf(planId);
    if (plan.summary.change.kind !== 'delete')
      throw new AppError('validation', 'Saving the users as JSON is offered before deleting them.');
    const file = this.o.downloads.reserve(
      `users-before-delete-${planId.slice(0, 8)}.json`,
      'application/json',
    );
    const source = plan.file;
    async function* json() {
      yield '[\n';
      let first = true;
      for await (const text of linesForward(source)) {
        const line = JSON.parse(text) as PlanLine;
        if (line.s !== 'change') continue;
        yield `${first ? '' : ',\n'}${JSON.stringify(line.b)}`;
        first = false;
      }
      yield '\n]\n';
    }
    await pipeline(Readable.from(json()), createWriteStream(file.path, { mode: 0o600 }));
    const { id, filename, bytes } = await file.commit();
    return { id, filename, bytes };
  }

  // ---------- jobs: tasks of the engine ----------

  async start(planId: string, guard: GuardAnswer): Promise<JobSummary> {
    const plan = this.planOf(planId);
    const { summary } = plan;
    const profile = this.o.tenants.stored(summary.tenantId);
    const action = `bulk.${summary.change.kind}`;
    const target = `${summary.willChange} users`;
    enforceGuard(
      this.o.audit,
      'bulk:start',
      {
        tenantId: profile.id,
        environment: profile.environment,
        domain: profile.domain,
        requireReason: profile.requireReason ?? false,
      },
      { guard },
      { action, target },
      { count: summary.willChange, verb: 'start' },
    );
    if (summary.willChange === 0)
      throw new AppError('validation', 'Every user is already as asked: nothing to send.');
    const id = `job_${randomBytes(8).toString('hex')}`;
    const spec: BulkSpec = {
      change: summary.change,
      changeLabel: summary.changeLabel,
      sourceLabel: plan.sourceLabel,
      total: summary.total,
      undoable: summary.undoable,
      planId,
      ...(summary.roleNames ? { roleNames: summary.roleNames } : {}),
      ...(plan.undoOf ? { undoOf: plan.undoOf } : {}),
      ...(plan.retryOf ? { retryOf: plan.retryOf } : {}),
    };
    const task = await this.o.tasks.create<BulkSpec, BulkState>('bulk', {
      id,
      tenantId: profile.id,
      tenantDomain: profile.domain,
      spec,
      state: {},
      audit: {
        tenantId: profile.id,
        tenantDomain: profile.domain,
        action,
        target,
        jobId: id,
        before: { users: plan.sourceLabel, change: summary.changeLabel, total: summary.total },
      },
      adopt: (dir) => {
        try {
          renameSync(plan.file, join(dir, 'plan.jsonl'));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
          throw new AppError(
            'conflict',
            'That plan has just been started (by another Tenant Desk?): see its job.',
          );
        }
      },
    });
    this.plans.delete(planId);
    rmSync(join(this.plansDir, `${planId}.json`), { force: true });
    return (task.detail as { job: JobSummary }).job;
  }

  /** The job's users and their states: its plan, with its journal replayed (read once, then kept up to date). */
  private async runner(record: BulkRecord): Promise<JobRunner> {
    const existing = this.runners.get(record.id);
    if (existing) return existing;
    const loading = this.loading.get(record.id);
    if (loading) return loading;
    const made = (async () => {
      const dir = this.o.tasks.taskDir(record.id);
      const journal = await replayJournal(join(dir, 'journal.jsonl'));
      const items: RunnerItem[] = [];
      for await (const line of planLines(join(dir, 'plan.jsonl'))) {
        const j = journal.get(line.i);
        if (line.op) {
          try {
            line.op = callOf(line.op, line.b);
          } catch (err) {
            items.push({ line, state: 'failed', error: (err as Error).message });
            continue;
          }
        }
        items.push({
          line,
          state: j?.s ?? (line.s === 'skip' ? 'skipped' : 'planned'),
          ...(j?.aid ? { aid: j.aid } : {}),
          ...(j?.e ? { error: j.e } : line.s === 'skip' ? { error: line.n ?? 'nothing to change' } : {}),
          ...(j?.a !== undefined ? { after: j.a } : {}),
        });
      }
      const runner = new JobRunner(
        {
          jobId: record.id,
          tenantId: record.tenantId!,
          tenantDomain: record.tenantDomain!,
          writes: this.o.writes,
          audit: this.o.audit,
          api: () => this.o.writes.api(record.tenantId!),
          ...(this.o.retryDelayMs !== undefined ? { retryDelayMs: this.o.retryDelayMs } : {}),
        },
        items,
      );
      this.runners.set(record.id, runner);
      return runner;
    })().finally(() => this.loading.delete(record.id));
    this.loading.set(record.id, made);
    return made;
  }

  private async job(id: string): Promise<{ record: BulkRecord; runner: JobRunner }> {
    const record = this.o.tasks.record<BulkSpec, BulkState>(id, 'bulk');
    return { record, runner: await this.runner(record) };
  }

  /** The bulk jobs as the engine runs them: planned users, each sent through its operation. */
  readonly kind: TaskKindModule<BulkSpec, BulkState> = {
    kind: 'bulk',
    pausable: true,
    // Jobs that may go on, or whose counts were never saved, are read back from their plan and journal.
    // Another Tenant Desk ran it meanwhile: its users are read again from the plan and journal when next needed.
    reload: (record) => {
      this.runners.delete(record.id);
    },
    restore: async (record) => {
      if (!ENDED_TASK.includes(record.status) || !record.state.counts) await this.runner(record);
    },
    run: async (ctx) => {
      const runner = await this.runner(ctx.record);
      const end = await runner.run({
        journal: ctx.journal,
        signal: ctx.signal,
        get stop() {
          return ctx.stop;
        },
        progress: (force) => ctx.progress(force),
      });
      ctx.state.counts = runner.counts();
      ctx.save(true);
      return end;
    },
    cancelStopped: async (ctx) => {
      const runner = await this.runner(ctx.record);
      const unsent = runner.counts().remaining;
      await runner.cancelPlanned({ journal: ctx.journal, progress: () => undefined });
      ctx.state.counts = runner.counts();
      return `Cancelled: ${unsent.toLocaleString('en')} users not yet sent were not changed.`;
    },
    describe: (record, live) => {
      const job = this.jobSummary(record, live);
      const c = job.counts;
      const ended = c.total - c.remaining;
      return {
        label: `${job.changeLabel} — ${job.sourceLabel}`,
        progress: {
          done: ended,
          total: c.total,
          unit: 'users',
          words: [
            `${c.done.toLocaleString('en')} changed`,
            c.skipped ? `${c.skipped.toLocaleString('en')} skipped` : '',
            c.failed ? `${c.failed.toLocaleString('en')} failed` : '',
            c.unknown ? `${c.unknown.toLocaleString('en')} unknown` : '',
            c.cancelled ? `${c.cancelled.toLocaleString('en')} cancelled` : '',
          ]
            .filter(Boolean)
            .join(', '),
        },
        detail: { kind: 'bulk', job },
      };
    },
    audit: (record) => {
      const counts = this.runners.get(record.id)?.counts() ?? record.state.counts;
      return { success: (counts?.failed ?? 0) === 0, after: counts ?? {} };
    },
    results: async (record) => {
      const { runner } = await this.job(record.id);
      const links = record.spec.change.kind === 'password-link';
      const cell = (v: unknown) =>
        v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
      return {
        filename: `tenant-desk-${record.id}-results.csv`,
        bom: false,
        columns: [
          'user_id',
          'email',
          'outcome',
          'error',
          'before',
          'after',
          ...(links ? ['password_change_link', 'link_expires_at'] : []),
        ],
        rows: runner.items.map((it) => {
          const link = runner.links.get(it.line.i);
          return [
            it.line.u,
            it.line.e ?? '',
            it.state,
            it.error ?? '',
            cell(shown(it.line.b)),
            cell(shown(it.after ?? it.line.a)),
            ...(links
              ? [
                  link?.ticket ?? (it.state === 'done' ? 'not kept after a restart: create a new link' : ''),
                  link?.expiresAt ?? '',
                ]
              : []),
          ];
        }),
      };
    },
  };

  /** A job as the Bulk edits screen shows it. */
  private jobSummary(record: BulkRecord, live: boolean): JobSummary {
    const runner = this.runners.get(record.id);
    const counts = runner?.counts() ??
      record.state.counts ?? {
        total: record.spec.total,
        done: 0,
        skipped: 0,
        failed: 0,
        unknown: 0,
        cancelled: 0,
        remaining: record.spec.total,
      };
    const rps = live && runner ? runner.rps() : 0;
    const status = record.status;
    // While it runs, the tenant's limit as its answers reported it (its connection is open then).
    const tenantLimit =
      status === 'running' && live && runner?.running ? this.tenantLimit(record.tenantId!) : null;
    return {
      id: record.id,
      tenantId: record.tenantId!,
      tenantDomain: record.tenantDomain!,
      change: record.spec.change,
      changeLabel: record.spec.changeLabel,
      sourceLabel: record.spec.sourceLabel,
      ...(record.spec.planId ? { planId: record.spec.planId } : {}),
      createdAt: record.createdAt,
      ...(record.finishedAt ? { finishedAt: record.finishedAt } : {}),
      status,
      ...(record.reason && status !== 'completed' ? { pausedReason: record.reason } : {}),
      counts,
      ...(status === 'running' ? { rps: Math.round(rps * 10) / 10 } : {}),
      ...(status === 'running' && rps > 0 ? { etaSeconds: Math.ceil(counts.remaining / rps) } : {}),
      ...(tenantLimit ? { tenantLimit } : {}),
      ...(record.spec.roleNames ? { roleNames: record.spec.roleNames } : {}),
      undoable: record.spec.undoable,
      ...(record.spec.undoOf ? { undoOf: record.spec.undoOf } : {}),
      ...(record.spec.retryOf ? { retryOf: record.spec.retryOf } : {}),
    };
  }

  /** The tenant's Management API limit as its scheduler last read it from Auth0's x-ratelimit-* headers. */
  private tenantLimit(tenantId: string): TenantRateLimit | null {
    try {
      return this.o.tenants.connection(tenantId).scheduler.rateLimit('management');
    } catch {
      return null;
    }
  }

  /** A job's plan, line by line, each write as its operation reads it. */
  async planLines(jobId: string): Promise<PlanLine[]> {
    return (await this.job(jobId)).runner.items.map((it) => it.line);
  }

  async items(input: ChannelParsedInput<'jobs:items'>): Promise<{ items: JobItem[]; total: number }> {
    const { runner } = await this.job(input.jobId);
    const matching = runner.items.filter((it) => !input.state || it.state === input.state);
    return {
      items: matching.slice(input.offset, input.offset + input.limit).map((it) => jobItem(it)),
      total: matching.length,
    };
  }

  /** A plan for the users that failed, read again so that it starts from how they are now. */
  async retryPlan(jobId: string, planId: string): Promise<BulkPlanSummary> {
    const { record, runner } = await this.job(jobId);
    const failed = runner.items.filter((it) => it.state === 'failed');
    if (failed.length === 0) throw new AppError('validation', 'No user of this job failed.');
    if (record.spec.undoOf)
      return this.planFromOps(
        record,
        planId,
        failed.map((it) => ({ user: it.line, op: it.line.op!, b: it.line.b, a: it.line.a })),
        {
          retryOf: jobId,
          label: record.spec.changeLabel,
          sourceLabel: `the ${failed.length} users that failed in an earlier job`,
        },
      );
    return this.plan(
      {
        tenantId: record.tenantId!,
        planId,
        source: { kind: 'users', userIds: failed.map((it) => it.line.u) },
        change: record.spec.change,
      },
      { retryOf: jobId },
    ).then((summary) => {
      const state = this.plans.get(planId)!;
      state.sourceLabel = `the ${failed.length} users that failed in an earlier job`;
      summary.sourceLabel = state.sourceLabel;
      this.keepPlan(planId, state);
      return summary;
    });
  }

  /** Undoes a job user by user from its journal; a user changed since the job is skipped and listed, never overwritten. */
  async undoPlan(jobId: string, planId: string): Promise<BulkPlanSummary> {
    const { record, runner } = await this.job(jobId);
    const meta = record.spec;
    if (!meta.undoable)
      throw new AppError(
        'validation',
        `"${meta.changeLabel}" can\u2019t be undone: what it did can\u2019t be reversed from Tenant Desk.`,
      );
    if (record.status === 'running')
      throw new AppError('validation', 'Pause the job (or let it finish) before undoing it.');
    const done = runner.items.filter((it) => it.state === 'done' && it.line.op);
    if (done.length === 0)
      throw new AppError('validation', 'This job changed no user yet: there is nothing to undo.');
    const controller = new AbortController();
    this.planning.set(planId, controller);
    try {
      const ctx = this.context(record.tenantId!, planId, controller.signal);
      const now = await withRequestPolicy({ lane: 'job' }, async () => {
        const { users } = await resolveList(
          ctx,
          done.map((it) => it.line.u),
        );
        const roleIds = [
          ...new Set(
            done.flatMap((it) => {
              // Tenant roles only: an organization role change is undone without reading tenant role members.
              if (it.line.op!.name !== 'user.change-roles') return [];
              const p = it.line.op!.params as { add?: string[]; remove?: string[] };
              return [...(p.add ?? []), ...(p.remove ?? [])];
            }),
          ),
        ];
        return {
          users: new Map(users.map((u) => [u.user_id, u])),
          members: roleIds.length ? await roleMembers(ctx, roleIds) : new Map<string, Set<string>>(),
        };
      });
      const planned = done.map((it) => {
        const user = now.users.get(it.line.u) ?? null;
        const roles = [...now.members].filter(([, holders]) => holders.has(it.line.u)).map(([r]) => r);
        const inverse = operationNamed(it.line.op!.name)?.bulk?.inverse;
        const plan: ItemPlan = inverse
          ? inverse(it.line.op!, it.line.b, it.after, { user, roles })
          : { op: null, note: 'cannot be undone' };
        return { user: it.line, plan };
      });
      return await this.planFromPlans(record, planId, planned, {
        undoOf: jobId,
        label: `undo: ${meta.changeLabel}`,
        sourceLabel: `the ${done.length} users the job changed`,
      });
    } finally {
      this.planning.delete(planId);
    }
  }

  private planFromOps(
    job: BulkRecord,
    planId: string,
    ops: { user: PlanLine; op: OpCall; b: unknown; a: unknown }[],
    how: { retryOf?: string; undoOf?: string; label: string; sourceLabel: string },
  ): Promise<BulkPlanSummary> {
    return this.planFromPlans(
      job,
      planId,
      ops.map((o) => ({ user: o.user, plan: { op: o.op, before: o.b, after: o.a } })),
      how,
    );
  }

  /** A plan of per-user operations (undo, retry of an undo): written like any plan, started like any plan. */
  private async planFromPlans(
    job: BulkRecord,
    planId: string,
    planned: { user: PlanLine; plan: ItemPlan }[],
    how: { retryOf?: string; undoOf?: string; label: string; sourceLabel: string },
  ): Promise<BulkPlanSummary> {
    const summary = await this.writePlan(
      planId,
      job.tenantId!,
      (async function* () {
        for (const p of planned)
          yield {
            user: { user_id: p.user.u, ...(p.user.e ? { email: p.user.e } : {}) } as Auth0User,
            plan: p.plan,
          };
      })(),
      {
        change: job.spec.change,
        changeLabel: how.label,
        sourceLabel: how.sourceLabel,
        enumeration: 'job',
        unknown: [],
        ambiguous: [],
        ...(job.spec.roleNames ? { roleNames: job.spec.roleNames } : {}),
      },
    );
    if (how.undoOf) summary.undoable = false;
    this.keepPlan(planId, {
      summary,
      file: this.planFile(planId),
      sourceLabel: how.sourceLabel,
      ...(how.undoOf ? { undoOf: how.undoOf } : {}),
      ...(how.retryOf ? { retryOf: how.retryOf } : {}),
    });
    return summary;
  }

  /** Quitting: plans being made stop (running jobs are the engine's to stop). */
  close(): void {
    for (const controller of this.planning.values())
      controller.abort(new AppError('validation', 'Tenant Desk is closing.'));
  }
}

function planItem(line: PlanLine): BulkPlanItem {
  return {
    index: line.i,
    userId: line.u,
    ...(line.e ? { email: line.e } : {}),
    status: line.s,
    ...(line.n ? { note: line.n } : {}),
    ...(line.b !== undefined ? { before: shown(line.b) } : {}),
    ...(line.a !== undefined ? { after: shown(line.a) } : {}),
  };
}

/**
 * A before or after state as the window and the results CSV show it: the values, without what undo keeps to notice
 * a user changed since (updated_at) — a metadata state is its keys' values, null for a key that isn't there.
 */
export function shown(state: unknown): unknown {
  if (!state || typeof state !== 'object' || Array.isArray(state) || 'user_id' in state) return state;
  const { updated_at: _seen, values, ...rest } = state as Record<string, unknown>;
  return values !== undefined ? values : rest;
}

function jobItem(it: RunnerItem): JobItem {
  return {
    index: it.line.i,
    userId: it.line.u,
    ...(it.line.e ? { email: it.line.e } : {}),
    state: it.state as JobItemState,
    ...(it.error ? { error: it.error } : {}),
    ...(it.line.b !== undefined ? { before: shown(it.line.b) } : {}),
    ...(it.after !== undefined
      ? { after: shown(it.after) }
      : it.line.a !== undefined
        ? { after: shown(it.line.a) }
        : {}),
  };
}

/** Every member of an organization into the plan's map, with their organization roles (see orgKey/orgRoleKey). */
async function readOrgMembers(ctx: EnumerationContext, orgId: string, into: RoleMembers): Promise<void> {
  const holders = (key: string) => {
    let set = into.get(key);
    if (!set) into.set(key, (set = new Set()));
    return set;
  };
  holders(orgKey(orgId));
  let n = 0;
  for await (const m of allMembers(ctx.connection.management, orgId)) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    holders(orgKey(orgId)).add(m.userId);
    for (const r of m.roles) holders(orgRoleKey(orgId, r.id)).add(m.userId);
    if (++n % 500 === 0) ctx.progress('Reading the organization’s members', n, null);
  }
}

/** The user ids of every member of an organization (a bulk source). */
async function orgMemberIds(ctx: EnumerationContext, orgId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const m of allMembers(ctx.connection.management, orgId)) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    ids.push(m.userId);
    if (ids.length % 500 === 0) ctx.progress('Reading the organization’s members', ids.length, null);
  }
  return ids;
}
