// Organizations across tenants: found by name on several tenants at once (each asked through its own connection; one
// that fails is reported beside the others' answers, as cross:search does), and two tenants' organizations compared
// — matched by name, their members matched by email (user ids differ between tenants). The comparison is a task of
// the engine (kind org-compare): its progress in task:progress, cancel in Tasks, its whole lists as CSV. It holds one
// organization's members of A (their emails) at a time; B's are streamed against them, and every difference is
// appended to the task's file as it is found (the summary keeps counts and the first few of each list).
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ManagementClient } from 'auth0';
import {
  ORG_COMPARE_SAMPLE,
  type ChannelParsedInput,
  type CrossOrgResult,
  type ErrorEnvelope,
  type OrgCompareEntry,
  type OrgCompareSummary,
  type OrgMemberKey,
  type OrganizationSummary,
} from '../../preload/contract.js';
import { AppError } from '../errors.js';
import { linesForward } from '../fs/lines.js';
import { allMembers, listOrganizations } from '../organizations/org-reads.js';
import type { TaskEngine, TaskKindModule } from '../tasks/engine.js';
import type { TenantService } from '../tenants/tenant-service.js';

export interface CrossOrganizationsOptions {
  tenants: TenantService;
  tasks: TaskEngine;
  envelope: (err: unknown, what: string) => ErrorEnvelope;
}

interface OrgCompareSpec {
  tenantA: string;
  tenantB: string;
  labelA: string;
  labelB: string;
  label: string;
}

interface OrgCompareState {
  /** Organizations in both compared so far, and how many there are (null until both lists are read). */
  done: number;
  total: number | null;
  current?: string;
  summary?: OrgCompareSummary;
  error?: ErrorEnvelope;
}

/** One line of the task's file: a member on one side only, or an organization on one side only. */
interface DiffLine {
  org: string;
  side: 'a' | 'b';
  /** Absent for an organization only on one side. */
  member?: OrgMemberKey;
}

const DIFF_FILE = 'org-compare.ndjson';

/** A tenant's every organization, by checkpoint (past any count). */
async function allOrganizations(api: ManagementClient, signal?: AbortSignal): Promise<OrganizationSummary[]> {
  const out: OrganizationSummary[] = [];
  let from: string | undefined;
  for (;;) {
    signal?.throwIfAborted();
    const page = await listOrganizations(api, { nameFilter: '', from, take: 100 });
    out.push(...page.organizations);
    if (!page.next) return out;
    from = page.next;
  }
}

/** How members are matched across tenants: the email in lower case, or (none) the user id, said so. */
export function memberKey(m: { userId: string; email?: string }): OrgMemberKey {
  const email = m.email?.trim().toLowerCase();
  return email
    ? { key: email, userId: m.userId, byUserId: false }
    : { key: m.userId, userId: m.userId, byUserId: true };
}

/** A failure on one tenant, named: the task fails with it (the other tenant's reads are not worth having alone). */
class SideFailure extends Error {
  constructor(
    readonly label: string,
    readonly error: unknown,
  ) {
    super(label);
  }
}

export class CrossOrganizations {
  constructor(private readonly o: CrossOrganizationsOptions) {
    o.tasks.register(this.compareKind);
  }

  private api(tenantId: string): ManagementClient {
    return this.o.tenants.connection(tenantId).management;
  }

  async find(input: ChannelParsedInput<'cross:find-organizations'>): Promise<{ results: CrossOrgResult[] }> {
    for (const id of input.tenantIds) this.o.tenants.stored(id);
    const results = await Promise.all(
      input.tenantIds.map(async (tenantId): Promise<CrossOrgResult> => {
        const started = performance.now();
        const ms = () => Math.round(performance.now() - started);
        try {
          const api = this.api(tenantId);
          const found: OrganizationSummary[] = [];
          let from: string | undefined;
          let next: string | null = null;
          // Page after page until enough match or the list ends: each call reads at most 20 pages of 100.
          for (;;) {
            const page = await listOrganizations(api, {
              nameFilter: input.name,
              from,
              take: input.perTenant - found.length,
            });
            found.push(...page.organizations);
            next = page.next;
            if (!next || found.length >= input.perTenant) break;
            from = next;
          }
          return {
            tenantId,
            ok: true,
            organizations: found.slice(0, input.perTenant),
            capped: found.length > input.perTenant || (found.length >= input.perTenant && next !== null),
            ms: ms(),
          };
        } catch (err) {
          return {
            tenantId,
            ok: false,
            error: this.o.envelope(err, 'cross-tenant organization search'),
            ms: ms(),
          };
        }
      }),
    );
    return { results };
  }

