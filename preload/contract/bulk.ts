// Bulk edits: who (a selection, a query, a list), what (the change), the plan, and the job that runs it.
import { z } from 'zod';
import { jsonValueSchema, metadataKeyProblem } from './rules.js';
import { guardSchema, idSchema, uploadIdSchema, userIdSchema, type WriteRisk, byTenantId } from './shared.js';
import type { DownloadRef } from './app.js';
import type { Capability } from './tenants.js';

export const roleIdSchema = z.string().min(1).max(64);

/** Which users a bulk edit is for: rows picked in the results, every match of a query (past 1,000), or a list. */
export const bulkSourceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('users'),
      userIds: z.array(userIdSchema).min(1).max(10_000),
      /** updated_at of each user as the window showed it: who changed since is pointed out. */
      seen: z.record(userIdSchema, z.string().max(64)).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('query'), q: z.string().max(4000) }).strict(),
  /** Pasted: user ids and/or emails, one or more per line (or a CSV with a user_id / email column). */
  z
    .object({
      kind: z.literal('list'),
      text: z.string().min(1, 'The list is empty.').max(8_000_000),
      name: z.string().max(260).optional(),
    })
    .strict(),
  /**
   * A CSV/TXT file of user ids and/or emails handed over with uploads:* (read in main through the bounded intake:
   * UTF-8 or UTF-16, each line and the whole file bounded); the upload is removed once read.
   */
  z
    .object({
      kind: z.literal('list-file'),
      uploadId: uploadIdSchema,
      name: z.string().min(1).max(260),
    })
    .strict(),
  /**
   * The users of the tenant's log events matching a log query (Auth0's log search syntax, e.g. successful logins from
   * an address in a time window) — every event, past Auth0's 1,000-result search limit.
   */
  z.object({ kind: z.literal('log-events'), q: z.string().trim().min(1).max(4000) }).strict(),
  /** Every member of an organization. */
  z.object({ kind: z.literal('org-members'), orgId: z.string().regex(/^org_[A-Za-z0-9]{1,64}$/) }).strict(),
]);
export type BulkSource = z.infer<typeof bulkSourceSchema>;

/** What a bulk edit does to each user. */
export const bulkChangeSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('metadata'),
      metadata: z.enum(['user_metadata', 'app_metadata']),
      /** Keys to set, with JSON values (Auth0's first-level merge). */
      set: z.record(z.string().max(255), jsonValueSchema).default({}),
      /** Keys to remove. */
      remove: z.array(z.string().max(255)).max(100).default([]),
    })
    .strict()
    .superRefine((c, ctx) => {
      if (Object.keys(c.set).length === 0 && c.remove.length === 0)
        ctx.addIssue({ code: 'custom', message: 'Set or remove at least one key.' });
      for (const key of [...Object.keys(c.set), ...c.remove]) {
        const problem = metadataKeyProblem(c.metadata, key);
        if (problem) ctx.addIssue({ code: 'custom', path: ['set', key], message: problem });
      }
      for (const key of c.remove)
        if (key in c.set)
          ctx.addIssue({ code: 'custom', path: ['remove'], message: `"${key}" is both set and removed.` });
    }),
  z
    .object({
      kind: z.literal('roles'),
      add: z.array(roleIdSchema).max(50).default([]),
      remove: z.array(roleIdSchema).max(50).default([]),
    })
    .strict()
    .refine((c) => c.add.length + c.remove.length > 0, 'Add or remove at least one role.'),
  z.object({ kind: z.literal('block') }).strict(),
  z.object({ kind: z.literal('unblock') }).strict(),
  z.object({ kind: z.literal('brute-force-unblock') }).strict(),
  z.object({ kind: z.literal('mark-verified') }).strict(),
  z.object({ kind: z.literal('verification-email') }).strict(),
  z.object({ kind: z.literal('mfa-reset') }).strict(),
  z.object({ kind: z.literal('forget-browsers') }).strict(),
  z
    .object({
      kind: z.literal('password-link'),
      ttlSec: z.number().int().min(60).max(2_592_000).default(86_400),
      resultUrl: z.string().url().max(2048).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('delete') }).strict(),
  z.object({ kind: z.literal('revoke-sessions') }).strict(),
  z.object({ kind: z.literal('revoke-refresh-tokens') }).strict(),
  z.object({ kind: z.literal('revoke-grants') }).strict(),
  z.object({ kind: z.literal('sign-out-everywhere') }).strict(),
  z.object({ kind: z.literal('org-add'), orgId: z.string().regex(/^org_[A-Za-z0-9]{1,64}$/) }).strict(),
  z.object({ kind: z.literal('org-remove'), orgId: z.string().regex(/^org_[A-Za-z0-9]{1,64}$/) }).strict(),
  z
    .object({
      kind: z.literal('org-roles'),
      orgId: z.string().regex(/^org_[A-Za-z0-9]{1,64}$/),
      add: z.array(roleIdSchema).max(50).default([]),
      remove: z.array(roleIdSchema).max(50).default([]),
    })
    .strict()
    .refine((c) => c.add.length + c.remove.length > 0, 'Add or remove at least one organization role.'),
]);
export type BulkChange = z.infer<typeof bulkChangeSchema>;
export type BulkChangeKind = BulkChange['kind'];

