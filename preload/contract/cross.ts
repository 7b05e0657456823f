// Work across tenants: one search over several, and two tenants compared.
import { z } from 'zod';
import { fieldPathSchema } from './rules.js';
import { idSchema, searchPageFields, type ErrorEnvelope } from './shared.js';
import type { Auth0User } from './users.js';
import type { CompareSummary } from './exports.js';
import type { OrganizationSummary } from './organizations.js';

export type CrossSearchResult =
  | { tenantId: string; ok: true; users: Auth0User[]; total: number; capped: boolean; ms: number }
  | { tenantId: string; ok: false; error: ErrorEnvelope; ms: number };

export type CrossOrgResult =
  | {
      tenantId: string;
      ok: true;
      organizations: OrganizationSummary[];
      /** More may match: the first `perTenant` found are shown. */
      capped: boolean;
      ms: number;
    }
  | { tenantId: string; ok: false; error: ErrorEnvelope; ms: number };

/** A member of an organization on one side only: matched across tenants by email (lower case), else by user id. */
export interface OrgMemberKey {
  /** The email in lower case, or the user id for a member without one. */
  key: string;
  userId: string;
  /** No email: compared by user id (which differs between tenants, so such a member is rarely matched). */
  byUserId: boolean;
}

/** One organization (matched by name) in both tenants, its members compared. */
export interface OrgCompareEntry {
  name: string;
  a: { id: string; displayName?: string; members: number };
  b: { id: string; displayName?: string; members: number };
  onlyInA: number;
  onlyInB: number;
  inBoth: number;
  /** Members without an email (compared by user id), on either side. */
  withoutEmail: number;
  /** The first of each list (at most ORG_COMPARE_SAMPLE); the whole lists are the task's CSV results. */
  sampleOnlyInA: OrgMemberKey[];
  sampleOnlyInB: OrgMemberKey[];
}

/** At most this many members of each side's list per organization are in the summary (all are in the CSV). */
export const ORG_COMPARE_SAMPLE = 50;

export interface OrgCompareSummary {
  /** The task's id (the run id): its CSV with tasks:results. */
  compareId: string;
  tenantA: string;
  tenantB: string;
  labelA: string;
  labelB: string;
  /** Organizations of both, by name, in name order. */
  organizations: OrgCompareEntry[];
  onlyInA: OrganizationSummary[];
  onlyInB: OrganizationSummary[];
}

export const crossChannels = {
  // ---- across tenants (issue #12) ----
  /** One query on several tenants at once, each at its own rate limit; a tenant that fails does not hide the rest. */
  'cross:search': {
    input: z
      .object({
        tenantIds: z
          .array(idSchema)
          .min(1, 'Choose at least one tenant.')
          .max(12)
          .refine((ids) => new Set(ids).size === ids.length, 'A tenant is chosen twice.'),
        q: z.string().max(4000).default(''),
        perTenant: z.number().int().min(1).max(100).default(50),
        sort: searchPageFields.sort,
      })
      .strict(),
    output: {} as { results: CrossSearchResult[] },
  },
  /**
   * Two tenants' users matched by a field (email by default): only in A, only in B, in both with chosen fields
   * different. Takes a fresh snapshot of each (progress: export:progress for `${runId}-a` and `${runId}-b`);
   * the comparison is paged and exported with snapshots:compare-items / snapshots:compare-export.
   */
  'cross:compare': {
    input: z
      .object({
        runId: z.string().regex(/^[\w-]{8,48}$/),
        tenantA: idSchema,
        tenantB: idSchema,
        key: fieldPathSchema(
          'Match by a user field (email), or an app_metadata / user_metadata path',
        ).default('email'),
        fields: z
          .array(fieldPathSchema('Compare user fields, identities[0].connection or metadata paths'))
          .min(1, 'Choose at least one field to compare.')
          .max(30),
      })
      .strict()
      .refine((i) => i.tenantA !== i.tenantB, 'Choose two different tenants.'),
    output: {} as CompareSummary,
  },
  // ---- organizations across tenants (issue #23) ----
  /**
   * The organizations whose name or display name contains the text, on several tenants at once (each read by
   * checkpoint, past any count); a tenant that fails is said beside the others' answers.
   */
  'cross:find-organizations': {
    input: z
      .object({
        tenantIds: z
          .array(idSchema)
          .min(1, 'Choose at least one tenant.')
          .max(12)
          .refine((ids) => new Set(ids).size === ids.length, 'A tenant is chosen twice.'),
        name: z.string().trim().min(1, 'Type part of an organization name.').max(100),
        perTenant: z.number().int().min(1).max(100).default(50),
      })
      .strict(),
    output: {} as { results: CrossOrgResult[] },
  },
  /**
   * Two tenants' organizations matched by name; for each in both, its members only in A and only in B, matched by
   * email (members without one by user id); and the organizations only in A or only in B. A task (kind
   * org-compare, id runId: progress in task:progress, the whole member lists as CSV with tasks:results).
   */
  'cross:compare-organizations': {
    input: z
      .object({
        runId: z.string().regex(/^[\w-]{8,48}$/),
        tenantA: idSchema,
        tenantB: idSchema,
      })
      .strict()
      .refine((i) => i.tenantA !== i.tenantB, 'Choose two different tenants.'),
    output: {} as OrgCompareSummary,
  },
} as const;