  /** Starts the comparison as a task and waits for it: its summary, or its failure in words. */
  async compare(input: ChannelParsedInput<'cross:compare-organizations'>): Promise<OrgCompareSummary> {
    const a = this.o.tenants.stored(input.tenantA);
    const b = this.o.tenants.stored(input.tenantB);
    if (this.o.tasks.has(input.runId)) throw new AppError('conflict', 'That comparison exists already.');
    await this.o.tasks.create<OrgCompareSpec, OrgCompareState>('org-compare', {
      id: input.runId,
      tenantId: a.id,
      tenantDomain: a.domain,
      spec: {
        tenantA: a.id,
        tenantB: b.id,
        labelA: a.label,
        labelB: b.label,
        label: `Organizations of ${a.label} and ${b.label}`,
      },
      state: { done: 0, total: null },
    });
    await this.o.tasks.settled(input.runId);
    const record = this.o.tasks.record<OrgCompareSpec, OrgCompareState>(input.runId, 'org-compare');
    if (record.state.summary) return record.state.summary;
    if (record.status === 'cancelled') throw new AppError('validation', 'The comparison was cancelled.');
    const e = record.state.error;
    throw new AppError(
      e?.code ?? 'internal',
      e?.message ?? record.reason ?? 'The comparison failed.',
      e?.retryable ? { retryable: true } : {},
    );
  }