/**
 * Each change the bulk form offers, once: its words, what the tenant's grant must allow, the operation that carries
 * it out (main/operations/, by name) and whether a job of it can be undone. A test checks main's registry agrees.
 */
export const BULK_CHANGES = {
  metadata: {
    label: 'Set or remove metadata keys',
    needs: 'users:update',
    operation: 'user.update-metadata',
    undoable: true,
  },
  roles: {
    label: 'Add or remove roles',
    needs: 'roles:assign',
    operation: 'user.change-roles',
    undoable: true,
  },
  block: { label: 'Block', needs: 'users:block', operation: 'user.set-blocked', undoable: true },
  unblock: { label: 'Unblock', needs: 'users:block', operation: 'user.set-blocked', undoable: true },
  'brute-force-unblock': {
    label: 'Remove brute-force blocks',
    needs: 'users:block',
    operation: 'user.unblock-brute-force',
    undoable: false,
  },
  'mark-verified': {
    label: 'Mark emails verified',
    needs: 'users:update',
    operation: 'user.set-email-verified',
    undoable: true,
  },
  'verification-email': {
    label: 'Send verification emails',
    needs: 'jobs:verification-email',
    operation: 'user.send-verification-email',
    undoable: false,
  },
  'mfa-reset': { label: 'Reset MFA', needs: 'mfa:reset', operation: 'user.mfa-reset', undoable: false },
  'forget-browsers': {
    label: 'Forget remembered browsers',
    needs: 'users:forget-browsers',
    operation: 'user.invalidate-remember-browser',
    undoable: false,
  },
  'password-link': {
    label: 'Create password-change links',
    needs: 'tickets:password-change',
    operation: 'user.password-ticket',
    undoable: false,
  },
  delete: { label: 'Delete users', needs: 'users:delete', operation: 'user.delete', undoable: false },
  'revoke-sessions': {
    label: 'Revoke sessions',
    needs: 'sessions:revoke',
    operation: 'user.revoke-sessions',
    undoable: false,
  },
  'revoke-refresh-tokens': {
    label: 'Revoke refresh tokens',
    needs: 'refresh-tokens:revoke',
    operation: 'user.revoke-refresh-tokens',
    undoable: false,
  },
  'revoke-grants': {
    label: 'Revoke consents (grants)',
    needs: 'grants:revoke',
    operation: 'user.revoke-grants',
    undoable: false,
  },
  'sign-out-everywhere': {
    label: 'Sign out everywhere (sessions and refresh tokens)',
    needs: 'sessions:revoke',
    operation: 'user.sign-out',
    undoable: false,
  },
  'org-add': {
    label: 'Add to an organization',
    needs: 'orgs:members',
    operation: 'org.add-member',
    undoable: true,
  },
  'org-remove': {
    label: 'Remove from an organization',
    needs: 'orgs:members',
    operation: 'org.remove-member',
    undoable: true,
  },
  'org-roles': {
    label: 'Add or remove organization roles',
    needs: 'orgs:member-roles',
    operation: 'org.change-member-roles',
    undoable: true,
  },
} as const satisfies Record<
  BulkChangeKind,
  { label: string; needs: Capability; operation: string; undoable: boolean }
>;

/** Changes that can be undone from the job's journal (the others say so before they run). */
export const UNDOABLE_CHANGES: readonly BulkChangeKind[] = (
  Object.keys(BULK_CHANGES) as BulkChangeKind[]
).filter((k) => BULK_CHANGES[k].undoable);

export interface BulkPlanSummary {
  planId: string;
  tenantId: string;
  change: BulkChange;
  /** "Set app_metadata.plan; remove app_metadata.legacy" */
  changeLabel: string;
  sourceLabel: string;
  /** How the users were found: a search (≤ 1,000), a users-export job filtered locally, or one lookup per entry. */
  enumeration: 'search' | 'export' | 'lookup' | 'job';
  total: number;
  willChange: number;
  /** Already as the change would leave them: nothing is sent for these. */
  skipped: number;
  /** Entries of a list that match no user, and emails that match several. */
  unknown: { entry: string; reason: string }[];
  ambiguous: { entry: string; matches: { user_id: string; email?: string; connection?: string }[] }[];
  /** Why users are skipped, each reason with how many it covers ("already as asked", "has no email"…). */
  skipReasons: { note: string; count: number }[];
  warnings: { message: string; count: number }[];
  destructive: boolean;
  undoable: boolean;
  createdAt: string;
  /** The names of the roles a roles change adds or removes, by id (the users' before / after hold ids). */
  roleNames?: Record<string, string>;
}