  readonly compareKind: TaskKindModule<OrgCompareSpec, OrgCompareState> = {
    kind: 'org-compare',
    pausable: false,
    run: async (ctx) => {
      const { tenantA, tenantB, labelA, labelB } = ctx.spec;
      const file = join(ctx.dir, DIFF_FILE);
      // A run (or a resume after a crash) starts over: nothing on a tenant is changed, so nothing is done twice.
      ctx.state = { done: 0, total: null };
      rmSync(file, { force: true });
      ctx.save(true);
      let buffer: string[] = [];
      const flush = () => {
        if (buffer.length) appendFileSync(file, buffer.join(''), { mode: 0o600 });
        buffer = [];
      };
      const write = (line: DiffLine) => {
        buffer.push(`${JSON.stringify(line)}\n`);
        if (buffer.length >= 1000) flush();
      };
      const side = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
        try {
          return await work();
        } catch (err) {
          throw ctx.signal.aborted ? err : new SideFailure(label, err);
        }
      };
      try {
        const [orgsA, orgsB] = await Promise.all([
          side(labelA, () => allOrganizations(this.api(tenantA), ctx.signal)),
          side(labelB, () => allOrganizations(this.api(tenantB), ctx.signal)),
        ]);
        const byNameB = new Map(orgsB.map((o) => [o.name, o]));
        const namesA = new Set(orgsA.map((o) => o.name));
        const both = orgsA.filter((o) => byNameB.has(o.name)).sort((x, y) => x.name.localeCompare(y.name));
        const onlyInA = orgsA
          .filter((o) => !byNameB.has(o.name))
          .sort((x, y) => x.name.localeCompare(y.name));
        const onlyInB = orgsB.filter((o) => !namesA.has(o.name)).sort((x, y) => x.name.localeCompare(y.name));
        for (const org of onlyInA) write({ org: org.name, side: 'a' });
        for (const org of onlyInB) write({ org: org.name, side: 'b' });
        ctx.state.total = both.length;
        ctx.save(true);
        const entries: OrgCompareEntry[] = [];
        for (const orgA of both) {
          const orgB = byNameB.get(orgA.name)!;
          ctx.state.current = orgA.name;
          ctx.progress();
          // A's members of this organization: their keys (emails) only.
          const keysA = new Map<string, OrgMemberKey>();
          let membersA = 0;
          await side(labelA, async () => {
            for await (const m of allMembers(this.api(tenantA), orgA.id)) {
              ctx.signal.throwIfAborted();
              membersA++;
              const k = memberKey(m);
              keysA.set(k.key, k);
            }
          });
          const entry: OrgCompareEntry = {
            name: orgA.name,
            a: {
              id: orgA.id,
              ...(orgA.displayName ? { displayName: orgA.displayName } : {}),
              members: membersA,
            },
            b: { id: orgB.id, ...(orgB.displayName ? { displayName: orgB.displayName } : {}), members: 0 },
            onlyInA: 0,
            onlyInB: 0,
            inBoth: 0,
            withoutEmail: [...keysA.values()].filter((k) => k.byUserId).length,
            sampleOnlyInA: [],
            sampleOnlyInB: [],
          };
          // B's members streamed against them.
          await side(labelB, async () => {
            for await (const m of allMembers(this.api(tenantB), orgB.id)) {
              ctx.signal.throwIfAborted();
              entry.b.members++;
              const k = memberKey(m);
              if (k.byUserId) entry.withoutEmail++;
              if (keysA.delete(k.key)) entry.inBoth++;
              else {
                entry.onlyInB++;
                if (entry.sampleOnlyInB.length < ORG_COMPARE_SAMPLE) entry.sampleOnlyInB.push(k);
                write({ org: orgA.name, side: 'b', member: k });
              }
            }
          });
          for (const k of keysA.values()) {
            entry.onlyInA++;
            if (entry.sampleOnlyInA.length < ORG_COMPARE_SAMPLE) entry.sampleOnlyInA.push(k);
            write({ org: orgA.name, side: 'a', member: k });
          }
          entries.push(entry);
          ctx.state.done++;
          flush();
          ctx.save();
        }
        flush();
        delete ctx.state.current;
        ctx.state.summary = {
          compareId: ctx.id,
          tenantA,
          tenantB,
          labelA,
          labelB,
          organizations: entries,
          onlyInA,
          onlyInB,
        };
        ctx.save(true);
        return { status: 'completed' };
      } catch (err) {
        buffer = [];
        rmSync(file, { force: true });
        if (ctx.stop?.kind === 'cancel') return { status: 'cancelled' };
        if (ctx.stop) return { status: 'paused', reason: ctx.stop.reason ?? 'Stopped.' };
        const error =
          err instanceof SideFailure
            ? ((e) => ({ ...e, message: `Reading ${err.label} failed: ${e.message}` }))(
                this.o.envelope(err.error, 'organization comparison'),
              )
            : this.o.envelope(err, 'organization comparison');
        ctx.state.error = error;
        ctx.save(true);
        return { status: 'failed', reason: error.message };
      }
    },
    describe: (record) => {
      const s = record.state.summary;
      const diff = s ? s.organizations.reduce((n, e) => n + e.onlyInA + e.onlyInB, 0) : 0;
      return {
        label: record.spec.label,
        progress: {
          done: record.state.done,
          total: record.state.total,
          unit: 'organizations',
          words: s
            ? `${s.organizations.length.toLocaleString('en')} in both (${diff.toLocaleString('en')} members on one side only), ${s.onlyInA.length.toLocaleString('en')} only in ${s.labelA}, ${s.onlyInB.length.toLocaleString('en')} only in ${s.labelB}`
            : record.status === 'running'
              ? record.state.current
                ? `Comparing the members of ${record.state.current}`
                : 'Reading both tenants\u2019 organizations'
              : 'Not compared',
        },
        detail: { kind: 'org-compare', ...(s ? { orgCompare: s } : {}) },
      };
    },
    results: (record, dir) => {
      if (!record.state.summary)
        throw new AppError('not_found', 'This comparison has no results; compare the tenants again.');
      const { labelA, labelB } = record.spec;
      const safe = (label: string) => label.replace(/[^\w.-]+/g, '-');
      async function* rows(): AsyncGenerator<unknown[]> {
        for await (const text of linesForward(join(dir, DIFF_FILE))) {
          const line = JSON.parse(text) as DiffLine;
          const where = line.side === 'a' ? labelA : labelB;
          yield line.member
            ? [
                line.org,
                `member only in ${where}`,
                line.member.byUserId ? '' : line.member.key,
                line.member.userId,
                line.member.byUserId ? 'user_id (no email)' : 'email',
              ]
            : [line.org, `organization only in ${where}`, '', '', ''];
        }
      }
      return {
        filename: `${safe(labelA)}-vs-${safe(labelB)}-organizations.csv`,
        columns: ['organization', 'comparison', 'email', 'user_id', 'matched_by'],
        rows: rows(),
      };
    },
  };
}