/** A tenant's Management API rate limit as Auth0's x-ratelimit-* headers report it. */
export interface TenantRateLimit {
  /** The bucket's size (x-ratelimit-limit): how many requests may go at once. */
  limit: number;
  /** How fast the bucket refills, in requests per second, as measured from the headers; absent until measured. */
  perSecond?: number;
}

export type BulkPlanItemStatus = 'change' | 'skip';

export interface BulkPlanItem {
  index: number;
  userId: string;
  email?: string;
  status: BulkPlanItemStatus;
  /** Why it is skipped, or a warning about it. */
  note?: string;
  before?: unknown;
  after?: unknown;
}

export type JobStatus = 'running' | 'paused' | 'interrupted' | 'completed' | 'failed' | 'cancelled';
export type JobItemState = 'planned' | 'sent' | 'done' | 'skipped' | 'failed' | 'unknown' | 'cancelled';

export interface JobCounts {
  total: number;
  done: number;
  skipped: number;
  failed: number;
  /** Sent before a crash and impossible to read back (an email, a link): not sent again. */
  unknown: number;
  /** Not sent because the job was cancelled first. */
  cancelled: number;
  remaining: number;
}

export interface JobSummary {
  id: string;
  tenantId: string;
  tenantDomain: string;
  change: BulkChange;
  changeLabel: string;
  sourceLabel: string;
  /** The plan it was started from. */
  planId?: string;
  createdAt: string;
  finishedAt?: string;
  status: JobStatus;
  /** Why a job paused itself (a locked keychain, a tenant that keeps refusing). */
  pausedReason?: string;
  counts: JobCounts;
  /** Requests per second over the last seconds, and the time left at that pace. */
  rps?: number;
  etaSeconds?: number;
  /** While it runs: the tenant's rate limit, once the tenant's answers have reported it. */
  tenantLimit?: TenantRateLimit;
  /** The names of the roles a roles change adds or removes, by id (outcomes hold ids). */
  roleNames?: Record<string, string>;
  undoable: boolean;
  undoOf?: string;
  retryOf?: string;
}

export interface JobItem {
  index: number;
  userId: string;
  email?: string;
  state: JobItemState;
  error?: string;
  before?: unknown;
  after?: unknown;
}

export const bulkChannels = {
  // ---- bulk edits (issue #9) ----
  /** Finds the users and works out what would change for each; nothing is sent. Progress: bulk:planning. */
  'bulk:plan': {
    input: z
      .object({
        tenantId: idSchema,
        planId: z.string().regex(/^[\w-]{8,64}$/),
        source: bulkSourceSchema,
        change: bulkChangeSchema,
      })
      .strict(),
    output: {} as BulkPlanSummary,
    tenant: byTenantId,
  },
  /** A plan's preview again, by its id (one made by another Tenant Desk on this data directory, too). */
  'bulk:plan-summary': {
    input: z.object({ planId: z.string().regex(/^[\w-]{8,64}$/) }).strict(),
    output: {} as BulkPlanSummary,
  },
  'bulk:cancel-plan': {
    input: z.object({ planId: z.string().max(64) }).strict(),
    output: {} as { ok: true },
  },
  'bulk:plan-items': {
    input: z
      .object({
        planId: z.string().max(64),
        status: z.enum(['change', 'skip']).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: {} as { items: BulkPlanItem[]; total: number },
  },
  /** The users of a plan as they were read, as JSON: a copy to keep before deleting them. */
  'bulk:save-users': {
    input: z.object({ planId: z.string().max(64) }).strict(),
    output: {} as DownloadRef,
  },
  'bulk:start': {
    input: z.object({ planId: z.string().max(64), guard: guardSchema }).strict(),
    output: {} as JobSummary,
    risk: (): WriteRisk => 'bulk',
  },
  'jobs:items': {
    input: z
      .object({
        jobId: z.string().max(64),
        state: z.enum(['planned', 'sent', 'done', 'skipped', 'failed', 'unknown', 'cancelled']).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: {} as { items: JobItem[]; total: number },
  },
  /** A plan for the users of a job that failed, read again from the tenant. */
  'jobs:retry-plan': {
    input: z.object({ jobId: z.string().max(64), planId: z.string().regex(/^[\w-]{8,64}$/) }).strict(),
    output: {} as BulkPlanSummary,
  },
  /** A plan that undoes a finished job, user by user; users changed since are skipped and listed. */
  'jobs:undo-plan': {
    input: z.object({ jobId: z.string().max(64), planId: z.string().regex(/^[\w-]{8,64}$/) }).strict(),
    output: {} as BulkPlanSummary,
  },
} as const;
